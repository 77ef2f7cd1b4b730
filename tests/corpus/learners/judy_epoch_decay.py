# NNFS chapter 10/11 experiments.
# update_params gets the epoch number and decays the rate from it, so there is
# no pre/post_update_params to forget. RMSprop's decay factor is called beta,
# like in the course I took before. AdGrad is my short name for Adagrad.
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


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def forward(self, inputs, y_true):
        z = inputs - np.max(inputs, axis=1, keepdims=True)
        log_sum = np.log(np.sum(np.exp(z), axis=1, keepdims=True))
        log_p = z - log_sum
        self.output = np.exp(log_p)
        if y_true.ndim == 2:
            return -np.mean(np.sum(log_p * y_true.astype(log_p.dtype), axis=1))
        return -np.mean(log_p[range(len(log_p)), y_true])

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


class Optimizer_SGD:
    def __init__(self, learning_rate=1.0, decay=0.0):
        self.learning_rate = learning_rate
        self.decay = decay

    def update_params(self, layer, epoch):
        lr = self.learning_rate / (1 + self.decay * epoch)
        layer.weights -= lr * layer.dweights
        layer.biases -= lr * layer.dbiases


class AdGrad:
    def __init__(self, learning_rate=1.0, decay=0.0, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.decay = decay
        self.epsilon = epsilon

    def update_params(self, layer, epoch):
        lr = self.learning_rate / (1 + self.decay * epoch)
        if not hasattr(layer, 'weight_cache'):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights ** 2
        layer.bias_cache += layer.dbiases ** 2
        layer.weights -= lr * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases -= lr * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)


class Optimizer_RMSprop:
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta=0.9):
        self.learning_rate = learning_rate
        self.decay = decay
        self.epsilon = epsilon
        self.beta = beta

    def update_params(self, layer, epoch):
        lr = self.learning_rate / (1 + self.decay * epoch)
        if not hasattr(layer, 'weight_cache'):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache = self.beta * layer.weight_cache + (1 - self.beta) * layer.dweights ** 2
        layer.bias_cache = self.beta * layer.bias_cache + (1 - self.beta) * layer.dbiases ** 2
        layer.weights -= lr * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases -= lr * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)


X, y = spiral_data(samples=100, classes=3)
dense1 = Layer_Dense(2, 64)
relu = Activation_ReLU()
dense2 = Layer_Dense(64, 3)
head = Activation_Softmax_Loss_CategoricalCrossentropy()
optimizer = Optimizer_RMSprop(learning_rate=0.02, decay=1e-5, beta=0.999)

for epoch in range(201):
    dense1.forward(X)
    relu.forward(dense1.output)
    dense2.forward(relu.output)
    loss = head.forward(dense2.output, y)
    if epoch % 100 == 0:
        print('epoch', epoch, 'loss', loss)
    head.backward(head.output, y)
    dense2.backward(head.dinputs)
    relu.backward(dense2.dinputs)
    dense1.backward(relu.dinputs)
    optimizer.update_params(dense1, epoch)
    optimizer.update_params(dense2, epoch)
