"""Optimizers: how a layer's parameters move once backward() has stored their
gradients in layer.dweights and layer.dbiases.

The book's protocol, once per training step:

    optimizer.pre_update_params()      # set this step's learning rate
    optimizer.update_params(dense1)    # move every trainable layer ...
    optimizer.update_params(dense2)
    optimizer.post_update_params()     # ... then count the step

Whatever an optimizer remembers between steps lives on the layer it belongs to
(layer.weight_momentums, layer.weight_cache, layer.bias_momentums,
layer.bias_cache), so one optimizer can drive many layers. Parameters are
updated in place and keep their dtype: the hyperparameters are Python floats,
so a float32 layer stays float32.
"""
import numpy as np

from . import _checks as check


class _Optimizer:
    """What every optimizer shares: learning-rate decay and the step count."""

    def pre_update_params(self):
        # Decay: after `iterations` completed steps the learning rate is
        # lr / (1 + decay * iterations); the first step uses lr itself.
        if self.decay:
            self.current_learning_rate = self.learning_rate * (
                1. / (1. + self.decay * self.iterations))

    def post_update_params(self):
        self.iterations += 1


class Optimizer_SGD(_Optimizer):
    """Stochastic gradient descent, optionally with momentum: the update is a
    velocity that keeps a fraction `momentum` of the previous update,
        update = momentum * previous_update - lr * gradient
    so each step's learning rate stays inside the later updates (see
    reference/optimizers.py for why that differs from torch.optim.SGD when the
    learning rate decays)."""

    def __init__(self, learning_rate=1., decay=0., momentum=0.):
        learning_rate, decay, momentum = check.settings(
            self, learning_rate=learning_rate, decay=decay, momentum=momentum)
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.momentum = momentum

    def update_params(self, layer):
        check.trainable(self, layer)
        if self.momentum:
            if not hasattr(layer, "weight_momentums"):
                layer.weight_momentums = np.zeros_like(layer.weights)
                layer.bias_momentums = np.zeros_like(layer.biases)
            weight_updates = (self.momentum * layer.weight_momentums
                              - self.current_learning_rate * layer.dweights)
            layer.weight_momentums = weight_updates
            bias_updates = (self.momentum * layer.bias_momentums
                            - self.current_learning_rate * layer.dbiases)
            layer.bias_momentums = bias_updates
        else:
            weight_updates = -self.current_learning_rate * layer.dweights
            bias_updates = -self.current_learning_rate * layer.dbiases
        layer.weights += weight_updates
        layer.biases += bias_updates


class Optimizer_Adagrad(_Optimizer):
    """Adaptive gradient: each parameter's step is divided by the root of the sum
    of all its squared gradients so far, so often-pushed parameters slow down:
        cache += gradient**2
        parameter -= lr * gradient / (sqrt(cache) + epsilon)"""

    def __init__(self, learning_rate=1., decay=0., epsilon=1e-7):
        learning_rate, decay, epsilon = check.settings(
            self, learning_rate=learning_rate, decay=decay, epsilon=epsilon)
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon

    def update_params(self, layer):
        check.trainable(self, layer)
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights ** 2
        layer.bias_cache += layer.dbiases ** 2
        layer.weights += (-self.current_learning_rate * layer.dweights
                          / (np.sqrt(layer.weight_cache) + self.epsilon))
        layer.biases += (-self.current_learning_rate * layer.dbiases
                         / (np.sqrt(layer.bias_cache) + self.epsilon))


class Optimizer_RMSprop(_Optimizer):
    """Root mean square propagation: Adagrad with a cache that is a moving
    average of squared gradients (old ones fade by rho each step), so the steps
    do not shrink forever:
        cache = rho * cache + (1 - rho) * gradient**2
        parameter -= lr * gradient / (sqrt(cache) + epsilon)"""

    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, rho=0.9):
        learning_rate, decay, epsilon, rho = check.settings(
            self, learning_rate=learning_rate, decay=decay, epsilon=epsilon, rho=rho)
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.rho = rho

    def update_params(self, layer):
        check.trainable(self, layer)
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights ** 2
        layer.bias_cache = self.rho * layer.bias_cache + (1 - self.rho) * layer.dbiases ** 2
        layer.weights += (-self.current_learning_rate * layer.dweights
                          / (np.sqrt(layer.weight_cache) + self.epsilon))
        layer.biases += (-self.current_learning_rate * layer.dbiases
                         / (np.sqrt(layer.bias_cache) + self.epsilon))


class Optimizer_Adam(_Optimizer):
    """Adaptive moment estimation: SGD's momentum and RMSprop's cache, both
    moving averages that start at zero:
        momentums = beta_1 * momentums + (1 - beta_1) * gradient
        cache     = beta_2 * cache     + (1 - beta_2) * gradient**2
    Starting at zero biases both towards zero in the first steps; dividing by
    1 - beta**step (step = iterations + 1, 1 for the first) removes that bias:
        parameter -= lr * momentums_corrected / (sqrt(cache_corrected) + epsilon)"""

    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        learning_rate, decay, epsilon, beta_1, beta_2 = check.settings(
            self, learning_rate=learning_rate, decay=decay, epsilon=epsilon,
            beta_1=beta_1, beta_2=beta_2)
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def update_params(self, layer):
        check.trainable(self, layer)
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        # Momentums: moving averages of the gradients, and their bias correction.
        layer.weight_momentums = (self.beta_1 * layer.weight_momentums
                                  + (1 - self.beta_1) * layer.dweights)
        layer.bias_momentums = (self.beta_1 * layer.bias_momentums
                                + (1 - self.beta_1) * layer.dbiases)
        weight_momentums_corrected = layer.weight_momentums / (
            1 - self.beta_1 ** (self.iterations + 1))
        bias_momentums_corrected = layer.bias_momentums / (
            1 - self.beta_1 ** (self.iterations + 1))
        # Cache: moving averages of the squared gradients, and their bias correction.
        layer.weight_cache = (self.beta_2 * layer.weight_cache
                              + (1 - self.beta_2) * layer.dweights ** 2)
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases ** 2
        weight_cache_corrected = layer.weight_cache / (1 - self.beta_2 ** (self.iterations + 1))
        bias_cache_corrected = layer.bias_cache / (1 - self.beta_2 ** (self.iterations + 1))
        layer.weights += (-self.current_learning_rate * weight_momentums_corrected
                          / (np.sqrt(weight_cache_corrected) + self.epsilon))
        layer.biases += (-self.current_learning_rate * bias_momentums_corrected
                         / (np.sqrt(bias_cache_corrected) + self.epsilon))
