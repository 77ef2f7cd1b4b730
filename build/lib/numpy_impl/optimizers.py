"""Optimizers: how a layer's parameters move once backward() has stored its
gradients in layer.dweights and layer.dbiases.

The book's protocol, once per training step:

    optimizer.pre_update_params()      # set this step's learning rate
    optimizer.update_params(dense1)    # move every trainable layer ...
    optimizer.update_params(dense2)
    optimizer.post_update_params()     # ... then count the step

Whatever an optimizer remembers between steps (momentum, caches) lives on the
layer it belongs to, under the book's attribute names (weight_momentums,
weight_cache, bias_momentums, bias_cache), so one optimizer can drive many
layers. Parameters are updated in place and keep their dtype: float32 layers
stay float32.
"""
import math

import numpy as np

# Every layer has two parameter arrays. For each one, the names of the array,
# its gradient, and the prefix of the state the optimizer keeps for it.
_PARAMETERS = (("weights", "dweights", "weight"), ("biases", "dbiases", "bias"))


def _number(component, name, value, low, high=math.inf, low_open=False, high_open=False):
    """Validate a hyperparameter and return it as a Python float.

    Python floats on purpose: NumPy treats a Python float as "weak", so
    lr * float32_array stays float32, while an np.float64 learning rate would
    silently turn every float32 update into float64.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{component}: {name} must be a real number, "
                        f"received {type(value).__name__} {value!r}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if not math.isfinite(value) or too_low or too_high:
        interval = (("(" if low_open else "[") + f"{low:g}, " +
                    (f"{high:g}" if math.isfinite(high) else "inf") +
                    (")" if high_open or not math.isfinite(high) else "]"))
        raise ValueError(f"{component}: {name} must be in {interval}, received {value!r}")
    return value


class _Optimizer:
    """What all four optimizers share: learning-rate decay and the step count."""

    def __init__(self, learning_rate, decay):
        name = type(self).__name__
        self.learning_rate = _number(name, "learning_rate", learning_rate, 0.0, low_open=True)
        self.decay = _number(name, "decay", decay, 0.0)
        self.current_learning_rate = self.learning_rate
        self.iterations = 0     # completed steps (post_update_params calls)

    def pre_update_params(self):
        # Decay: after t completed steps the step size is lr / (1 + decay * t),
        # so the first step uses lr itself. Written as lr * (1 / (1 + decay * t))
        # like the book, which rounds exactly like a torch LambdaLR schedule.
        if self.decay:
            self.current_learning_rate = (
                self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations)))

    def update_params(self, layer):
        for parameter, gradient, state in _PARAMETERS:
            value, grad = self._parameter_and_gradient(layer, parameter, gradient)
            step = self._step(layer, state, grad, value)
            # In place, like the book: whoever holds the layer's array sees it move.
            value += step

    def post_update_params(self):
        self.iterations += 1

    # -- helpers for the subclasses
    def _parameter_and_gradient(self, layer, parameter, gradient):
        name = type(self).__name__
        if not hasattr(layer, parameter):
            raise TypeError(f"{name}: update_params expects a layer with .weights, .biases, "
                            f".dweights and .dbiases; {type(layer).__name__} has no "
                            f".{parameter}")
        if getattr(layer, gradient, None) is None:
            raise RuntimeError(f"{name}: the layer has no .{gradient}; call the layer's "
                               f"backward() before update_params(layer)")
        value, grad = getattr(layer, parameter), np.asarray(getattr(layer, gradient))
        if not isinstance(value, np.ndarray) or not np.issubdtype(value.dtype, np.floating):
            raise TypeError(f"{name}: layer.{parameter} must be a floating-point NumPy array "
                            f"(it is updated in place), received "
                            f"{type(value).__name__} {getattr(value, 'dtype', '')}".rstrip())
        if grad.shape != value.shape:
            raise ValueError(f"{name}: layer.{gradient} must have the shape of "
                             f"layer.{parameter} {value.shape}, received shape {grad.shape}")
        return value, grad

    def _state(self, layer, attribute, like):
        """The state array layer.<attribute>, created on first use as zeros shaped
        and typed like the parameter it belongs to."""
        state = getattr(layer, attribute, None)
        if state is None:
            state = np.zeros_like(like)
            setattr(layer, attribute, state)
        elif state.shape != like.shape:
            raise ValueError(f"{type(self).__name__}: layer.{attribute} has shape "
                             f"{state.shape} but the parameter has shape {like.shape}; "
                             f"was this layer resized after training started?")
        return state


class Optimizer_SGD(_Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Without momentum each step is -lr_t * gradient. With momentum the step is a
    velocity v that remembers the previous steps:
        v = momentum * v - lr_t * gradient;   parameter += v
    so the learning rate of step k stays inside v at later steps (see
    reference/optimizers.py for why that differs from torch.optim.SGD when
    the learning rate decays).
    """

    def __init__(self, learning_rate=1., decay=0., momentum=0.):
        super().__init__(learning_rate, decay)
        self.momentum = _number(type(self).__name__, "momentum", momentum, 0.0)

    def _step(self, layer, state, grad, value):
        if not self.momentum:
            return -self.current_learning_rate * grad
        velocity = self._state(layer, f"{state}_momentums", value)
        velocity = self.momentum * velocity - self.current_learning_rate * grad
        setattr(layer, f"{state}_momentums", velocity)
        return velocity


