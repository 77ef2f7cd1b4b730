"""Softmax with its own backward pass, vectorized.

I worked out d softmax_i / d z_i = s_i (1 - s_i) and used it for the whole
backward pass (much faster than the Jacobian loop in the book).
"""
import numpy as np
from nnfs.datasets import spiral_data


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class Activation_Softmax:
    def forward(self, inputs):
        e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = e / np.sum(e, axis=1, keepdims=True)

    def backward(self, dvalues):
        s = self.output
        self.dinputs = dvalues * s * (1 - s)


class Loss:
    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        p = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if y_true.ndim == 1:
            return -np.log(p[np.arange(len(p)), y_true])
        return -np.log(np.sum(p * y_true.astype(p.dtype), axis=1))

    def backward(self, dvalues, y_true):
        n, k = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(k, dtype=dvalues.dtype)[y_true]
        p = np.clip(dvalues, 1e-7, 1 - 1e-7)
        g = -y_true.astype(dvalues.dtype) / p
        g[p != dvalues] = 0
        self.dinputs = g / n


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def __init__(self):
        self.activation = Activation_Softmax()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        z = inputs - np.max(inputs, axis=1, keepdims=True)
        return np.mean(np.log(np.sum(np.exp(z), axis=1)) - z[np.arange(len(z)), y_true])

    def backward(self, dvalues, y_true):
        n = len(dvalues)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[np.arange(n), y_true] -= 1
        self.dinputs = self.dinputs / n


X, y = spiral_data(samples=100, classes=3)
dense = Layer_Dense(2, 3)
softmax = Activation_Softmax()
cce = Loss_CategoricalCrossentropy()
dense.forward(X)
softmax.forward(dense.output)
print("loss", cce.calculate(softmax.output, y))
cce.backward(softmax.output, y)
softmax.backward(cce.dinputs)
dense.backward(softmax.dinputs)
print(dense.dweights)
