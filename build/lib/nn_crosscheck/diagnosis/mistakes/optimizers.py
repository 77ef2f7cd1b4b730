"""Mistakes in the optimizers, each written as the book writes its optimizer
with one line changed. A mistake in the shared learning-rate decay shows in
every optimizer; it is listed under Optimizer_SGD."""
import numpy as np

from numpy_impl import Optimizer_Adagrad, Optimizer_Adam, Optimizer_RMSprop, Optimizer_SGD

from ..catalogue import mistake


def _state(layer, name, like):
    """layer.<name>, created as zeros shaped like `like` on first use (book style)."""
    if not hasattr(layer, name) or getattr(layer, name) is None:
        setattr(layer, name, np.zeros_like(like))
    return getattr(layer, name)


# ---------------------------------------------------------------- learning-rate decay
# The decay is the same code in every optimizer of the book: each mistake below
# is one mixin, registered for each of the four.
class DecayOneStepLate:
    def pre_update_params(self):
        pass

    def post_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (
                1. / (1. + self.decay * self.iterations))
        self.iterations += 1


class DecayOneStepEarly:
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (
                1. / (1. + self.decay * (self.iterations + 1)))


class DecayCompounds:
    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.current_learning_rate * (
                1. / (1. + self.decay * self.iterations))


DECAY_MISTAKES = (
    ("decay-one-step-late", DecayOneStepLate,
     "your learning rate decays one step late: you update current_learning_rate after the "
     "step (in post_update_params, before counting it), so the first two steps both use the "
     "full lr and step t uses lr / (1 + decay * (t - 1))",
     "set current_learning_rate in pre_update_params, before the parameters move: "
     "lr / (1 + decay * iterations)"),
    ("decay-starts-one-step-early", DecayOneStepEarly,
     "your learning rate decays one step early: the very first step already uses "
     "lr / (1 + decay) (iterations counts COMPLETED steps, 0 at the first)",
     "use lr / (1 + decay * iterations): the first step uses lr itself"),
    ("decay-compounds", DecayCompounds,
     "your decay COMPOUNDS: each step divides the previous step's learning rate again "
     "(current_learning_rate, or learning_rate itself), so the rate falls like a factorial "
     "instead of lr / (1 + decay * t)",
     "always start from the initial rate, and leave it unchanged: "
     "self.current_learning_rate = self.learning_rate * (1 / (1 + decay * iterations))"),
)
for _optimizer in (Optimizer_SGD, Optimizer_Adagrad, Optimizer_RMSprop, Optimizer_Adam):
    for _name, _mixin, _description, _fix in DECAY_MISTAKES:
        mistake(_name, _optimizer.__name__, description=_description, fix=_fix)(
            type(f"{_mixin.__name__}{_optimizer.__name__.split('_')[1]}",
                 (_mixin, _optimizer), {}))


# ---------------------------------------------------------------- SGD
class _BookSGD(Optimizer_SGD):
    """The book's SGD update, for the mistakes below to change one line of."""
    sign = 1.0
    store = True

    def update_params(self, layer):
        if not self.momentum:
            return super().update_params(layer)
        for parameter, gradient, state in (("weights", "dweights", "weight_momentums"),
                                           ("biases", "dbiases", "bias_momentums")):
            momentums = _state(layer, state, getattr(layer, parameter))
            updates = (self.sign * self.momentum * momentums
                       - self.current_learning_rate * getattr(layer, gradient))
            if self.store:
                setattr(layer, state, updates)
            getattr(layer, parameter)[...] += updates


@mistake("sgd-momentum-sign-flipped", "Optimizer_SGD",
         description="your SGD momentum term has the wrong SIGN: you subtract momentum * the "
                     "previous update, which reverses it, instead of adding it so the "
                     "parameter keeps moving the way it moved",
         fix="weight_updates = momentum * layer.weight_momentums - lr * layer.dweights")
class SgdMomentumSignFlipped(_BookSGD):
    sign = -1.0


@mistake("sgd-momentum-not-stored", "Optimizer_SGD",
         description="your SGD never stores the new velocity on the layer "
                     "(layer.weight_momentums stays zero), so every step is plain SGD and "
                     "momentum does nothing",
         fix="store the update back: layer.weight_momentums = weight_updates (and the biases')")
class SgdMomentumNotStored(_BookSGD):
    store = False


# ---------------------------------------------------------------- Adagrad
@mistake("adagrad-cache-not-accumulated", "Optimizer_Adagrad",
         description="your Adagrad cache is REPLACED by this step's squared gradient "
                     "(cache = g**2) instead of accumulating all of them (cache += g**2), so "
                     "each step is about lr * sign(gradient) and never slows down",
         fix="add to the cache: layer.weight_cache += layer.dweights**2")
