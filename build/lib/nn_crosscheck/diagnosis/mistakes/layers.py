"""Mistakes in Layer_Dense (forward, backward, L1/L2) and Layer_Dropout."""
import numpy as np

from numpy_impl import Layer_Dense, Layer_Dropout

from ..catalogue import mistake

DENSE = "Layer_Dense"
REGULARIZED = "Layer_Dense+regularizers"


# ---------------------------------------------------------------- forward
@mistake("dense-forward-drops-bias", DENSE,
         description="your output lacks the BIAS term",
         fix="add self.biases to np.dot(inputs, self.weights)")
class DenseDropsBias(Layer_Dense):
    def forward(self, inputs, training=True):
        super().forward(inputs)
        self.output = np.dot(inputs, self.weights)


@mistake("dense-float32-dot", DENSE,
         description="your output was computed in float32 and cast back (what nnfs.init() "
                     "does to np.dot)",
         fix="compute in the inputs' own dtype; do not call nnfs.init() where float64 matters")
class DenseFloat32Dot(Layer_Dense):
    def forward(self, inputs, training=True):
        super().forward(inputs)
        product = np.dot(inputs.astype(np.float32), self.weights.astype(np.float32))
        self.output = product.astype(inputs.dtype) + self.biases


# ---------------------------------------------------------------- backward
@mistake("dense-dbiases-mean", DENSE,
         description="your dbiases is the MEAN of dvalues over the batch; torch uses the SUM",
         fix="use np.sum(dvalues, axis=0, keepdims=True): the upstream loss already averaged")
class DenseDbiasesMean(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.mean(dvalues, axis=0, keepdims=True)


@mistake("dense-dbiases-wrong-axis", DENSE,
         description="your dbiases sums over the neurons (axis=1) instead of over the batch "
                     "(axis=0)",
         fix="sum over axis=0, the samples")
class DenseDbiasesWrongAxis(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.sum(dvalues, axis=1, keepdims=True)


@mistake("dense-dbiases-no-keepdims", DENSE,
         description="your dbiases has shape (n_neurons,), torch's (like the biases) is "
                     "(1, n_neurons)",
         fix="pass keepdims=True")
class DenseDbiasesNoKeepdims(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.sum(dvalues, axis=0)


@mistake("dense-dweights-swapped", DENSE,
         description="your dweights is TRANSPOSED: dvalues.T @ inputs instead of "
                     "inputs.T @ dvalues",
         fix="use np.dot(self.inputs.T, dvalues), which has the weights' shape")
class DenseDweightsSwapped(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dweights = np.dot(dvalues.T, self.inputs)


@mistake("dense-dinputs-no-transpose", DENSE,
         description="your dinputs multiplies by the weights, not by their TRANSPOSE",
         fix="use np.dot(dvalues, self.weights.T)")
class DenseDinputsNoTranspose(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dinputs = np.dot(dvalues, self.weights)


@mistake("dense-dweights-divided-by-batch", DENSE,
         description="your dweights is divided by the batch size a second time",
         fix="do not divide: the loss's gradient already carries the 1/N of the mean")
class DenseDweightsDividedByBatch(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dweights = self.dweights / len(dvalues)


# ---------------------------------------------------------------- L1 / L2
def _data_gradients(layer, dvalues):
    layer.dweights = np.dot(layer.inputs.T, dvalues)
    layer.dbiases = np.sum(dvalues, axis=0, keepdims=True)
    layer.dinputs = np.dot(dvalues, layer.weights.T)


@mistake("l2-gradient-missing-2", REGULARIZED, DENSE,
         description="your L2 weight regularization gradient lacks the factor 2 of "
                     "d/dw (l2 * w^2) = 2 * l2 * w",
         fix="add 2 * self.weight_regularizer_l2 * self.weights")
class DenseL2Missing2(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        if self.weight_regularizer_l2 > 0:
            self.dweights = self.dweights - self.weight_regularizer_l2 * self.weights


@mistake("l1-gradient-one-at-zero", REGULARIZED, DENSE, book=True,
         description="your L1 regularization gradient is +1 at a weight of exactly 0 (the "
                     "book's dL1 = np.ones_like(weights); dL1[weights < 0] = -1); torch's "
                     "derivative of |w| at 0 is 0, and biases start at exactly 0",
         fix="make the derivative 0 where the weight is 0, e.g. np.sign(weights)")
class DenseL1OneAtZero(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        for value, gradient, l1 in ((self.weights, "dweights", self.weight_regularizer_l1),
                                    (self.biases, "dbiases", self.bias_regularizer_l1)):
            if l1 > 0:
                at_zero = (value == 0).astype(value.dtype)
                setattr(self, gradient, getattr(self, gradient) + l1 * at_zero)


@mistake("l1-bias-uses-weight-strength", REGULARIZED, DENSE,
         description="your bias L1 gradient uses the WEIGHT regularizer's strength",
         fix="use self.bias_regularizer_l1 for the biases")
class DenseL1BiasWeightStrength(Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        sign = np.sign(self.biases)
        self.dbiases = (self.dbiases - self.bias_regularizer_l1 * sign
                        + self.weight_regularizer_l1 * sign)


# ---------------------------------------------------------------- dropout
@mistake("dropout-mask-not-scaled", "Layer_Dropout",
         description="your dropout does not divide the kept inputs by 1 - rate, so the "
                     "outputs shrink on average (inverted dropout scales them back up)",
         fix="divide the 0/1 mask by the keep probability 1 - rate")
class DropoutNotScaled(Layer_Dropout):
    def forward(self, inputs, training=True):
        super().forward(inputs, training)
        if training:
            self.binary_mask = self.binary_mask * self.rate
            self.output = inputs * self.binary_mask


@mistake("dropout-rate-as-keep-probability", "Layer_Dropout",
         description="your dropout uses rate as the probability of KEEPING an input; rate is "
                     "the fraction dropped",
         fix="keep inputs with probability 1 - rate and divide the survivors by 1 - rate")
class DropoutRateAsKeep(Layer_Dropout):
    def __init__(self, rate):
        super().__init__(rate)
        self.rate = 1 - self.rate


@mistake("dropout-backward-ignores-mask", "Layer_Dropout",
         description="your dropout's backward lets the gradient through everywhere: dropped "
                     "inputs did not affect the output, so their gradient is 0, and kept ones "
                     "are scaled",
         fix="multiply dvalues by the same scaled mask as forward")
class DropoutBackwardIgnoresMask(Layer_Dropout):
    def backward(self, dvalues):
        self.dinputs = dvalues.copy()


@mistake("dropout-drops-at-inference", "Layer_Dropout+inference", "Layer_Dropout",
         description="your dropout still drops inputs when training=False; at inference it "
                     "must be the identity",
         fix="when not training, set output to a copy of the inputs and skip the mask")
class DropoutDropsAtInference(Layer_Dropout):
    def forward(self, inputs, training=True):
        super().forward(inputs, True)


@mistake("book-dropout-float64-mask", "Layer_Dropout", book=True,
         description={"dtype": "your dropout is the book's: the integer mask from "
                               "np.random.binomial divided by a Python float is float64, so "
                               "float32 inputs give float64 outputs and gradients",
                      "values": "your dropout is the book's formula, but its values differ"},
         fix="cast the mask to the inputs' dtype: mask.astype(inputs.dtype) / self.rate")
class BookDropout(Layer_Dropout):
    def forward(self, inputs, training=True):
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        self.binary_mask = np.random.binomial(1, self.rate, size=inputs.shape) / self.rate
        self.output = inputs * self.binary_mask

    def backward(self, dvalues):
        self.dinputs = dvalues * self.binary_mask
