"""Dropout with the later chapters' API (forward(inputs, training))."""
import numpy as np


class Layer_Dropout:
    def __init__(self, rate):
        # probability of keeping a neuron
        self.rate = 1 - rate

    def forward(self, inputs, training):
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        self.binary_mask = np.random.binomial(1, self.rate, size=inputs.shape).astype(inputs.dtype)
        self.output = inputs * self.binary_mask

    def backward(self, dvalues):
        self.dinputs = dvalues * self.binary_mask


class Activation_ReLU:
    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0

    def predictions(self, outputs):
        return outputs


if __name__ == '__main__':
    x = np.random.randn(4, 5)
    drop = Layer_Dropout(0.5)
    drop.forward(x, training=True)
    print(drop.output)
    drop.forward(x, training=False)
    print(drop.output)
