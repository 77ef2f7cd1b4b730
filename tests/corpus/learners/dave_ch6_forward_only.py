## Chapter 6 -- trying random weights on the spiral data
## (no backprop yet, I only do forward passes)
## I store results in .outputs because a layer can have many outputs
import numpy as np
import nnfs
from nnfs.datasets import spiral_data

nnfs.init()


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.outputs = np.dot(inputs, self.weights) + self.biases


class Activation_ReLU:
    def forward(self, inputs):
        self.outputs = np.maximum(0, inputs)


class Activation_Softmax:
    def forward(self, inputs):
        # minus the max of each row so exp doesn't blow up
        exp = np.exp(inputs - inputs.max(axis=1, keepdims=True))
        self.outputs = exp / exp.sum(axis=1, keepdims=True)


class Loss:
    def calculate(self, output, y):
        losses = self.forward(output, y)
        return losses.mean()


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            confidences = y_pred[range(len(y_pred)), y_true]
        else:
            # labels may come as ints; keep the predictions' dtype
            confidences = (y_pred * y_true.astype(y_pred.dtype)).sum(axis=1)
        return -np.log(confidences)


X, y = spiral_data(samples=100, classes=3)

dense1 = Layer_Dense(2, 3)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(3, 3)
activation2 = Activation_Softmax()
loss_function = Loss_CategoricalCrossentropy()

lowest_loss = 9999999
best = None
for iteration in range(200):
    dense1.weights = 0.05 * np.random.randn(2, 3)
    dense1.biases = 0.05 * np.random.randn(1, 3)
    dense2.weights = 0.05 * np.random.randn(3, 3)
    dense2.biases = 0.05 * np.random.randn(1, 3)

    dense1.forward(X)
    activation1.forward(dense1.outputs)
    dense2.forward(activation1.outputs)
    activation2.forward(dense2.outputs)
    loss = loss_function.calculate(activation2.outputs, y)
    accuracy = np.mean(np.argmax(activation2.outputs, axis=1) == y)

    if loss < lowest_loss:
        print('new set of weights found, iteration:', iteration,
              'loss:', loss, 'acc:', accuracy)
        lowest_loss = loss
