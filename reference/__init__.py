"""PyTorch twins of the NumPy components. Every gradient here comes from
autograd: no function in this package writes a backward pass by hand."""
from .components import (CLIP_HIGH, CLIP_LOW, activation_relu, activation_softmax,
                         activation_softmax_loss_categorical_crossentropy,
                         layer_dense, loss_categorical_crossentropy)
from .components import (activation_linear, activation_sigmoid, layer_dense_regularized,
                         layer_dropout, loss_binary_crossentropy, loss_mean_absolute_error,
                         loss_mean_squared_error, regularization_loss)

__all__ = ["layer_dense", "activation_relu", "activation_softmax",
           "loss_categorical_crossentropy",
           "activation_softmax_loss_categorical_crossentropy", "CLIP_LOW", "CLIP_HIGH",
           "activation_sigmoid", "activation_linear", "loss_binary_crossentropy",
           "loss_mean_squared_error", "loss_mean_absolute_error", "regularization_loss",
           "layer_dense_regularized", "layer_dropout"]