class Optimizer_Adagrad(_Optimizer):
    """Adaptive gradient: each parameter's step is divided by the root of the sum
    of all its squared gradients so far, so often-pushed parameters slow down:
        cache += gradient**2;   parameter -= lr_t * gradient / (sqrt(cache) + epsilon)
    """

    def __init__(self, learning_rate=1., decay=0., epsilon=1e-7):
        super().__init__(learning_rate, decay)
        self.epsilon = _number(type(self).__name__, "epsilon", epsilon, 0.0, low_open=True)

    def _step(self, layer, state, grad, value):
        cache = self._state(layer, f"{state}_cache", value) + grad * grad
        setattr(layer, f"{state}_cache", cache)
        return -self.current_learning_rate * grad / (np.sqrt(cache) + self.epsilon)


class Optimizer_RMSprop(_Optimizer):
    """Root mean square propagation: like Adagrad, but the cache is a moving
    average of squared gradients (old ones fade by rho each step), so the
    steps do not shrink forever:
        cache = rho * cache + (1 - rho) * gradient**2
        parameter -= lr_t * gradient / (sqrt(cache) + epsilon)
    """

    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, rho=0.9):
        super().__init__(learning_rate, decay)
        name = type(self).__name__
        self.epsilon = _number(name, "epsilon", epsilon, 0.0, low_open=True)
        self.rho = _number(name, "rho", rho, 0.0, 1.0, high_open=True)

    def _step(self, layer, state, grad, value):
        cache = self._state(layer, f"{state}_cache", value)
        cache = self.rho * cache + (1 - self.rho) * (grad * grad)
        setattr(layer, f"{state}_cache", cache)
        return -self.current_learning_rate * grad / (np.sqrt(cache) + self.epsilon)


class Optimizer_Adam(_Optimizer):
    """Adaptive moment estimation: RMSprop's cache plus SGD's momentum, both
    moving averages that start at zero:
        momentums = beta_1 * momentums + (1 - beta_1) * gradient
        cache     = beta_2 * cache     + (1 - beta_2) * gradient**2
    Starting at zero biases both towards zero for the first steps; dividing by
    1 - beta**t (t = number of this step, 1 for the first) removes that bias:
        parameter -= lr_t * m_hat / (sqrt(c_hat) + epsilon)
    """

    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        super().__init__(learning_rate, decay)
        name = type(self).__name__
        self.epsilon = _number(name, "epsilon", epsilon, 0.0, low_open=True)
        self.beta_1 = _number(name, "beta_1", beta_1, 0.0, 1.0, high_open=True)
        self.beta_2 = _number(name, "beta_2", beta_2, 0.0, 1.0, high_open=True)

    def _step(self, layer, state, grad, value):
        momentums = self._state(layer, f"{state}_momentums", value)
        cache = self._state(layer, f"{state}_cache", value)
        momentums = self.beta_1 * momentums + (1 - self.beta_1) * grad
        cache = self.beta_2 * cache + (1 - self.beta_2) * (grad * grad)
        setattr(layer, f"{state}_momentums", momentums)
        setattr(layer, f"{state}_cache", cache)
        # iterations counts completed steps, so this step is number iterations + 1.
        t = self.iterations + 1
        momentums_corrected = momentums / (1 - self.beta_1 ** t)
        cache_corrected = cache / (1 - self.beta_2 ** t)
        return (-self.current_learning_rate * momentums_corrected
                / (np.sqrt(cache_corrected) + self.epsilon))
