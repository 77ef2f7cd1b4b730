"""A neural network written from scratch in NumPy, in the API of the book
*Neural Networks from Scratch in Python*: every class has forward() and
backward(), stores .output, and its gradients in .dinputs/.dweights/.dbiases;
the later chapters' Model, Accuracy and data loaders are here too.
"""
from .accuracy import Accuracy, Accuracy_Categorical, Accuracy_Regression
from .activations import (Activation_Linear, Activation_ReLU, Activation_Sigmoid,
                          Activation_Softmax)
from .data import create_data_mnist, load_mnist_dataset
from .layers import Layer_Dense, Layer_Dropout, Layer_Input
from .losses import (Activation_Softmax_Loss_CategoricalCrossentropy, Loss,
                     Loss_BinaryCrossentropy, Loss_CategoricalCrossEntropy,
                     Loss_CategoricalCrossentropy, Loss_MeanAbsoluteError,
                     Loss_MeanSquaredError)
from .model import Model
from .numerical import numerical_gradient
from .optimizers import (Optimizer_Adagrad, Optimizer_Adam, Optimizer_RMSprop,
                         Optimizer_SGD)
from .single_neuron import train_single_neuron

__all__ = [
    "Layer_Dense", "Activation_ReLU", "Activation_Softmax", "Loss",
    "Loss_CategoricalCrossentropy", "Loss_CategoricalCrossEntropy",
    "Activation_Softmax_Loss_CategoricalCrossentropy", "numerical_gradient",
    "Optimizer_SGD", "Optimizer_Adagrad", "Optimizer_RMSprop", "Optimizer_Adam",
    "Activation_Sigmoid", "Activation_Linear", "Loss_BinaryCrossentropy",
    "Loss_MeanSquaredError", "Loss_MeanAbsoluteError", "Layer_Dropout",
    "Layer_Input", "Accuracy", "Accuracy_Categorical", "Accuracy_Regression", "Model",
    "load_mnist_dataset", "create_data_mnist", "train_single_neuron",
]
