"""A neural network written from scratch in NumPy, in the API of the book
*Neural Networks from Scratch in Python*: every class has forward() and
backward(), stores .output, and its gradients in .dinputs/.dweights/.dbiases.
"""
from .activations import Activation_ReLU, Activation_Softmax
from .layers import Layer_Dense
from .losses import (Activation_Softmax_Loss_CategoricalCrossentropy, Loss,
                     Loss_CategoricalCrossEntropy, Loss_CategoricalCrossentropy)
from .numerical import numerical_gradient

__all__ = [
    "Layer_Dense", "Activation_ReLU", "Activation_Softmax", "Loss",
    "Loss_CategoricalCrossentropy", "Loss_CategoricalCrossEntropy",
    "Activation_Softmax_Loss_CategoricalCrossentropy", "numerical_gradient",
]
