"""Layer_Dense: a fully connected layer, written as in the book but vectorized."""
import numpy as np

from ._checks import after_forward, as_batch, same_shape


class Layer_Dense:
    """output = inputs @ weights + biases, for a batch of row vectors."""

    def __init__(self, n_inputs, n_neurons):
        # Drawn from NumPy's global generator exactly as the book does, so that the
        # book's seeded figures (after nnfs.init()) reproduce.
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))
        self.inputs = None

    def forward(self, inputs):
        n_inputs, n_neurons = self.weights.shape
        inputs = as_batch("Layer_Dense", "inputs", inputs, width=n_inputs)
        if self.biases.shape != (1, n_neurons):
            raise ValueError(f"Layer_Dense: biases must have shape (1, {n_neurons}), "
                             f"received shape {self.biases.shape}")
        self.inputs = inputs
        # weights are stored (n_inputs, n_neurons): no transpose needed.
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        after_forward("Layer_Dense", self.inputs)
        dvalues = same_shape("Layer_Dense", "dvalues", dvalues, self.output.shape)
        # Each weight w_ij touches every sample's output j through input i:
        # sum over the batch of inputs_i * dvalues_j, i.e. inputs.T @ dvalues.
        self.dweights = np.dot(self.inputs.T, dvalues)
        # A bias is added to every sample, so its gradient sums over the batch.
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)
