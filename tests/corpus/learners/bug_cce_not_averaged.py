## softmax + cross-entropy, two ways (separately, and combined)
## naming: CCE_Loss for the loss, and the combined class named loss-first
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


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class Activation_Softmax:
    def forward(self, inputs):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dinputs = self.output * (dvalues - np.sum(dvalues * self.output, axis=1, keepdims=True))


class Loss:
    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class CCE_Loss(Loss):
    def forward(self, y_pred, y_true):
        clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct = clipped[range(len(clipped)), y_true]
        else:
            correct = np.sum(clipped * y_true.astype(clipped.dtype), axis=1)
        return -np.log(correct)

    def backward(self, dvalues, y_true):
        labels = len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels, dtype=dvalues.dtype)[y_true]
        clipped = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -y_true.astype(dvalues.dtype) / clipped
        self.dinputs[clipped != dvalues] = 0


class Loss_CategoricalCrossentropy_Activation_Softmax:
    def __init__(self):
        self.activation = Activation_Softmax()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        z = inputs - np.max(inputs, axis=1, keepdims=True)
        return np.mean(np.log(np.sum(np.exp(z), axis=1)) - z[range(len(z)), y_true])

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


X, y = spiral_data(samples=100, classes=3)
dense = Layer_Dense(2, 3)
dense.forward(X)

softmax, loss = Activation_Softmax(), CCE_Loss()
softmax.forward(dense.output)
print('separate:', loss.calculate(softmax.output, y))
loss.backward(softmax.output, y)
softmax.backward(loss.dinputs)

combined = Loss_CategoricalCrossentropy_Activation_Softmax()
print('combined:', combined.forward(dense.output, y))
combined.backward(combined.output, y)
print('same gradient?', np.allclose(softmax.dinputs, combined.dinputs))
