# Neural network from scratch -- my version where every forward() RETURNS its
# result and every backward() RETURNS the gradient for the layer below, like
# functions. The layer still remembers what it needs (inputs, gradients of its
# own parameters). Parameters are called weight and bias (singular).
import numpy as np
from nnfs.datasets import spiral_data


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weight = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.bias = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        return np.dot(inputs, self.weight) + self.bias

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        return np.dot(dvalues, self.weight.T)


class Activation_Relu:
    def forward(self, inputs):
        self.inputs = inputs
        return np.maximum(0, inputs)

    def backward(self, dvalues):
        return np.where(self.inputs > 0, dvalues, 0)


class Activation_Softmax:
    def forward(self, inputs):
        exps = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.probs = exps / np.sum(exps, axis=1, keepdims=True)
        return self.probs

    def backward(self, dvalues):
        grads = np.zeros_like(dvalues)
        for i in range(len(dvalues)):
            s = self.probs[i]
            # full Jacobian of this sample: diag(s) - outer(s, s)
            jacobian = np.diag(s) - np.outer(s, s)
            grads[i] = jacobian @ dvalues[i]
        return grads


class Loss:
    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        return -np.log(clipped[np.arange(len(clipped)), y_true])

    def backward(self, dvalues, y_true):
        samples, classes = dvalues.shape
        if y_true.ndim == 1:
            one_hot = np.zeros_like(dvalues)
            one_hot[np.arange(samples), y_true] = 1
        else:
            one_hot = y_true.astype(dvalues.dtype)
        clipped = np.clip(dvalues, 1e-7, 1 - 1e-7)
        grad = -one_hot / clipped
        # the clip is flat: no gradient where it changed the value
        grad = np.where(clipped == dvalues, grad, 0)
        return grad / samples


X, y = spiral_data(samples=100, classes=3)
dense1, relu, dense2 = Layer_Dense(2, 3), Activation_Relu(), Layer_Dense(3, 3)
softmax, cce = Activation_Softmax(), Loss_CategoricalCrossentropy()

h = dense1.forward(X)
a = relu.forward(h)
z = dense2.forward(a)
p = softmax.forward(z)
print("loss:", cce.calculate(p, y))

g = cce.backward(p, y)
g = softmax.backward(g)
g = dense2.backward(g)
g = relu.backward(g)
g = dense1.backward(g)
print(dense1.dweights)
