# Written for nn-crosscheck's test corpus in the manner of the book's chapter 6
# file (forward pass only, the book's class names and formulas). Not a copy.
import numpy as np
import nnfs
from nnfs.datasets import spiral_data

nnfs.init()


# A fully connected layer
class Layer_Dense:

    def __init__(self, n_inputs, n_neurons):
        # small random weights, one column per neuron; biases start at zero
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        # weighted sum of the inputs plus the bias, for every sample at once
        self.output = np.dot(inputs, self.weights) + self.biases


# Rectified linear unit
class Activation_ReLU:

    def forward(self, inputs):
        self.output = np.maximum(0, inputs)


# Softmax over each row
class Activation_Softmax:

    def forward(self, inputs):
        # subtract each row's largest value first so that exp cannot overflow
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
        self.output = probabilities


# Base class of the losses
class Loss:

    def calculate(self, output, y):
        # the per-sample losses come from the subclass; the loss is their mean
        sample_losses = self.forward(output, y)
        data_loss = np.mean(sample_losses)
        return data_loss


# Categorical cross-entropy
class Loss_CategoricalCrossentropy(Loss):

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        # keep the predictions away from 0 (log(0)) and, symmetrically, from 1
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)

        if len(y_true.shape) == 1:
            # class indices: pick each sample's predicted probability of its class
            correct_confidences = y_pred_clipped[range(samples), y_true]
        elif len(y_true.shape) == 2:
            # one-hot rows: the product keeps only the target class's entry
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)

        negative_log_likelihoods = -np.log(correct_confidences)
        return negative_log_likelihoods


X, y = spiral_data(samples=100, classes=3)

dense1 = Layer_Dense(2, 3)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(3, 3)
activation2 = Activation_Softmax()
loss_function = Loss_CategoricalCrossentropy()

dense1.forward(X)
activation1.forward(dense1.output)
dense2.forward(activation1.output)
activation2.forward(dense2.output)

print(activation2.output[:5])

loss = loss_function.calculate(activation2.output, y)
print('loss:', loss)

predictions = np.argmax(activation2.output, axis=1)
if len(y.shape) == 2:
    y = np.argmax(y, axis=1)
accuracy = np.mean(predictions == y)
print('acc:', accuracy)
