"""Mistakes in the activations: ReLU, Softmax, Sigmoid."""
import numpy as np

from numpy_impl import Activation_ReLU, Activation_Sigmoid, Activation_Softmax

from ..catalogue import mistake

RELU, SOFTMAX = "Activation_ReLU", "Activation_Softmax"


# ---------------------------------------------------------------- ReLU
@mistake("relu-gradient-at-zero", RELU,
         description="your ReLU passes gradient where the input is exactly 0 (it blocks "
                     "only inputs < 0); torch's gradient there is 0",
         fix="block the gradient where inputs <= 0, not only where inputs < 0")
class ReluGradientAtZero(Activation_ReLU):
    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs < 0] = 0


@mistake("relu-backward-in-place", RELU,
         description="your ReLU backward writes into dvalues (dinputs = dvalues is not a copy)",
         fix="start from dvalues.copy()")
class ReluBackwardInPlace(Activation_ReLU):
    def backward(self, dvalues):
        self.dinputs = dvalues
        self.dinputs[self.inputs <= 0] = 0


@mistake("relu-backward-uses-upstream-sign", RELU,
         description="your ReLU backward masks by the sign of dvalues instead of the sign of "
                     "the inputs",
         fix="mask where the forward INPUT was <= 0")
class ReluUpstreamSign(Activation_ReLU):
    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[dvalues <= 0] = 0


# ---------------------------------------------------------------- Softmax
def _softmax(exp_values, axis=1):
    return exp_values / np.sum(exp_values, axis=axis, keepdims=True)


@mistake("softmax-no-max-shift", SOFTMAX,
         description="your softmax overflows: exp of large logits is inf (or 0/0 for very "
                     "negative rows)",
         fix="subtract the row max before exp: np.exp(inputs - np.max(inputs, axis=1, "
             "keepdims=True))")
class SoftmaxNoMaxShift(Activation_Softmax):
    def forward(self, inputs, training=True):
        super().forward(inputs)
        self.output = _softmax(np.exp(inputs))


@mistake("softmax-global-max", SOFTMAX,
         description="your softmax subtracts the max of the whole batch, not of each row: rows "
                     "far below it underflow to 0/0",
         fix="take the max per row: axis=1, keepdims=True")
class SoftmaxGlobalMax(Activation_Softmax):
    def forward(self, inputs, training=True):
        super().forward(inputs)
        self.output = _softmax(np.exp(inputs - np.max(inputs)))


@mistake("softmax-normalise-wrong-axis", SOFTMAX,
         description="your softmax normalizes over the batch (axis=0) instead of over each row",
         fix="sum over axis=1")
class SoftmaxNormaliseWrongAxis(Activation_Softmax):
    def forward(self, inputs, training=True):
        super().forward(inputs)
        self.output = _softmax(np.exp(inputs - np.max(inputs, axis=1, keepdims=True)), axis=0)


@mistake("softmax-jacobian-diagonal-only", SOFTMAX,
         description="your softmax backward uses only the DIAGONAL of the Jacobian: the "
                     "off-diagonal terms -s_i*s_j are missing",
         fix="use the full Jacobian-vector product s * (dvalues - sum(dvalues * s, axis=1, "
             "keepdims=True))")
class SoftmaxDiagonalOnly(Activation_Softmax):
    def backward(self, dvalues):
        self.dinputs = self.output * (1 - self.output) * dvalues


@mistake("softmax-backward-no-keepdims", SOFTMAX,
         description="your softmax backward subtracts a row sum without keepdims, so it "
                     "broadcasts along the wrong axis",
         fix="keepdims=True, so each row subtracts its own sum")
class SoftmaxBackwardNoKeepdims(Activation_Softmax):
    def backward(self, dvalues):
        s = self.output
        self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=1))


@mistake("softmax-backward-wrong-axis", SOFTMAX,
         description="your softmax backward sums dvalues * s over the batch (axis=0) instead "
                     "of over each row",
         fix="sum over axis=1 with keepdims=True")
class SoftmaxBackwardWrongAxis(Activation_Softmax):
    def backward(self, dvalues):
        s = self.output
        self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=0, keepdims=True))


@mistake("softmax-backward-sign", SOFTMAX,
         description="your softmax backward has the wrong SIGN",
         fix="s * (dvalues - sum(dvalues * s, axis=1, keepdims=True))")
class SoftmaxBackwardSign(Activation_Softmax):
    def backward(self, dvalues):
        s = self.output
        self.dinputs = s * (np.sum(dvalues * s, axis=1, keepdims=True) - dvalues)


# ---------------------------------------------------------------- Sigmoid
@mistake("sigmoid-backward-uses-input", "Activation_Sigmoid",
         description="your sigmoid's dinputs uses the INPUT x in x * (1 - x); the derivative is "
                     "sigma(x) * (1 - sigma(x)), in terms of the output",
         fix="use self.output: dvalues * (1 - self.output) * self.output")
class SigmoidFromInput(Activation_Sigmoid):
    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.inputs) * self.inputs
