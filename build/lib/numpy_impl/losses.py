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

    def regularization_loss(self, layer):
        """The L1 and L2 penalties of one layer (the book's chapter 14):
        l1 * sum|w| + l2 * sum(w * w), for its weights and for its biases.
        A strength of 0 (the default) switches its term off."""
        weights, biases = np.asarray(layer.weights), np.asarray(layer.biases)
        # Started in the weights' dtype, so a float32 layer gives a float32 penalty.
        penalty = weights.dtype.type(0)
        if layer.weight_regularizer_l1 > 0:
            penalty = penalty + layer.weight_regularizer_l1 * np.sum(np.abs(weights))
        if layer.weight_regularizer_l2 > 0:
            penalty = penalty + layer.weight_regularizer_l2 * np.sum(weights * weights)
        if layer.bias_regularizer_l1 > 0:
            penalty = penalty + layer.bias_regularizer_l1 * np.sum(np.abs(biases))
        if layer.bias_regularizer_l2 > 0:
            penalty = penalty + layer.bias_regularizer_l2 * np.sum(biases * biases)
        return penalty


class Loss_CategoricalCrossentropy(Loss):
    """-log of the (clipped) probability given to the correct class."""

    def forward(self, y_pred, y_true):
        name = type(self).__name__
        y_pred = as_batch(name, "y_pred", y_pred)
        n_samples, n_classes = y_pred.shape
        y_true = check_labels(name, y_true, n_samples, n_classes, y_pred.dtype)
        y_pred_clipped = np.clip(y_pred, CLIP_LOW, CLIP_HIGH)
        if y_true.ndim == 1:      # class indices: pick the correct class per row
            correct_confidences = y_pred_clipped[np.arange(n_samples), y_true]
        else:                     # one-hot rows: the sum keeps only the correct class
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        return -np.log(correct_confidences)

    def backward(self, dvalues, y_true):
        # dvalues are the predictions the loss was computed from (book API).
        name = type(self).__name__
        dvalues = as_batch(name, "dvalues", dvalues)
        n_samples, n_classes = dvalues.shape
        y_true = check_labels(name, y_true, n_samples, n_classes, dvalues.dtype)
        if y_true.ndim == 1:
            y_true = np.eye(n_classes, dtype=dvalues.dtype)[y_true]
        clipped = np.clip(dvalues, CLIP_LOW, CLIP_HIGH)
        correct_confidences = np.sum(clipped * y_true, axis=1, keepdims=True)
        # The loss of a row is -log(c) with c = sum_k clip(p_k) * y_k, so
        # d/dp_k = -y_k / c / N where the clip lets p_k through, and exactly 0 where
        # the clip is active: a clipped value does not move when p moves (torch's
        # clamp says the same; at the bounds themselves the gradient still passes).
        passes = dvalues == clipped
        self.dinputs = np.where(passes, -y_true / correct_confidences, 0) / n_samples


# The seed notebook spells it with a capital E; both names are the same class.
Loss_CategoricalCrossEntropy = Loss_CategoricalCrossentropy


def _row_max(x):
    """np.max(x, axis=1, keepdims=True), faster for narrow rows: NumPy pays a fixed
    cost per row when it reduces along rows, so with few columns it is several
    times faster to reduce a transposed copy column-wise. A maximum is the same in
    any order, up to the sign of a zero maximum, which changes no value of the
    softmax or of the loss."""
    if x.shape[1] <= 64:
        return np.maximum.reduce(np.ascontiguousarray(x.T), axis=0)[:, np.newaxis]
    return np.max(x, axis=1, keepdims=True)


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
        # -log softmax(x)_y = log(sum(exp(x - max))) - (x_y - max). Computed from the
        # shifted logits, never as log(output): the softmax of an extreme logit
        # underflows to 0 and log(0) = -inf, while this stays exact for any finite x.
        shifted = inputs - _row_max(inputs)
        exp_values = np.exp(shifted)
        exp_sums = np.sum(exp_values, axis=1, keepdims=True)
        # The softmax is Activation_Softmax.forward's arithmetic exactly, done here
        # so that the max, the exp and the sums serve the loss too.
        self.activation.output = self.output = exp_values / exp_sums
        log_sum_exp = np.log(exp_sums[:, 0])
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


