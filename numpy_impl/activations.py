"""Activation functions with their backward passes."""
import numpy as np

from ._checks import after_forward, as_batch, same_shape


class Activation_ReLU:
    """max(0, x), element-wise."""

    def __init__(self):
        self.inputs = None

    def forward(self, inputs):
        inputs = as_batch("Activation_ReLU", "inputs", inputs)
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        after_forward("Activation_ReLU", self.inputs)
        dvalues = same_shape("Activation_ReLU", "dvalues", dvalues, self.inputs.shape)
        # The gradient passes only where the input was strictly positive; at exactly
        # 0 it is 0, as in torch. Written as "block where x <= 0" so that a NaN input
        # lets the gradient through exactly as torch does.
        self.dinputs = np.where(self.inputs <= 0, np.zeros((), dvalues.dtype), dvalues)


class Activation_Softmax:
    """Row-wise softmax, shifted by the row max so exp never overflows."""

    def __init__(self):
        self.output = None

    def forward(self, inputs):
        inputs = as_batch("Activation_Softmax", "inputs", inputs)
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)

    def backward(self, dvalues):
        after_forward("Activation_Softmax", self.output)
        dvalues = same_shape("Activation_Softmax", "dvalues", dvalues, self.output.shape)
        # The Jacobian of one row is diag(s) - s s^T. Multiplying it by the row's
        # upstream gradient g gives s * g - s * (s . g) = s * (g - s . g):
        # the whole batch at once, without building any K x K matrix.
        s = self.output
        self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=1, keepdims=True))
