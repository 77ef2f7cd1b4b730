# NNFS ch.10 - optimizing with plain SGD
# I pass the learning rate every time I call update_params, so I can change it
# from the training loop without touching the optimizer.
# camelCase for the gradients because that is what I'm used to from Java.
import numpy as np
import nnfs
from nnfs.datasets import spiral_data

nnfs.init()


class Dense_Layer:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dWeights = np.dot(self.inputs.T, dvalues)
        self.dBiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dInputs = np.dot(dvalues, self.weights.T)


class Act_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dInputs = dvalues.copy()
        self.dInputs[self.inputs <= 0] = 0


class Activation_Softmax:
    def forward(self, inputs):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dInputs = np.empty_like(dvalues)
        for i, (s, g) in enumerate(zip(self.output, dvalues)):
            s = s.reshape(-1, 1)
            jac = np.diagflat(s) - np.dot(s, s.T)
            self.dInputs[i] = np.dot(jac, g)


class Loss:
    def calculate(self, output, y):
        sample_losses = self.forward(output, y)
        return np.mean(sample_losses)


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct = y_pred_clipped[range(len(y_pred)), y_true]
        else:
            correct = np.sum(y_pred_clipped * y_true.astype(y_pred.dtype), axis=1)
        return -np.log(correct)


class Activation_Softmax_Loss_CategoricalCrossEntropy:
    # as in the book: the loss is taken from the clipped softmax output
    # (so it tops out around 16.1 for very confident wrong answers)
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
        self.dInputs = dvalues.copy()
        self.dInputs[range(samples), y_true] -= 1
        self.dInputs = self.dInputs / samples


class SGD_Optimizer:
    def update_params(self, layer, learning_rate):
        layer.weights -= learning_rate * layer.dWeights
        layer.biases -= learning_rate * layer.dBiases


X, y = spiral_data(samples=100, classes=3)
dense1 = Dense_Layer(2, 64)
relu = Act_ReLU()
dense2 = Dense_Layer(64, 3)
loss_act = Activation_Softmax_Loss_CategoricalCrossEntropy()
sgd = SGD_Optimizer()

lr = 1.0
for epoch in range(201):
    dense1.forward(X)
    relu.forward(dense1.output)
    dense2.forward(relu.output)
    loss = loss_act.forward(dense2.output, y)
    acc = np.mean(np.argmax(loss_act.output, axis=1) == y)
    if epoch % 50 == 0:
        print(epoch, round(float(loss), 3), acc)
    loss_act.backward(loss_act.output, y)
    dense2.backward(loss_act.dInputs)
    relu.backward(dense2.dInputs)
    dense1.backward(relu.dInputs)
    if epoch == 150:
        lr = 0.5      # slow down near the end
    sgd.update_params(dense1, lr)
    sgd.update_params(dense2, lr)
