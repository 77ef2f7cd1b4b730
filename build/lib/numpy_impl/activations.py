"""Activation functions with their backward passes, and the predictions each
gives a Model (chapter 18)."""
import numpy as np

from . import _checks as check


class Activation_ReLU:
    """max(0, x), element-wise."""

    def forward(self, inputs, training=True):
        # `training` is accepted for the Model API (chapter 18) and ignored.
        inputs = check.batch(self, "inputs", inputs)
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        dvalues = check.gradient(self, dvalues)
        # The gradient passes where the input was positive and is 0 where it was
        # negative or zero (torch's gradient at exactly 0 is 0 too). A NaN input
        # is not <= 0, so it lets the gradient through, as in torch.
        # The book writes it  dinputs = dvalues.copy(); dinputs[inputs <= 0] = 0.
        # That masked write branches on every element, and on a mask as random
        # as ReLU's the CPU mispredicts half of the branches: it costs a fifth of
        # a whole training step (scripts/benchmark.py). The same result without a
        # branch: each float's bits, read as an unsigned integer, times 1 stay
        # exactly what they were (NaN, inf and -0.0 included) and times 0 become
        # the bits of +0.0.
        keep = ~(self.inputs <= 0)
        bits = dvalues.view(f"u{dvalues.itemsize}")
        self.dinputs = (bits * keep).view(dvalues.dtype)

    def predictions(self, outputs):
        outputs = check.batch(self, "outputs", outputs)
        return outputs


class Activation_Softmax:
    """Row-wise softmax: exp(x) / sum(exp(x)), shifted by the row max so that exp
    never overflows (the shift cancels in the quotient)."""

    def forward(self, inputs, training=True):
        inputs = check.batch(self, "inputs", inputs)
        self.inputs = inputs
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)

    def backward(self, dvalues):
        dvalues = check.gradient(self, dvalues)
        # Each row's Jacobian is diag(s) - s s^T; times the row's gradient g it is
        # s * g - s * (s . g) = s * (g - s . g): the whole batch at once, without
        # building any K x K matrix.
        s = self.output
        self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=1, keepdims=True))

    def predictions(self, outputs):
        outputs = check.batch(self, "outputs", outputs)
        # The class with the highest probability.
        return np.argmax(outputs, axis=1)


class Activation_Sigmoid:
    """1 / (1 + exp(-x)), element-wise: an independent probability per output."""

    def forward(self, inputs, training=True):
        inputs = check.batch(self, "inputs", inputs)
        self.inputs = inputs
        # The book's 1 / (1 + exp(-x)) overflows exp for x below about -88
        # (float32) or -709 (float64). The same function, written so that exp only
        # sees -|x| <= 0: for x < 0, 1 / (1 + 1/z) = z / (1 + z) with z = exp(x).
        z = np.exp(-np.abs(inputs))
        self.output = np.where(inputs >= 0, 1 / (1 + z), z / (1 + z))

    def backward(self, dvalues):
        dvalues = check.gradient(self, dvalues)
        # sigma'(x) = sigma(x) * (1 - sigma(x)), written with the output.
        self.dinputs = dvalues * (1 - self.output) * self.output

    def predictions(self, outputs):
        outputs = check.batch(self, "outputs", outputs)
        # Class 1 where the probability exceeds 0.5.
        return (outputs > 0.5) * 1


class Activation_Linear:
    """The identity, y = x: the output activation of a regression model."""

    def forward(self, inputs, training=True):
        inputs = check.batch(self, "inputs", inputs)
        self.inputs = inputs
        # A copy, so that nothing downstream can write into the caller's array.
        self.output = inputs.copy()

    def backward(self, dvalues):
        dvalues = check.gradient(self, dvalues)
        # dy/dx = 1: the gradient passes through unchanged.
        self.dinputs = dvalues.copy()

    def predictions(self, outputs):
        outputs = check.batch(self, "outputs", outputs)
        return outputs
