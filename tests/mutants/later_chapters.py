"""Classic mistakes in the book's later components (see catalogue.Mistake).

Each one was applied by hand to a copy of numpy_impl and seen to fail
tests/test_components.py (the generic properties) before it was listed here.
"""
from .catalogue import Mistake

MISTAKES = []


def _m(*args):
    MISTAKES.append(Mistake(*args))


# --------------------------------------------------------------- Activation_Sigmoid
_m("sigmoid-backward-uses-input", "Activation_Sigmoid", "activations.py",
   "self.dinputs = dvalues * (1 - self.output) * self.output",
   "self.dinputs = dvalues * (1 - self.inputs) * self.inputs",
   "your sigmoid's dinputs uses the INPUT x in x * (1 - x); the derivative is "
   "sigma(x) * (1 - sigma(x)), in terms of the output",
   "use self.output: dvalues * (1 - self.output) * self.output")

# --------------------------------------------------------------- Loss_BinaryCrossentropy
_m("bce-gradient-not-divided-by-outputs", "Loss_BinaryCrossentropy", "losses.py",
   "self.dinputs = np.where(passes, gradient, 0) / n_outputs / n_samples",
   "self.dinputs = np.where(passes, gradient, 0) / n_samples",
   "your binary cross-entropy gradient is not divided by the number of OUTPUTS; the "
   "sample loss is the mean over the outputs, so each output's share is 1 / outputs",
   "divide by the number of outputs (len(dvalues[0])) as well as by the samples")
_m("bce-gradient-ignores-clip", "Loss_BinaryCrossentropy", "losses.py",
   "self.dinputs = np.where(passes, gradient, 0) / n_outputs / n_samples",
   "self.dinputs = gradient / n_outputs / n_samples",
   "your binary cross-entropy gradient is not 0 where the clip is active (p below 1e-7 "
   "or above 1 - 1e-7): a clipped value does not move when p moves (the book's own "
   "backward has this)",
   "set the gradient to 0 where np.clip changed p (dvalues != clipped)")
_m("bce-clip-forward-only", "Loss_BinaryCrossentropy", "losses.py",
   "self.dinputs = np.where(passes, gradient, 0) / n_outputs / n_samples",
   "self.dinputs = -(y_true / dvalues - (1 - y_true) / (1 - dvalues)) / n_outputs / n_samples",
   "your binary cross-entropy clips p in forward only: backward divides by the raw p "
   "and 1 - p, which gives inf or NaN at p = 0 or 1",
   "clip dvalues in backward too, and set the gradient to 0 where the clip is active")

# --------------------------------------------------------------- Loss_MeanSquaredError
_m("mse-gradient-missing-2", "Loss_MeanSquaredError", "losses.py",
   "self.dinputs = -2 * (y_true - dvalues) / n_outputs / n_samples",
   "self.dinputs = -(y_true - dvalues) / n_outputs / n_samples",
   "your mean squared error gradient lacks the factor 2 of d/dp (y - p)^2 = -2 (y - p)",
   "multiply by -2: self.dinputs = -2 * (y_true - dvalues) / outputs / samples")
_m("mse-gradient-wrong-sign", "Loss_MeanSquaredError", "losses.py",
   "self.dinputs = -2 * (y_true - dvalues) / n_outputs / n_samples",
   "self.dinputs = 2 * (y_true - dvalues) / n_outputs / n_samples",
   "your mean squared error gradient has the wrong SIGN: the chain rule through "
   "(y - p) brings a factor -1",
   "use -2 * (y_true - dvalues), i.e. 2 * (dvalues - y_true)")

# --------------------------------------------------------------- Loss_MeanAbsoluteError
_m("mae-sign-one-at-zero", "Loss_MeanAbsoluteError", "losses.py",
   "sign = (difference > 0).astype(dvalues.dtype) - (difference < 0).astype(dvalues.dtype)",
   "sign = np.where(difference >= 0, 1, -1).astype(dvalues.dtype)",
   "your mean absolute error gradient is +1 where the prediction equals the target; "
   "torch's derivative of |x| at 0 is 0",
   "use a sign that is 0 at 0, e.g. (d > 0) - (d < 0)")
