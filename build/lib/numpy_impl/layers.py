"""Layers: Layer_Dense (with L1/L2 regularization), Layer_Dropout and Layer_Input."""
import numpy as np

from . import _checks as check


class Layer_Dense:
    """A fully connected layer: output = inputs @ weights + biases, for a batch of
    row vectors; weights are stored (n_inputs, n_neurons), so no transpose."""

    def __init__(self, n_inputs, n_neurons, weight_regularizer_l1=0, weight_regularizer_l2=0,
                 bias_regularizer_l1=0, bias_regularizer_l2=0):
        (n_inputs, n_neurons, weight_regularizer_l1, weight_regularizer_l2,
         bias_regularizer_l1, bias_regularizer_l2) = check.settings(
            self, n_inputs=n_inputs, n_neurons=n_neurons,
            weight_regularizer_l1=weight_regularizer_l1,
            weight_regularizer_l2=weight_regularizer_l2,
            bias_regularizer_l1=bias_regularizer_l1, bias_regularizer_l2=bias_regularizer_l2)
        # Small random weights and zero biases, drawn from NumPy's global generator
        # exactly as the book does, so that its seeded figures reproduce.
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))
        # Regularization strengths (chapter 14); 0 switches a term off.
        self.weight_regularizer_l1 = weight_regularizer_l1
        self.weight_regularizer_l2 = weight_regularizer_l2
        self.bias_regularizer_l1 = bias_regularizer_l1
        self.bias_regularizer_l2 = bias_regularizer_l2

    def forward(self, inputs, training=True):
        # `training` is accepted for the Model API (chapter 18) and ignored.
        inputs = check.layer_inputs(self, inputs)
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        dvalues = check.gradient(self, dvalues)
        # Weight w_ij meets input i and output j in every sample:
        # dweights = inputs.T @ dvalues (a sum over the batch).
        self.dweights = np.dot(self.inputs.T, dvalues)
        # A bias is added to every sample, so its gradient sums over the batch.
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        # The penalties l1 * sum|w| + l2 * sum(w**2) belong to the loss; their
        # derivatives l1 * sign(w) and 2 * l2 * w join the gradients.
        if self.weight_regularizer_l1 > 0:
            self.dweights += self.weight_regularizer_l1 * _sign(self.weights)
        if self.weight_regularizer_l2 > 0:
            self.dweights += 2 * self.weight_regularizer_l2 * self.weights
        if self.bias_regularizer_l1 > 0:
            self.dbiases += self.bias_regularizer_l1 * _sign(self.biases)
        if self.bias_regularizer_l2 > 0:
            self.dbiases += 2 * self.bias_regularizer_l2 * self.biases
        # dinputs = dvalues @ weights.T is computed when first read (property below).
        self._dinputs = None
        self._dvalues = dvalues
        self._weights_at_backward = self.weights.copy()

    @property
    def dinputs(self):
        """Gradient on the inputs: input i reaches output j through w_ij, so
        dinputs = dvalues @ weights.T.

        Computed on first read rather than in backward(): it costs a matrix product
        as large as dweights', and the first layer of a network never reads it
        (computed in backward(), a training step of a 784 -> 256 -> 10 MLP takes
        about 1.75x its unavoidable matrix products instead of 1.25x; see
        scripts/benchmark.py). It uses the dvalues and the weights of the last
        backward(): the weights are copied there, since an optimizer step updates
        them in place; dvalues is kept as given (a copy would cost as much again),
        so writing into it before dinputs is read would change dinputs.
        """
        if self._dinputs is None:
            self._dinputs = np.dot(self._dvalues, self._weights_at_backward.T)
        return self._dinputs

    @dinputs.setter
    def dinputs(self, value):
        self._dinputs = value

    def get_parameters(self):
        return self.weights, self.biases

    def set_parameters(self, weights, biases):
        check.layer_parameters(self, weights, biases)
        self.weights = weights
        self.biases = biases


def _sign(values):
    """d|w|/dw: 1 where w > 0, -1 where w < 0, and 0 at w == 0, where |w| has no
    derivative and torch's autograd uses 0 (as for NaN). The book's np.ones_like
    with -1 where w < 0 gives 1 at 0."""
    sign = np.zeros_like(values)
    sign[values > 0] = 1
    sign[values < 0] = -1
    return sign


class Layer_Dropout:
    """Inverted dropout (chapter 15): while training, each input is zeroed with
    probability `rate` and the survivors are scaled by 1 / (1 - rate), so every
    output keeps its input's expected value and inference needs no rescaling."""

    def __init__(self, rate):
        rate = check.settings(self, rate=rate)
        # As in the book, self.rate holds the probability of KEEPING an input.
        self.rate = 1 - rate

    def forward(self, inputs, training=True):
        inputs = check.batch(self, "inputs", inputs)
        self.inputs = inputs
        if not training:
            # Inference: nothing dropped, nothing scaled.
            self.binary_mask = np.ones_like(inputs)
            self.output = inputs.copy()
            return
        # Keep each input with probability self.rate (the book's draw, from the
        # global generator), and scale the kept ones by 1 / self.rate.
        self.binary_mask = (np.random.binomial(1, self.rate, size=inputs.shape)
                            .astype(inputs.dtype) / self.rate)
        self.output = inputs * self.binary_mask

    def backward(self, dvalues):
        dvalues = check.gradient(self, dvalues)
        # output = inputs * binary_mask, so the gradient is scaled the same way.
        self.dinputs = dvalues * self.binary_mask


class Layer_Input:
    """The model's first "layer" (chapter 18): its output is the model's input."""

    def forward(self, inputs, training=True):
        inputs = check.batch(self, "inputs", inputs)
        self.output = inputs
