"""Classic mistakes a learner makes when writing the book's optimizers (see
catalogue.Mistake; every patch edits numpy_impl/optimizers.py).

Optimizers are not registry components: their kill-and-name test is
tests/test_optimizers.py::test_trajectory_catches_and_names_optimizer_mistake,
and tests/optimizer_diagnosis.py names them when a trajectory disagrees. The
component of an entry is the optimizer class whose trajectory shows it first;
mistakes in the shared base class (the learning-rate decay) show in every
optimizer and are listed under Optimizer_SGD.
"""
from .catalogue import Mistake

MISTAKES = []


def _m(name, component, old, new, description, fix):
    MISTAKES.append(Mistake(name, component, "optimizers.py", old, new, description, fix))


# --------------------------------------------------------------- learning-rate decay (all four)
# decay-one-step-late moves the decay from pre_update_params to the end of
# post_update_params (before the step is counted): one patch spanning both.
_DECAY = ("        if self.decay:\n"
          "            self.current_learning_rate = (\n"
          "                self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations)))\n")
_UPDATE_PARAMS = (
    "    def update_params(self, layer):\n"
    "        for parameter, gradient, state in _PARAMETERS:\n"
    "            value, grad = self._parameter_and_gradient(layer, parameter, gradient)\n"
    "            step = self._step(layer, state, grad, value)\n"
    "            # In place, like the book: whoever holds the layer's array sees it move.\n"
    "            value += step\n")
_m("decay-one-step-late", "Optimizer_SGD",
   _DECAY + "\n" + _UPDATE_PARAMS + "\n    def post_update_params(self):\n"
   "        self.iterations += 1\n",
   "        pass\n\n" + _UPDATE_PARAMS + "\n    def post_update_params(self):\n" + _DECAY +
   "        self.iterations += 1\n",
   "your learning rate decays one step late: you update current_learning_rate after "
   "the step (in post_update_params, before counting it), so the first two steps both "
   "use the full lr and step t uses lr / (1 + decay * (t - 1))",
   "set current_learning_rate in pre_update_params, before the parameters move: "
   "lr / (1 + decay * iterations)")
_m("decay-starts-one-step-early", "Optimizer_SGD",
   "(1.0 + self.decay * self.iterations)",
   "(1.0 + self.decay * (self.iterations + 1))",
   "your learning rate decays one step early: the very first step already uses "
   "lr / (1 + decay) (iterations counts COMPLETED steps, 0 at the first one)",
   "use lr / (1 + decay * iterations): the first step uses lr itself")
_m("decay-compounds", "Optimizer_SGD",
   "self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations))",
   "self.current_learning_rate * (1.0 / (1.0 + self.decay * self.iterations))",
   "your decay COMPOUNDS: each step divides the previous step's learning rate "
   "(current_learning_rate) again, so the rate falls like a factorial instead of "
   "lr / (1 + decay * t)",
   "always start from the initial rate: self.learning_rate * (1 / (1 + decay * iterations))")

# --------------------------------------------------------------- Optimizer_SGD
_m("sgd-momentum-sign-flipped", "Optimizer_SGD",
   "velocity = self.momentum * velocity - self.current_learning_rate * grad",
   "velocity = -self.momentum * velocity - self.current_learning_rate * grad",
   "your SGD momentum term has the wrong SIGN: you subtract momentum * the previous "
   "update, which reverses it, instead of adding it so the parameter keeps moving "
   "the way it moved",
   "velocity = momentum * velocity - lr * gradient (the previous update is ADDED)")
_m("sgd-momentum-not-stored", "Optimizer_SGD",
   '        setattr(layer, f"{state}_momentums", velocity)\n        return velocity',
   "        return velocity",
   "your SGD never stores the new velocity on the layer (layer.weight_momentums stays "
   "zero), so every step is plain SGD and momentum does nothing",
   "store the update back: layer.weight_momentums = weight_updates (and the biases')")

# --------------------------------------------------------------- Optimizer_Adagrad
_m("adagrad-cache-not-accumulated", "Optimizer_Adagrad",
   'cache = self._state(layer, f"{state}_cache", value) + grad * grad',
   "cache = grad * grad",
   "your Adagrad cache is REPLACED by this step's squared gradient (cache = g**2) "
   "instead of accumulating all of them (cache += g**2), so each step is about "
   "lr * sign(gradient) and never slows down",
   "add to the cache: layer.weight_cache += layer.dweights**2")

# --------------------------------------------------------------- Optimizer_RMSprop
_m("rmsprop-rho-swapped", "Optimizer_RMSprop",
   "cache = self.rho * cache + (1 - self.rho) * (grad * grad)",
   "cache = (1 - self.rho) * cache + self.rho * (grad * grad)",
   "your RMSprop swaps rho and 1 - rho: the OLD cache must keep the weight rho and the "
   "new squared gradient get 1 - rho",
   "cache = rho * cache + (1 - rho) * gradient**2")
_m("rmsprop-epsilon-inside-sqrt", "Optimizer_RMSprop",
   '        setattr(layer, f"{state}_cache", cache)\n'
   "        return -self.current_learning_rate * grad / (np.sqrt(cache) + self.epsilon)\n"
   "\n\nclass Optimizer_Adam",
   '        setattr(layer, f"{state}_cache", cache)\n'
   "        return -self.current_learning_rate * grad / np.sqrt(cache + self.epsilon)\n"
   "\n\nclass Optimizer_Adam",
   "your RMSprop adds epsilon INSIDE the square root (sqrt(cache + eps)); the book and "
   "torch add it outside (sqrt(cache) + eps), which matters wherever the cache is small",
   "divide by (np.sqrt(cache) + epsilon)")

# --------------------------------------------------------------- Optimizer_Adam
_m("adam-no-bias-correction", "Optimizer_Adam",
   "        momentums_corrected = momentums / (1 - self.beta_1 ** t)\n"
   "        cache_corrected = cache / (1 - self.beta_2 ** t)\n",
   "        momentums_corrected = momentums\n"
   "        cache_corrected = cache\n",
   "your Adam has no BIAS CORRECTION: momentums and cache start at zero, so for the "
   "first steps they are too small until divided by 1 - beta**t",
   "divide the momentums by (1 - beta_1 ** (iterations + 1)) and the cache by "
   "(1 - beta_2 ** (iterations + 1))")
_m("adam-bias-correction-step-from-zero", "Optimizer_Adam",
   "t = self.iterations + 1",
   "t = self.iterations",
   "your Adam's bias correction counts steps from 0: at the first step 1 - beta**0 = 0 "
   "and you divide by zero (NaN), later steps are corrected too much",
   "use iterations + 1 in the corrections: iterations counts COMPLETED steps")
_m("adam-no-1-minus-beta1", "Optimizer_Adam",
   "momentums = self.beta_1 * momentums + (1 - self.beta_1) * grad",
   "momentums = self.beta_1 * momentums + grad",
   "your Adam's momentums lack the (1 - beta_1) factor on the gradient, so they are "
   "1 / (1 - beta_1) times too large (10 times for beta_1 = 0.9)",
   "momentums = beta_1 * momentums + (1 - beta_1) * gradient")
_m("adam-epsilon-inside-sqrt", "Optimizer_Adam",
   "/ (np.sqrt(cache_corrected) + self.epsilon))",
   "/ np.sqrt(cache_corrected + self.epsilon))",
   "your Adam adds epsilon INSIDE the square root (sqrt(cache + eps)); the book and torch "
   "add it outside (sqrt(cache) + eps), which matters wherever the cache is small",
   "divide by (np.sqrt(cache_corrected) + epsilon)")