class AdagradCacheReplaced(Optimizer_Adagrad):
    def update_params(self, layer):
        layer.weight_cache = layer.dweights ** 2
        layer.bias_cache = layer.dbiases ** 2
        layer.weights += -self.current_learning_rate * layer.dweights / (
            np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (
            np.sqrt(layer.bias_cache) + self.epsilon)


# ---------------------------------------------------------------- RMSprop
class _BookRMSprop(Optimizer_RMSprop):
    def cache(self, old, gradient):
        return self.rho * old + (1 - self.rho) * gradient ** 2

    def step(self, gradient, cache):
        return -self.current_learning_rate * gradient / (np.sqrt(cache) + self.epsilon)

    def update_params(self, layer):
        for parameter, gradient, state in (("weights", "dweights", "weight_cache"),
                                           ("biases", "dbiases", "bias_cache")):
            cache = self.cache(_state(layer, state, getattr(layer, parameter)),
                               getattr(layer, gradient))
            setattr(layer, state, cache)
            getattr(layer, parameter)[...] += self.step(getattr(layer, gradient), cache)


@mistake("rmsprop-rho-swapped", "Optimizer_RMSprop",
         description="your RMSprop swaps rho and 1 - rho: the OLD cache must keep the weight "
                     "rho and the new squared gradient get 1 - rho",
         fix="cache = rho * cache + (1 - rho) * gradient**2")
class RmspropRhoSwapped(_BookRMSprop):
    def cache(self, old, gradient):
        return (1 - self.rho) * old + self.rho * gradient ** 2


@mistake("rmsprop-epsilon-inside-sqrt", "Optimizer_RMSprop",
         description="your RMSprop adds epsilon INSIDE the square root (sqrt(cache + eps)); "
                     "the book and torch add it outside (sqrt(cache) + eps), which matters "
                     "wherever the cache is small",
         fix="divide by (np.sqrt(cache) + epsilon)")
class RmspropEpsilonInside(_BookRMSprop):
    def step(self, gradient, cache):
        return -self.current_learning_rate * gradient / np.sqrt(cache + self.epsilon)


# ---------------------------------------------------------------- Adam
class _BookAdam(Optimizer_Adam):
    one_minus_beta_1 = True
    corrected = True
    step_offset = 1
    epsilon_inside = False

    def update_params(self, layer):
        t = self.iterations + self.step_offset
        for parameter, gradient, prefix in (("weights", "dweights", "weight"),
                                            ("biases", "dbiases", "bias")):
            value, g = getattr(layer, parameter), getattr(layer, gradient)
            momentums = _state(layer, f"{prefix}_momentums", value)
            cache = _state(layer, f"{prefix}_cache", value)
            momentums = self.beta_1 * momentums + (
                (1 - self.beta_1) * g if self.one_minus_beta_1 else g)
            cache = self.beta_2 * cache + (1 - self.beta_2) * g ** 2
            setattr(layer, f"{prefix}_momentums", momentums)
            setattr(layer, f"{prefix}_cache", cache)
            with np.errstate(divide="ignore", invalid="ignore"):
                m_hat = momentums / (1 - self.beta_1 ** t) if self.corrected else momentums
                c_hat = cache / (1 - self.beta_2 ** t) if self.corrected else cache
                root = np.sqrt(c_hat + self.epsilon) if self.epsilon_inside \
                    else np.sqrt(c_hat) + self.epsilon
                value[...] += -self.current_learning_rate * m_hat / root


@mistake("adam-no-bias-correction", "Optimizer_Adam",
         description="your Adam has no BIAS CORRECTION: momentums and cache start at zero, so "
                     "for the first steps they are too small until divided by 1 - beta**t",
         fix="divide the momentums by (1 - beta_1 ** (iterations + 1)) and the cache by "
             "(1 - beta_2 ** (iterations + 1))")
class AdamNoBiasCorrection(_BookAdam):
    corrected = False


@mistake("adam-bias-correction-step-from-zero", "Optimizer_Adam",
         description="your Adam's bias correction counts steps from 0: at the first step "
                     "1 - beta**0 = 0 and you divide by zero (NaN), later steps are corrected "
                     "too much",
         fix="use iterations + 1 in the corrections: iterations counts COMPLETED steps")
class AdamStepFromZero(_BookAdam):
    step_offset = 0


@mistake("adam-no-1-minus-beta1", "Optimizer_Adam",
         description="your Adam's momentums lack the (1 - beta_1) factor on the gradient, so "
                     "they are 1 / (1 - beta_1) times too large (10 times for beta_1 = 0.9)",
         fix="momentums = beta_1 * momentums + (1 - beta_1) * gradient")
class AdamNoOneMinusBeta1(_BookAdam):
    one_minus_beta_1 = False


@mistake("adam-epsilon-inside-sqrt", "Optimizer_Adam",
         description="your Adam adds epsilon INSIDE the square root (sqrt(cache + eps)); the "
                     "book and torch add it outside (sqrt(cache) + eps), which matters wherever "
                     "the cache is small",
         fix="divide by (np.sqrt(cache_corrected) + epsilon)")
class AdamEpsilonInside(_BookAdam):
    epsilon_inside = True
