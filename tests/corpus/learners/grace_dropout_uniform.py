"""Spiral classifier with dropout (NNFS ch.15), my way.

The dropout mask is drawn with np.random.random(shape) < keep_prob instead of
np.random.binomial -- same distribution, and it reads more clearly to me.
"""
import numpy as np
from nnfs.datasets import spiral_data

np.random.seed(0)


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


class Layer_Dropout:
    def __init__(self, rate):
        self.keep_prob = 1.0 - rate

    def forward(self, inputs):
        self.inputs = inputs
        keep = np.random.random(inputs.shape) < self.keep_prob
        # inverted dropout: scale survivors so the expected activation is unchanged
        self.scaled_mask = keep.astype(inputs.dtype) / self.keep_prob
        self.output = inputs * self.scaled_mask

    def backward(self, dvalues):
        self.dinputs = dvalues * self.scaled_mask


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = np.where(self.inputs <= 0, 0, dvalues)


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def forward(self, inputs, y_true):
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        m = np.max(inputs, axis=1, keepdims=True)
        e = np.exp(inputs - m)
        s = np.sum(e, axis=1, keepdims=True)
        self.output = e / s
        log_probs = (inputs - m) - np.log(s)
        return -np.mean(log_probs[np.arange(len(inputs)), y_true])

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


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
        b1, b2, t = self.beta_1, self.beta_2, self.iterations + 1
        layer.weight_momentums = b1 * layer.weight_momentums + (1 - b1) * layer.dweights
        layer.bias_momentums = b1 * layer.bias_momentums + (1 - b1) * layer.dbiases
        layer.weight_cache = b2 * layer.weight_cache + (1 - b2) * layer.dweights ** 2
        layer.bias_cache = b2 * layer.bias_cache + (1 - b2) * layer.dbiases ** 2
        w_m = layer.weight_momentums / (1 - b1 ** t)
        b_m = layer.bias_momentums / (1 - b1 ** t)
        w_c = layer.weight_cache / (1 - b2 ** t)
        b_c = layer.bias_cache / (1 - b2 ** t)
        layer.weights += -self.current_learning_rate * w_m / (np.sqrt(w_c) + self.epsilon)
        layer.biases += -self.current_learning_rate * b_m / (np.sqrt(b_c) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1


X, y = spiral_data(samples=100, classes=3)
dense1 = Layer_Dense(2, 64)
relu1 = Activation_ReLU()
drop1 = Layer_Dropout(0.1)
dense2 = Layer_Dense(64, 3)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
optimizer = Optimizer_Adam(learning_rate=0.05, decay=5e-5)

for epoch in range(201):
    dense1.forward(X)
    relu1.forward(dense1.output)
    drop1.forward(relu1.output)
    dense2.forward(drop1.output)
    loss = loss_activation.forward(dense2.output, y)
    if epoch % 100 == 0:
        predictions = np.argmax(loss_activation.output, axis=1)
        print(f'epoch: {epoch}, acc: {np.mean(predictions == y):.3f}, loss: {loss:.3f}')
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    drop1.backward(dense2.dinputs)
    relu1.backward(drop1.dinputs)
    dense1.backward(relu1.dinputs)
    optimizer.pre_update_params()
    optimizer.update_params(dense1)
    optimizer.update_params(dense2)
    optimizer.post_update_params()
