# binary logistic regression, 2 independent outputs per sample (NNFS ch16)
import numpy as np
import nnfs
from nnfs.datasets import spiral_data

nnfs.init()


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


class Activation_Sigmoid:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = 1 / (1 + np.exp(-inputs))

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.output) * self.output


class Loss:
    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class Loss_BinaryCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        y_true = y_true.astype(y_pred.dtype)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        sample_losses = -(y_true * np.log(y_pred_clipped) + (1 - y_true) * np.log(1 - y_pred_clipped))
        return np.mean(sample_losses, axis=-1)

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        y_true = y_true.astype(dvalues.dtype)
        clipped = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -(y_true / clipped - (1 - y_true) / (1 - clipped))
        # the clip is flat outside [1e-7, 1 - 1e-7]
        self.dinputs[clipped != dvalues] = 0
        self.dinputs = self.dinputs / samples


X, y = spiral_data(samples=100, classes=2)
y2 = np.stack([y, 1 - y], axis=1)
dense = Layer_Dense(2, 2)
sigmoid = Activation_Sigmoid()
bce = Loss_BinaryCrossentropy()
for step in range(101):
    dense.forward(X)
    sigmoid.forward(dense.output)
    loss = bce.calculate(sigmoid.output, y2)
    bce.backward(sigmoid.output, y2)
    sigmoid.backward(bce.dinputs)
    dense.backward(sigmoid.dinputs)
    dense.weights -= 0.5 * dense.dweights
    dense.biases -= 0.5 * dense.dbiases
    if step % 50 == 0:
        print(step, loss)
