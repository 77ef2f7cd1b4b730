"""Chapter 10, first optimizer (plain SGD, fixed learning rate).

I do the numerically touchy parts in float64 and cast back to whatever dtype
came in, build one-hot labels with np.eye, and average with np.average.
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
        x = inputs.astype(np.float64)
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.output = (e / e.sum(axis=1, keepdims=True)).astype(inputs.dtype)

    def backward(self, dvalues):
        s = self.output.astype(np.float64)
        g = dvalues.astype(np.float64)
        self.dinputs = (s * (g - (s * g).sum(axis=1, keepdims=True))).astype(dvalues.dtype)


class Loss:
    def calculate(self, output, y):
        return np.average(self.forward(output, y))


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        if y_true.ndim == 1:
            y_true = np.eye(y_pred.shape[1])[y_true]
        p = np.clip(y_pred.astype(np.float64), 1e-7, 1 - 1e-7)
        return (-np.log(np.sum(p * y_true, axis=1))).astype(y_pred.dtype)

    def backward(self, dvalues, y_true):
        n, k = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(k)[y_true]
        p = dvalues.astype(np.float64)
        active = (p < 1e-7) | (p > 1 - 1e-7)       # clipped entries do not move the loss
        grad = np.where(active, 0.0, -y_true / np.clip(p, 1e-7, 1 - 1e-7)) / n
        self.dinputs = grad.astype(dvalues.dtype)


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def __init__(self):
        self.activation = Activation_Softmax()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        x = inputs.astype(np.float64)
        if y_true.ndim == 1:
            y_true = np.eye(x.shape[1])[y_true]
        m = x.max(axis=1, keepdims=True)
        log_p = x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))
        return inputs.dtype.type(np.average(-np.sum(log_p * y_true, axis=1)))

    def backward(self, dvalues, y_true):
        n, k = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(k)[y_true]
        self.dinputs = ((dvalues - y_true) / n).astype(dvalues.dtype)


class Optimizer_SGD:
    def __init__(self, learning_rate=1.0):
        self.learning_rate = learning_rate

    def update_params(self, layer):
        layer.weights += -self.learning_rate * layer.dweights
        layer.biases += -self.learning_rate * layer.dbiases


X, y = spiral_data(samples=100, classes=3)
dense1 = Layer_Dense(2, 64)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(64, 3)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
optimizer = Optimizer_SGD()

for epoch in range(101):
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss = loss_activation.forward(dense2.output, y)
    if not epoch % 25:
        accuracy = np.average(np.argmax(loss_activation.output, axis=1) == y)
        print(f'epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f}')
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    optimizer.update_params(dense1)
    optimizer.update_params(dense2)
