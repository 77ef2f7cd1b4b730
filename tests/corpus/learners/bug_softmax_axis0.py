# softmax backward without the loop -- s * (g - sum(s*g)) -- trying it out
# my layers put their gradient in .dinput (one input array -> dinput)
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
        self.dinput = np.dot(dvalues, self.weights.T)


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinput = dvalues.copy()
        self.dinput[self.inputs <= 0] = 0


class Activation_Softmax:
    def forward(self, inputs):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)

    def backward(self, dvalues):
        weighted = np.sum(self.output * dvalues, axis=0, keepdims=True)
        self.dinput = self.output * (dvalues - weighted)


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def __init__(self):
        self.activation = Activation_Softmax()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        shifted = inputs - np.max(inputs, axis=1, keepdims=True)
        log_norm = np.log(np.sum(np.exp(shifted), axis=1))
        return np.mean(log_norm - shifted[range(len(inputs)), y_true])

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinput = dvalues.copy()
        self.dinput[range(samples), y_true] -= 1
        self.dinput = self.dinput / samples


X, y = spiral_data(samples=100, classes=3)
dense1 = Layer_Dense(2, 3)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(3, 3)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()

dense1.forward(X)
activation1.forward(dense1.output)
dense2.forward(activation1.output)
loss = loss_activation.forward(dense2.output, y)
loss_activation.backward(loss_activation.output, y)
dense2.backward(loss_activation.dinput)
activation1.backward(dense2.dinput)
dense1.backward(activation1.dinput)

# compare my softmax backward with the combined one
softmax = Activation_Softmax()
softmax.forward(dense2.output)
g = np.zeros_like(softmax.output)
g[range(len(y)), y] = -1 / softmax.output[range(len(y)), y] / len(y)
softmax.backward(g)
print(np.abs(softmax.dinput - loss_activation.dinput).max())
