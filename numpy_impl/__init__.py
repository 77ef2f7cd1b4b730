"""A neural network written from scratch in NumPy, in the API of the book
*Neural Networks from Scratch in Python*: every class has forward() and
backward(), stores .output, and its gradients in .dinputs/.dweights/.dbiases.
"""
from .activations import (Activation_Linear, Activation_ReLU, Activation_Sigmoid,
                          Activation_Softmax)
from .layers import Layer_Dense, Layer_Dropout, Layer_Input
from .losses import (Activation_Softmax_Loss_CategoricalCrossentropy, Loss,
                     Loss_BinaryCrossentropy, Loss_CategoricalCrossEntropy,
                     Loss_CategoricalCrossentropy, Loss_MeanAbsoluteError,
                     Loss_MeanSquaredError)
from .numerical import numerical_gradient
from .optimizers import (Optimizer_Adagrad, Optimizer_Adam, Optimizer_RMSprop,
                         Optimizer_SGD)

__all__ = [
    "Layer_Dense", "Activation_ReLU", "Activation_Softmax", "Loss",
    "Loss_CategoricalCrossentropy", "Loss_CategoricalCrossEntropy",
    "Activation_Softmax_Loss_CategoricalCrossentropy", "numerical_gradient",
    "Optimizer_SGD", "Optimizer_Adagrad", "Optimizer_RMSprop", "Optimizer_Adam",
    "Activation_Sigmoid", "Activation_Linear", "Loss_BinaryCrossentropy",
    "Loss_MeanSquaredError", "Loss_MeanAbsoluteError", "Layer_Dropout",
    "Layer_Input",
]
