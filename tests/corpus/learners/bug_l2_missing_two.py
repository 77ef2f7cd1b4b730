# L1/L2 regularization (NNFS ch14), derivatives by hand:
#   L1: strength * sign(w)       L2: strength * w
import numpy as np


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons,
                 weight_regularizer_l1=0, weight_regularizer_l2=0,
                 bias_regularizer_l1=0, bias_regularizer_l2=0):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))
        self.weight_regularizer_l1 = weight_regularizer_l1
        self.weight_regularizer_l2 = weight_regularizer_l2
        self.bias_regularizer_l1 = bias_regularizer_l1
        self.bias_regularizer_l2 = bias_regularizer_l2

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        if self.weight_regularizer_l1 > 0:
            self.dweights += self.weight_regularizer_l1 * np.sign(self.weights)
        if self.weight_regularizer_l2 > 0:
            self.dweights += self.weight_regularizer_l2 * self.weights
        if self.bias_regularizer_l1 > 0:
            self.dbiases += self.bias_regularizer_l1 * np.sign(self.biases)
        if self.bias_regularizer_l2 > 0:
            self.dbiases += 2 * self.bias_regularizer_l2 * self.biases
        self.dinputs = np.dot(dvalues, self.weights.T)


class Loss:
    def regularization_loss(self, layer):
        loss = 0
        if layer.weight_regularizer_l1 > 0:
            loss += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
        if layer.weight_regularizer_l2 > 0:
            loss += layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
        if layer.bias_regularizer_l1 > 0:
            loss += layer.bias_regularizer_l1 * np.sum(np.abs(layer.biases))
        if layer.bias_regularizer_l2 > 0:
            loss += layer.bias_regularizer_l2 * np.sum(layer.biases * layer.biases)
        return loss

    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


layer = Layer_Dense(3, 2, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4)
layer.forward(np.ones((4, 3)))
layer.backward(np.ones((4, 2)))
print(Loss().regularization_loss(layer), layer.dweights)