def _targets(component, y_true, y_pred, unit_interval=False):
    """Regression or binary targets: one per prediction, returned in its dtype
    (integer 0/1 labels would otherwise promote float32 predictions to float64)."""
    y_true = np.asarray(y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{component}: y_true must have the shape of the predictions {y_pred.shape} "
            f"(one target per output), received shape {y_true.shape}")
    if not (np.issubdtype(y_true.dtype, np.number) or y_true.dtype == np.bool_):
        raise TypeError(f"{component}: y_true must hold numbers, received dtype {y_true.dtype}")
    if unit_interval and ((y_true < 0) | (y_true > 1)).any():
        bad = tuple(int(i) for i in np.argwhere((y_true < 0) | (y_true > 1))[0])
        raise ValueError(f"{component}: targets must lie in [0, 1] (0/1 labels or "
                         f"probabilities), received {y_true[bad].item()!r} at position {list(bad)}")
    return y_true.astype(y_pred.dtype, copy=False)


class Loss_BinaryCrossentropy(Loss):
    """-(y log p + (1 - y) log(1 - p)) per output, averaged over the outputs of a
    sample; p is clipped into [CLIP_LOW, CLIP_HIGH] like the categorical loss."""

    def _clip(self, y_pred, y_true, name):
        component = type(self).__name__
        y_pred = as_batch(component, name, y_pred)
        y_true = _targets(component, y_true, y_pred, unit_interval=True)
        return y_pred, y_true, np.clip(y_pred, CLIP_LOW, CLIP_HIGH)

    def forward(self, y_pred, y_true):
        _, y_true, clipped = self._clip(y_pred, y_true, "y_pred")
        sample_losses = -(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped))
        return np.mean(sample_losses, axis=-1)

    def backward(self, dvalues, y_true):
        # dvalues are the predictions the loss was computed from (book API).
        dvalues, y_true, clipped = self._clip(dvalues, y_true, "dvalues")
        n_samples, n_outputs = dvalues.shape
        # d/dc of -(y log c + (1 - y) log(1 - c)) is -(y / c - (1 - y) / (1 - c)).
        gradient = -(y_true / clipped - (1 - y_true) / (1 - clipped))
        # c = clip(p) moves with p only where the clip lets p through (torch's clamp
        # agrees, and lets the gradient through at the bounds themselves too): where
        # the clip is active the exact derivative is 0. The mean over outputs, then
        # over samples, divides by both counts.
        passes = dvalues == clipped
        self.dinputs = np.where(passes, gradient, 0) / n_outputs / n_samples


class Loss_MeanSquaredError(Loss):
    """(y - p)^2 averaged over the outputs of a sample (L2 loss, for regression)."""

    def forward(self, y_pred, y_true):
        y_pred = as_batch(type(self).__name__, "y_pred", y_pred)
        y_true = _targets(type(self).__name__, y_true, y_pred)
        return np.mean((y_true - y_pred) ** 2, axis=-1)

    def backward(self, dvalues, y_true):
        dvalues = as_batch(type(self).__name__, "dvalues", dvalues)
        y_true = _targets(type(self).__name__, y_true, dvalues)
        n_samples, n_outputs = dvalues.shape
        # d/dp (y - p)^2 = -2 (y - p); the two means divide by outputs and samples.
        self.dinputs = -2 * (y_true - dvalues) / n_outputs / n_samples


class Loss_MeanAbsoluteError(Loss):
    """|y - p| averaged over the outputs of a sample (L1 loss, for regression)."""

    def forward(self, y_pred, y_true):
        y_pred = as_batch(type(self).__name__, "y_pred", y_pred)
        y_true = _targets(type(self).__name__, y_true, y_pred)
        return np.mean(np.abs(y_true - y_pred), axis=-1)

    def backward(self, dvalues, y_true):
        dvalues = as_batch(type(self).__name__, "dvalues", dvalues)
        y_true = _targets(type(self).__name__, y_true, dvalues)
        n_samples, n_outputs = dvalues.shape
        # d/dp |y - p| = sign(p - y). (The book's code has np.sign(y_true - dvalues),
        # which points the opposite way.) Written with two comparisons, the sign is 0 where p == y,
        # as torch's gradient of |x| at 0 is, and 0 where p - y is NaN, as
        # torch.sign(nan) is; np.sign would give NaN there.
        difference = dvalues - y_true
        sign = (difference > 0).astype(dvalues.dtype) - (difference < 0).astype(dvalues.dtype)
        self.dinputs = sign / n_outputs / n_samples
