"""Optimizers that keep their own state.

I did not like the optimizer writing weight_cache etc. onto my layers, so every
optimizer here keeps a dict keyed by id(layer). Learning-rate decay is written
as lr / (1 + decay * t). SGD momentum is done the way torch.optim.SGD does it
(a buffer of gradients, b = m*b + g, then w -= lr*b), without decay.
"""
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
        if y_true.ndim == 2:
            y_true = y_true.argmax(axis=1)
        shifted = inputs - np.max(inputs, axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = np.sum(exp, axis=1, keepdims=True)
        self.output = exp / total
        # -log softmax[y] = log(sum exp) - shifted[y], no clipping needed
        losses = np.log(total[:, 0]) - shifted[np.arange(len(inputs)), y_true]
        return np.mean(losses)

    def backward(self, dvalues, y_true):
        n = len(dvalues)
        if y_true.ndim == 2:
            y_true = y_true.argmax(axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[np.arange(n), y_true] -= 1
        self.dinputs /= n


class _Decaying:
    def __init__(self, learning_rate, decay):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.state = {}

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1 + self.decay * self.iterations)

    def post_update_params(self):
        self.iterations += 1

    def _slot(self, layer, *names):
        if id(layer) not in self.state:
            self.state[id(layer)] = {n: [np.zeros_like(layer.weights), np.zeros_like(layer.biases)]
                                     for n in names}
        return self.state[id(layer)]


class SGD_Optimizer:
    def __init__(self, learning_rate=1.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.buffers = {}

    def update_parameters(self, layer):
        grads = (layer.dweights, layer.dbiases)
        if self.momentum:
            if id(layer) not in self.buffers:
                self.buffers[id(layer)] = [g.copy() for g in grads]
            else:
                buf = self.buffers[id(layer)]
                for i, g in enumerate(grads):
                    buf[i] = self.momentum * buf[i] + g
            grads = self.buffers[id(layer)]
        layer.weights = layer.weights - self.learning_rate * grads[0]
        layer.biases = layer.biases - self.learning_rate * grads[1]


class Optimizer_AdaGrad(_Decaying):
    def __init__(self, learning_rate=1.0, decay=0.0, epsilon=1e-7):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon

    def update_parameters(self, layer):
        cache = self._slot(layer, "cache")["cache"]
        cache[0] += layer.dweights ** 2
        cache[1] += layer.dbiases ** 2
        layer.weights -= self.current_learning_rate * layer.dweights / (np.sqrt(cache[0]) + self.epsilon)
        layer.biases -= self.current_learning_rate * layer.dbiases / (np.sqrt(cache[1]) + self.epsilon)


class Optimizer_RMSProp(_Decaying):
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, rho=0.9):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon
        self.rho = rho

    def update_parameters(self, layer):
        cache = self._slot(layer, "cache")["cache"]
        for i, g in enumerate((layer.dweights, layer.dbiases)):
            cache[i] = self.rho * cache[i] + (1 - self.rho) * g ** 2
        layer.weights -= self.current_learning_rate * layer.dweights / (np.sqrt(cache[0]) + self.epsilon)
        layer.biases -= self.current_learning_rate * layer.dbiases / (np.sqrt(cache[1]) + self.epsilon)


class Adam_Optimizer(_Decaying):
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def update_parameters(self, layer):
        slot = self._slot(layer, "m", "v")
        t = self.iterations + 1
        new = []
        for i, (param, g) in enumerate(((layer.weights, layer.dweights), (layer.biases, layer.dbiases))):
            slot["m"][i] = self.beta_1 * slot["m"][i] + (1 - self.beta_1) * g
            slot["v"][i] = self.beta_2 * slot["v"][i] + (1 - self.beta_2) * g ** 2
            m_hat = slot["m"][i] / (1 - self.beta_1 ** t)
            v_hat = slot["v"][i] / (1 - self.beta_2 ** t)
            new.append(param - self.current_learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon))
        layer.weights, layer.biases = new


X, y = spiral_data(samples=100, classes=3)
dense1 = Layer_Dense(2, 64)
relu1 = Activation_ReLU()
dense2 = Layer_Dense(64, 3)
head = Activation_Softmax_Loss_CategoricalCrossentropy()
optimizer = Adam_Optimizer(learning_rate=0.05, decay=5e-7)

for epoch in range(201):
    dense1.forward(X)
    relu1.forward(dense1.output)
    dense2.forward(relu1.output)
    loss = head.forward(dense2.output, y)
    if not epoch % 50:
        acc = np.mean(np.argmax(head.output, axis=1) == y)
        print(f"epoch {epoch}: loss {loss:.3f} acc {acc:.3f} lr {optimizer.current_learning_rate}")
    head.backward(head.output, y)
    dense2.backward(head.dinputs)
    relu1.backward(dense2.dinputs)
    dense1.backward(relu1.dinputs)
    optimizer.pre_update_params()
    optimizer.update_parameters(dense1)
    optimizer.update_parameters(dense2)
    optimizer.post_update_params()
