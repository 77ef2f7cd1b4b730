"""backprop, chapter 9 -- a layer is a matrix, its gradient is dvalues^T x inputs"""
import numpy as np
from nnfs.datasets import spiral_data


class DenseLayer:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(dvalues.T, self.inputs)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def forward(self, inputs, y_true):
        if y_true.ndim == 2:
            y_true = y_true.argmax(axis=1)
        shifted = inputs - inputs.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        self.output = exp / exp.sum(axis=1, keepdims=True)
        return np.mean(np.log(exp.sum(axis=1)) - shifted[np.arange(len(inputs)), y_true])

    def backward(self, dvalues, y_true):
        n = len(dvalues)
        if y_true.ndim == 2:
            y_true = y_true.argmax(axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[np.arange(n), y_true] -= 1
        self.dinputs = self.dinputs / n


X, y = spiral_data(samples=100, classes=3)
dense1, relu, dense2 = DenseLayer(2, 3), Activation_ReLU(), DenseLayer(3, 3)
head = Activation_Softmax_Loss_CategoricalCrossentropy()
dense1.forward(X)
relu.forward(dense1.output)
dense2.forward(relu.output)
print("loss", head.forward(dense2.output, y))
head.backward(head.output, y)
dense2.backward(head.dinputs)
relu.backward(dense2.dinputs)
dense1.backward(relu.dinputs)
print(dense1.dweights.shape, dense2.dweights.shape)
