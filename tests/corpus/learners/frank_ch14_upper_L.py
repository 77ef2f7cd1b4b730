# NNFS chapters 14-15: L1/L2 regularization and dropout
# - I spell the regularizer keywords with a capital L (weight_regularizer_L1 ...)
#   because that is how L1/L2 are written in the maths
# - L1 derivative with np.sign, so a weight of exactly 0 gets no push
# - the dropout mask comes from np.random.binomial like in the book, cast to
#   the inputs' dtype before scaling
import numpy as np
import nnfs
from nnfs.datasets import spiral_data

nnfs.init()


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons,
                 weight_regularizer_L1=0., weight_regularizer_L2=0.,
                 bias_regularizer_L1=0., bias_regularizer_L2=0.):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))
        self.weight_regularizer_L1 = weight_regularizer_L1
        self.weight_regularizer_L2 = weight_regularizer_L2
        self.bias_regularizer_L1 = bias_regularizer_L1
        self.bias_regularizer_L2 = bias_regularizer_L2

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        if self.weight_regularizer_L1 > 0:
            self.dweights += self.weight_regularizer_L1 * np.sign(self.weights)
        if self.weight_regularizer_L2 > 0:
            self.dweights += 2 * self.weight_regularizer_L2 * self.weights
        if self.bias_regularizer_L1 > 0:
            self.dbiases += self.bias_regularizer_L1 * np.sign(self.biases)
        if self.bias_regularizer_L2 > 0:
            self.dbiases += 2 * self.bias_regularizer_L2 * self.biases
        self.dinputs = np.dot(dvalues, self.weights.T)


class Layer_Dropout:
    def __init__(self, rate):
        self.rate = rate          # fraction of neurons switched off

    def forward(self, inputs):
        keep = 1 - self.rate
        mask = np.random.binomial(1, keep, size=inputs.shape)
        self.binary_mask = mask.astype(inputs.dtype) / keep
        self.output = inputs * self.binary_mask

    def backward(self, dvalues):
        self.dinputs = dvalues * self.binary_mask


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
        # vectorized Jacobian-vector product
        dot = np.sum(self.output * dvalues, axis=1, keepdims=True)
        self.dinputs = self.output * (dvalues - dot)


class Loss:
    def regularization_loss(self, layer):
        reg = 0
        if layer.weight_regularizer_L1 > 0:
            reg += layer.weight_regularizer_L1 * np.sum(np.abs(layer.weights))
        if layer.weight_regularizer_L2 > 0:
            reg += layer.weight_regularizer_L2 * np.sum(layer.weights ** 2)
        if layer.bias_regularizer_L1 > 0:
            reg += layer.bias_regularizer_L1 * np.sum(np.abs(layer.biases))
        if layer.bias_regularizer_L2 > 0:
            reg += layer.bias_regularizer_L2 * np.sum(layer.biases ** 2)
        return reg

    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            conf = clipped[range(len(clipped)), y_true]
        else:
            conf = np.sum(clipped * y_true.astype(clipped.dtype), axis=1)
        return -np.log(conf)

    def backward(self, dvalues, y_true):
        samples, labels = dvalues.shape
        if len(y_true.shape) == 1:
            y_true = np.eye(labels, dtype=dvalues.dtype)[y_true]
        clipped = np.clip(dvalues, 1e-7, 1 - 1e-7)
        inside = (dvalues >= 1e-7) & (dvalues <= 1 - 1e-7)
        self.dinputs = np.where(inside, -y_true.astype(dvalues.dtype) / clipped, 0) / samples


class Activation_Softmax_Loss_CategoricalCrossentropy:
    # kept exactly like the book: the loss is computed from the clipped softmax
    # output (a known difference from log-sum-exp for extreme logits)
    def __init__(self):
        self.activation = Activation_Softmax()
        self.loss = Loss_CategoricalCrossentropy()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


class Optimizer_SGD:
    def __init__(self, learning_rate=1., decay=0., momentum=0.):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.momentum = momentum

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if self.momentum:
            if not hasattr(layer, 'weight_momentums'):
                layer.weight_momentums = np.zeros_like(layer.weights)
                layer.bias_momentums = np.zeros_like(layer.biases)
            layer.weight_momentums = self.momentum * layer.weight_momentums - \
                self.current_learning_rate * layer.dweights
            layer.bias_momentums = self.momentum * layer.bias_momentums - \
                self.current_learning_rate * layer.dbiases
            layer.weights += layer.weight_momentums
            layer.biases += layer.bias_momentums
        else:
            layer.weights += -self.current_learning_rate * layer.dweights
            layer.biases += -self.current_learning_rate * layer.dbiases

    def post_update_params(self):
        self.iterations += 1


X, y = spiral_data(samples=100, classes=3)
dense1 = Layer_Dense(2, 64, weight_regularizer_L2=5e-4, bias_regularizer_L2=5e-4)
activation1 = Activation_ReLU()
dropout1 = Layer_Dropout(0.1)
dense2 = Layer_Dense(64, 3)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
optimizer = Optimizer_SGD(learning_rate=1.0, decay=1e-3, momentum=0.9)

for epoch in range(151):
    dense1.forward(X)
    activation1.forward(dense1.output)
    dropout1.forward(activation1.output)
    dense2.forward(dropout1.output)
    data_loss = loss_activation.forward(dense2.output, y)
    reg_loss = loss_activation.loss.regularization_loss(dense1) + \
        loss_activation.loss.regularization_loss(dense2)
    if epoch % 50 == 0:
        acc = np.mean(np.argmax(loss_activation.output, axis=1) == y)
        print(epoch, data_loss + reg_loss, acc)
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    dropout1.backward(dense2.dinputs)
    activation1.backward(dropout1.dinputs)
    dense1.backward(activation1.dinputs)
    optimizer.pre_update_params()
    optimizer.update_params(dense1)
    optimizer.update_params(dense2)
    optimizer.post_update_params()
