"""Losses: categorical cross-entropy, alone and fused with softmax."""
import numpy as np

from ._checks import after_forward, as_batch, check_labels, same_shape
from .activations import Activation_Softmax

# Predictions are clipped into [CLIP_LOW, CLIP_HIGH] so that log never sees 0.
CLIP_LOW = 1e-7
CLIP_HIGH = 1 - 1e-7


class Loss:
    """Base class: the data loss is the mean of the per-sample losses."""

    def calculate(self, output, y):
        sample_losses = self.forward(output, y)
        return np.mean(sample_losses)


class Loss_CategoricalCrossentropy(Loss):
    """-log of the (clipped) probability given to the correct class."""

    def _correct_confidences(self, y_pred, y_true):
        name = type(self).__name__
        y_pred = as_batch(name, "y_pred", y_pred)
        n_samples, n_classes = y_pred.shape
        y_true = check_labels(name, y_true, n_samples, n_classes, y_pred.dtype)
        clipped = np.clip(y_pred, CLIP_LOW, CLIP_HIGH)
        if y_true.ndim == 1:      # class indices: pick the correct class per row
            correct = clipped[np.arange(n_samples), y_true]
        else:                     # one-hot rows: the sum keeps only the correct class
            correct = np.sum(clipped * y_true, axis=1)
        return y_pred, y_true, clipped, correct

    def forward(self, y_pred, y_true):
        _, _, _, correct_confidences = self._correct_confidences(y_pred, y_true)
        return -np.log(correct_confidences)

    def backward(self, dvalues, y_true):
        # dvalues are the predictions the loss was computed from (book API).
        dvalues, y_true, clipped, correct = self._correct_confidences(dvalues, y_true)
        n_samples, n_classes = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(n_classes, dtype=dvalues.dtype)[y_true]
        # d/dp of mean_i(-log(clip(p)_i,correct)) is -1 / clip(p) / N at the correct
        # class where the clip lets p through, and exactly 0 where the clip is
        # active: a clipped value does not move when p moves (torch's clamp says
        # the same; at the bounds themselves the gradient still passes).
        inside = dvalues == clipped
        self.dinputs = np.where(inside, -y_true / correct[:, None], 0) / n_samples


# The seed notebook spells it with a capital E; both names are the same class.
Loss_CategoricalCrossEntropy = Loss_CategoricalCrossentropy


class Activation_Softmax_Loss_CategoricalCrossentropy:
    """Softmax followed by cross-entropy, with the short combined gradient."""

    def __init__(self):
        self.activation = Activation_Softmax()
        self.output = None

    def forward(self, inputs, y_true):
        name = type(self).__name__
        inputs = as_batch(name, "inputs", inputs)
        n_samples, n_classes = inputs.shape
        y_true = check_labels(name, y_true, n_samples, n_classes, inputs.dtype)
        self.activation.forward(inputs)
        self.output = self.activation.output
        # -log softmax(x)_y = log(sum(exp(x - max))) - (x_y - max). Computed from the
        # shifted logits, never as log(output): the softmax of an extreme logit
        # underflows to 0 and log(0) = -inf, while this stays exact for any finite x.
        shifted = inputs - np.max(inputs, axis=1, keepdims=True)
        log_sum_exp = np.log(np.sum(np.exp(shifted), axis=1))
        if y_true.ndim == 1:
            sample_losses = log_sum_exp - shifted[np.arange(n_samples), y_true]
        else:
            sample_losses = log_sum_exp * np.sum(y_true, axis=1) - np.sum(shifted * y_true, axis=1)
        return np.mean(sample_losses)

    def backward(self, dvalues, y_true):
        # dvalues is the softmax output from forward (book API).
        name = type(self).__name__
        after_forward(name, self.output)
        dvalues = same_shape(name, "dvalues", dvalues, self.output.shape)
        n_samples, n_classes = dvalues.shape
        y_true = check_labels(name, y_true, n_samples, n_classes, dvalues.dtype)
        # d(mean loss)/d(logits) = (softmax - one_hot) / N
        if y_true.ndim == 1:
            self.dinputs = dvalues.copy()
            self.dinputs[np.arange(n_samples), y_true] -= 1
        else:
            self.dinputs = dvalues - y_true
        self.dinputs /= n_samples
