# ch16-17 of NNFS: sigmoid + binary cross-entropy, and regression with a linear
# output, MSE and MAE.
#   sigmoid: exp(-logaddexp(0, -x)) never overflows, even for x = -1000
#   MSE: np.average(..., axis=-1) instead of np.mean (same thing)
#   MAE gradient: d|p - y|/dp = sign(p - y)
#   BCE gradient is zero where the clip is active, like for any clamp
import numpy as np
import nnfs
from nnfs.datasets import sine_data

nnfs.init()


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.1 * np.random.randn(n_inputs, n_neurons)
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


class Activation_Sigmoid:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.exp(-np.logaddexp(0, -inputs))

    def backward(self, dvalues):
        self.dinputs = dvalues * self.output * (1 - self.output)


class Activation_Linear:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = inputs

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()


class Loss:
    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class Loss_BinaryCrossEntropy(Loss):
    def forward(self, y_pred, y_true):
        y_true = y_true.astype(y_pred.dtype)
        p = np.clip(y_pred, 1e-7, 1 - 1e-7)
        per_output = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
        return np.mean(per_output, axis=-1)

    def backward(self, dvalues, y_true):
        samples, outputs = dvalues.shape
        y_true = y_true.astype(dvalues.dtype)
        p = np.clip(dvalues, 1e-7, 1 - 1e-7)
        grad = -(y_true / p - (1 - y_true) / (1 - p)) / outputs
        grad[p != dvalues] = 0
        self.dinputs = grad / samples


class Loss_MeanSquaredError(Loss):
    def forward(self, y_pred, y_true):
        return np.average((y_true - y_pred) ** 2, axis=-1)

    def backward(self, dvalues, y_true):
        samples, outputs = dvalues.shape
        self.dinputs = 2 * (dvalues - y_true) / outputs / samples


class Loss_MeanAbsoluteError(Loss):
    def forward(self, y_pred, y_true):
        return np.mean(np.abs(y_true - y_pred), axis=-1)

    def backward(self, dvalues, y_true):
        samples, outputs = dvalues.shape
        self.dinputs = np.sign(dvalues - y_true) / outputs / samples


class Accuracy_Regression:
    def __init__(self):
        self.precision = None

    def init(self, y, reinit=False):
        if self.precision is None or reinit:
            self.precision = np.std(y) / 250

    def calculate(self, predictions, y):
        return np.mean(np.absolute(predictions - y) < self.precision)


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
            self.current_learning_rate = self.learning_rate / (1. + self.decay * self.iterations)

    def update_params(self, layer):
        if not hasattr(layer, 'weight_cache'):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        step = self.iterations + 1
        layer.weight_momentums = self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        layer.bias_momentums = self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        layer.weight_cache = self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights ** 2
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases ** 2
        corr1 = 1 - self.beta_1 ** step
        corr2 = 1 - self.beta_2 ** step
        layer.weights += -self.current_learning_rate * (layer.weight_momentums / corr1) / \
            (np.sqrt(layer.weight_cache / corr2) + self.epsilon)
        layer.biases += -self.current_learning_rate * (layer.bias_momentums / corr1) / \
            (np.sqrt(layer.bias_cache / corr2) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1


X, y = sine_data()
dense1 = Layer_Dense(1, 64)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(64, 64)
activation2 = Activation_ReLU()
dense3 = Layer_Dense(64, 1)
activation3 = Activation_Linear()
loss_function = Loss_MeanSquaredError()
optimizer = Optimizer_Adam(learning_rate=0.005, decay=1e-3)
accuracy = Accuracy_Regression()
accuracy.init(y)

for epoch in range(201):
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    dense3.forward(activation2.output)
    activation3.forward(dense3.output)
    loss = loss_function.calculate(activation3.output, y)
    if not epoch % 100:
        print(epoch, loss, accuracy.calculate(activation3.output, y))
    loss_function.backward(activation3.output, y)
    activation3.backward(loss_function.dinputs)
    dense3.backward(activation3.dinputs)
    activation2.backward(dense3.dinputs)
    dense2.backward(activation2.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    optimizer.pre_update_params()
    for layer in (dense1, dense2, dense3):
        optimizer.update_params(layer)
    optimizer.post_update_params()
