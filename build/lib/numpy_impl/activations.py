"""Activation functions with their backward passes."""
import numpy as np

from ._checks import after_forward, as_batch, same_shape


def _zero_where(mask, values):
    """A copy of values with +0.0 wherever mask is True: np.where(mask, 0, values),
    bit for bit, in values' dtype.

    np.where branches on every element; on a mask that is True at random, as ReLU's
    is, the CPU mispredicts half of those branches and runs ten times slower than
    this: the floats' bit patterns, read as unsigned integers, times 0 or 1 become
    +0.0 or stay exactly what they were (NaN, inf and -0.0 included), no branch."""
    dtype = values.dtype
    if dtype.kind == "f" and dtype.isnative and dtype.itemsize in (2, 4, 8):
        bits = np.dtype(f"u{dtype.itemsize}")
        # The 0/1 factors are cast before the product (casting inside it is twice as
        # slow), and the product is written over them (no further array).
        factors = np.logical_not(mask).astype(bits)
        factors *= values.view(bits)
        return factors.view(dtype)
    return np.where(mask, np.zeros((), dtype), values)


class Activation_ReLU:
    """max(0, x), element-wise."""

    def __init__(self):
        self.inputs = None

    def forward(self, inputs):
        inputs = as_batch("Activation_ReLU", "inputs", inputs)
        self.inputs = inputs
        # np.maximum(0, inputs) bit for bit, written into an array of zeros: NumPy's
        # maximum of two arrays runs about three times faster than with a scalar.
        output = np.zeros(inputs.shape, inputs.dtype.newbyteorder("="))
        self.output = np.maximum(output, inputs, out=output)

    def backward(self, dvalues):
        after_forward("Activation_ReLU", self.inputs)
        dvalues = same_shape("Activation_ReLU", "dvalues", dvalues, self.inputs.shape)
        # The gradient passes only where the input was strictly positive; at exactly
        # 0 it is 0, as in torch. Written as "block where x <= 0" so that a NaN input
        # lets the gradient through exactly as torch does.
        self.dinputs = _zero_where(self.inputs <= 0, dvalues)


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


class Activation_Sigmoid:
    """1 / (1 + exp(-x)), element-wise: an independent probability per output."""

    def __init__(self):
        self.inputs = self.output = None

    def forward(self, inputs, training=True):
        # `training` is accepted for the later chapters' Model API and ignored.
        inputs = as_batch("Activation_Sigmoid", "inputs", inputs)
        self.inputs = inputs
        # The book's 1 / (1 + exp(-x)) overflows exp for x below about -88
        # (float32) or -709 (float64). Same function, written so exp only ever
        # sees -|x| <= 0: for x < 0, 1 / (1 + 1/z) = z / (1 + z) with z = exp(x).
        z = np.exp(-np.abs(inputs))
        self.output = np.where(inputs >= 0, 1 / (1 + z), z / (1 + z))

    def backward(self, dvalues):
        after_forward("Activation_Sigmoid", self.output)
        dvalues = same_shape("Activation_Sigmoid", "dvalues", dvalues, self.output.shape)
        # sigma'(x) = sigma(x) * (1 - sigma(x)): written with the OUTPUT, not the input.
        self.dinputs = dvalues * (1 - self.output) * self.output

    def predictions(self, outputs):
        """Class 1 where the probability exceeds 0.5 (the book's Model API)."""
        return (outputs > 0.5) * 1


class Activation_Linear:
    """The identity, y = x: the output activation of a regression model."""

    def __init__(self):
        self.inputs = self.output = None

    def forward(self, inputs, training=True):
        # `training` is accepted for the later chapters' Model API and ignored.
        inputs = as_batch("Activation_Linear", "inputs", inputs)
        self.inputs = inputs
        # A copy, so that nothing downstream can write into the caller's array.
        self.output = inputs.copy()

    def backward(self, dvalues):
        after_forward("Activation_Linear", self.output)
        dvalues = same_shape("Activation_Linear", "dvalues", dvalues, self.output.shape)
        # dy/dx = 1: the gradient passes through unchanged.
        self.dinputs = dvalues.copy()

    def predictions(self, outputs):
        """A regression model's predictions are its outputs (the book's Model API)."""
        return outputs
