"""Comparing optimizers on the spiral (NNFS ch10). RMSprop takes beta (the
decay of the running average), Adam the book's beta_1/beta_2."""
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


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def forward(self, inputs, y_true):
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        z = inputs - np.max(inputs, axis=1, keepdims=True)
        e = np.exp(z)
        self.output = e / e.sum(axis=1, keepdims=True)
        return np.mean(np.log(e.sum(axis=1)) - z[np.arange(len(z)), y_true])

    def backward(self, dvalues, y_true):
        n = len(dvalues)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[np.arange(n), y_true] -= 1
        self.dinputs = self.dinputs / n


class Optimizer_RMSprop:
    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, beta=0.9):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.beta = beta

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if not hasattr(layer, 'weight_cache'):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        # running average of the squared gradient
        layer.weight_cache = (1 - self.beta) * layer.weight_cache + self.beta * layer.dweights ** 2
        layer.bias_cache = (1 - self.beta) * layer.bias_cache + self.beta * layer.dbiases ** 2
        layer.weights += -self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1


class Optimizer_Adam:
    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if not hasattr(layer, 'weight_cache'):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        t = self.iterations + 1
        layer.weight_momentums = self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        layer.bias_momentums = self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        layer.weight_cache = self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights ** 2
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases ** 2
        w_hat = layer.weight_momentums / (1 - self.beta_1 ** t)
        b_hat = layer.bias_momentums / (1 - self.beta_1 ** t)
        w_var = layer.weight_cache / (1 - self.beta_2 ** t)
        b_var = layer.bias_cache / (1 - self.beta_2 ** t)
        layer.weights += -self.current_learning_rate * w_hat / (np.sqrt(w_var) + self.epsilon)
        layer.biases += -self.current_learning_rate * b_hat / (np.sqrt(b_var) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1


X, y = spiral_data(samples=100, classes=3)
for optimizer in (Optimizer_RMSprop(learning_rate=0.02, decay=1e-5, beta=0.999),
                  Optimizer_Adam(learning_rate=0.05, decay=5e-7)):
    np.random.seed(0)
    dense1, relu, dense2 = Layer_Dense(2, 64), Activation_ReLU(), Layer_Dense(64, 3)
    head = Activation_Softmax_Loss_CategoricalCrossentropy()
    for epoch in range(101):
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        loss = head.forward(dense2.output, y)
        head.backward(head.output, y)
        dense2.backward(head.dinputs)
        relu.backward(dense2.dinputs)
        dense1.backward(relu.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    print(type(optimizer).__name__, 'final loss', loss)