_m("mae-book-sign", "Loss_MeanAbsoluteError", "losses.py",
   "sign = (difference > 0).astype(dvalues.dtype) - (difference < 0).astype(dvalues.dtype)",
   "sign = np.sign(y_true - dvalues)",
   "your mean absolute error gradient is sign(y - p), as the book prints it: d/dp |y - p| "
   "is sign(p - y), the opposite direction",
   "use np.sign(dvalues - y_true) (and 0 where the difference is NaN, as torch)")

# --------------------------------------------------------------- Layer_Dense + regularizers
_m("l2-gradient-missing-2", "Layer_Dense+regularizers", "layers.py",
   "self.dweights = self.dweights + 2 * self.weight_regularizer_l2 * self.weights",
   "self.dweights = self.dweights + self.weight_regularizer_l2 * self.weights",
   "your L2 weight regularization gradient lacks the factor 2 of d/dw (l2 * w^2) = 2 * l2 * w",
   "add 2 * self.weight_regularizer_l2 * self.weights")
_m("l1-gradient-one-at-zero", "Layer_Dense+regularizers", "layers.py",
   "return (values > 0).astype(values.dtype) - (values < 0).astype(values.dtype)",
   "return np.where(values < 0, -1, 1).astype(values.dtype)",
   "your L1 regularization gradient is +1 at a weight of exactly 0, as the book's "
   "dL1 = np.ones_like(weights) gives; torch's derivative of |w| at 0 is 0 (biases "
   "start at exactly 0, so this shows from the first step)",
   "make the derivative 0 where the weight is 0, e.g. (w > 0) - (w < 0)")
_m("l1-bias-uses-weight-strength", "Layer_Dense+regularizers", "layers.py",
   "self.dbiases = self.dbiases + self.bias_regularizer_l1 * _sign(self.biases)",
   "self.dbiases = self.dbiases + self.weight_regularizer_l1 * _sign(self.biases)",
   "your bias L1 gradient uses the WEIGHT regularizer's strength",
   "use self.bias_regularizer_l1 for the biases")

# --------------------------------------------------------------- Loss.regularization_loss
_m("regularization-loss-l2-not-squared", "Loss.regularization_loss", "losses.py",
   "layer.weight_regularizer_l2 * np.sum(weights * weights)",
   "layer.weight_regularizer_l2 * np.sum(weights)",
   "your L2 penalty sums the weights instead of their SQUARES",
   "use np.sum(layer.weights * layer.weights)")

# --------------------------------------------------------------- Layer_Dropout
_m("dropout-mask-not-scaled", "Layer_Dropout", "layers.py",
   "self.binary_mask = mask.astype(inputs.dtype) / self.rate",
   "self.binary_mask = mask.astype(inputs.dtype)",
   "your dropout does not divide the kept inputs by 1 - rate, so the outputs shrink "
   "on average (inverted dropout scales them back up)",
   "divide the 0/1 mask by the keep probability 1 - rate")
_m("dropout-rate-as-keep-probability", "Layer_Dropout", "layers.py",
   "self.rate = 1 - rate",
   "self.rate = rate",
   "your dropout uses rate as the probability of KEEPING an input; rate is the fraction "
   "dropped",
   "keep inputs with probability 1 - rate and divide the survivors by 1 - rate")
_m("dropout-backward-ignores-mask", "Layer_Dropout", "layers.py",
   "self.dinputs = dvalues * self.binary_mask",
   "self.dinputs = dvalues.copy()",
   "your dropout's backward lets the gradient through everywhere: dropped inputs did "
   "not affect the output, so their gradient is 0, and kept ones are scaled",
   "multiply dvalues by the same scaled mask as forward")
_m("dropout-drops-at-inference", "Layer_Dropout+inference", "layers.py",
   "        if not training:\n"
   "            self.mask = self.binary_mask = None\n"
   "            self.output = inputs.copy()\n"
   "            return\n",
   "",
   "your dropout still drops inputs when training=False; at inference it must be the "
   "identity",
   "when not training, set output to a copy of the inputs and skip the mask")
