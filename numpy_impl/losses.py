"""Losses: forward() returns one loss per sample, calculate() their mean, and
backward(dvalues, y_true) the gradient of that mean with respect to the
predictions (passed as dvalues, as in the book)."""
import numpy as np

from . import _checks as check

# Predictions are clipped into [1e-7, 1 - 1e-7] so that log never sees 0.
CLIP_LOW = 1e-7
CLIP_HIGH = 1 - 1e-7


class Loss:
    """What every loss shares: the mean, its accumulation over the batches of an
    epoch (chapter 19), and the layers' regularization penalties (chapter 14)."""

    def __init__(self):
        self.new_pass()

    def remember_trainable_layers(self, trainable_layers):
        self.trainable_layers = check.trainable_layers(self, trainable_layers)

    def calculate(self, output, y, *, include_regularization=False):
        sample_losses = self.forward(output, y)
        data_loss = np.mean(sample_losses)
        # Added up over an epoch's batches, for calculate_accumulated().
        self.accumulated_sum += np.sum(sample_losses)
        self.accumulated_count += len(sample_losses)
        if not include_regularization:
            return data_loss
        return data_loss, self.regularization_loss()

    def calculate_accumulated(self, *, include_regularization=False):
        check.accumulated(self)
        # The mean loss over every sample since new_pass().
        data_loss = self.accumulated_sum / self.accumulated_count
        if not include_regularization:
            return data_loss
        return data_loss, self.regularization_loss()

    def new_pass(self):
        self.accumulated_sum = 0
        self.accumulated_count = 0

    def regularization_loss(self, layer=None):
        """The L1 and L2 penalties l1 * sum|w| + l2 * sum(w**2), for the weights
        and for the biases, of one layer (chapter 14: regularization_loss(layer))
        or of every layer given to remember_trainable_layers (chapter 18)."""
        layers = check.regularized_layers(self, layer)
        regularization_loss = 0
        for layer in layers:
            # 0 in the layer's dtype: a float32 layer gives a float32 penalty even
            # when every strength is 0 (a strength of 0 switches its term off).
            regularization_loss += layer.weights.dtype.type(0)
            if layer.weight_regularizer_l1 > 0:
                regularization_loss += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
            if layer.weight_regularizer_l2 > 0:
                regularization_loss += layer.weight_regularizer_l2 * np.sum(
                    layer.weights * layer.weights)
            if layer.bias_regularizer_l1 > 0:
                regularization_loss += layer.bias_regularizer_l1 * np.sum(np.abs(layer.biases))
            if layer.bias_regularizer_l2 > 0:
                regularization_loss += layer.bias_regularizer_l2 * np.sum(
                    layer.biases * layer.biases)
        return regularization_loss


class Loss_CategoricalCrossentropy(Loss):
    """-log of the (clipped) probability given to the correct class."""

    def forward(self, y_pred, y_true):
        y_pred, y_true = check.class_labels(self, "y_pred", y_pred, y_true)
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, CLIP_LOW, CLIP_HIGH)
        if y_true.ndim == 1:    # class indices: pick each row's correct class
            correct_confidences = y_pred_clipped[np.arange(samples), y_true]
        else:                   # one-hot rows: the sum keeps only the correct class
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        return -np.log(correct_confidences)

    def backward(self, dvalues, y_true):
        dvalues, y_true = check.class_labels(self, "dvalues", dvalues, y_true)
        samples = len(dvalues)
        # A row's loss is -log(c), c = the clipped probability of the correct class,
        # so d/dp_k = -y_k / c where the clip lets p_k through, and 0 where the clip
        # is active: a clipped value does not move when p does (torch's clamp agrees;
        # the book's -y_true / dvalues ignores the clip). Mean over samples: / N.
        clipped = np.clip(dvalues, CLIP_LOW, CLIP_HIGH)
        if y_true.ndim == 1:    # class indices: -1 / c in each row's correct column only
            rows = np.arange(samples)
            gradient = np.zeros_like(dvalues)
            gradient[rows, y_true] = -1 / clipped[rows, y_true]
        else:                   # one-hot rows: the sum keeps only the correct class
            correct_confidences = np.sum(clipped * y_true, axis=1, keepdims=True)
            gradient = -y_true / correct_confidences
        self.dinputs = np.where(dvalues == clipped, gradient, 0) / samples


# The seed notebook spells it with a capital E; both names are the same class.
Loss_CategoricalCrossEntropy = Loss_CategoricalCrossentropy


class Activation_Softmax_Loss_CategoricalCrossentropy:
    """Softmax and cross-entropy in one step, for the short combined gradient
    (softmax - one_hot) / N. forward() is the book's chapters 10-17; from
    chapter 18 the Model uses backward() alone: its last layer computed the
    softmax, which the Model hands over as .output before calling backward()."""

    def forward(self, inputs, y_true):
        inputs, y_true = check.class_labels(self, "inputs", inputs, y_true)
        samples = len(inputs)
        # Softmax, as Activation_Softmax computes it, keeping the shifted logits.
        shifted = inputs - np.max(inputs, axis=1, keepdims=True)
        exp_values = np.exp(shifted)
        exp_sums = np.sum(exp_values, axis=1, keepdims=True)
        self.output = exp_values / exp_sums
        # Its cross-entropy by log-sum-exp: -log softmax(x)_y = log(sum exp(x - max))
        # - (x_y - max), exact for any finite logits, where -log(self.output)
        # would meet log(0) = -inf once an extreme logit's softmax underflows.
        log_sum_exp = np.log(exp_sums[:, 0])
        if y_true.ndim == 1:
            sample_losses = log_sum_exp - shifted[np.arange(samples), y_true]
        else:
            # a one-hot row picks its class's shifted logit (and sums to 1)
            sample_losses = log_sum_exp - np.sum(shifted * y_true, axis=1)
        return np.mean(sample_losses)

    def backward(self, dvalues, y_true):
        # dvalues is the softmax output (book API).
        dvalues, y_true = check.gradient_and_labels(self, dvalues, y_true)
        samples = len(dvalues)
        # d(mean loss)/d(logits) = (softmax - one_hot) / N
        if y_true.ndim == 1:
            self.dinputs = dvalues.copy()
            self.dinputs[np.arange(samples), y_true] -= 1
        else:
            self.dinputs = dvalues - y_true
        self.dinputs = self.dinputs / samples


class Loss_BinaryCrossentropy(Loss):
    """-(y log p + (1 - y) log(1 - p)) per output, averaged over a sample's
    outputs; p is clipped into [1e-7, 1 - 1e-7] like the categorical loss."""

    def forward(self, y_pred, y_true):
        y_pred, y_true = check.targets(self, "y_pred", y_pred, y_true, unit_interval=True)
        y_pred_clipped = np.clip(y_pred, CLIP_LOW, CLIP_HIGH)
        sample_losses = -(y_true * np.log(y_pred_clipped)
                          + (1 - y_true) * np.log(1 - y_pred_clipped))
        return np.mean(sample_losses, axis=-1)

    def backward(self, dvalues, y_true):
        dvalues, y_true = check.targets(self, "dvalues", dvalues, y_true, unit_interval=True)
        samples, outputs = dvalues.shape
        clipped_dvalues = np.clip(dvalues, CLIP_LOW, CLIP_HIGH)
        # d/dc of -(y log c + (1 - y) log(1 - c)) is -(y / c - (1 - y) / (1 - c)),
        # where the clip lets p through; 0 where it is active (as torch's clamp
        # says). The means over outputs and over samples divide by both counts.
        gradient = -(y_true / clipped_dvalues - (1 - y_true) / (1 - clipped_dvalues))
        self.dinputs = np.where(dvalues == clipped_dvalues, gradient, 0) / outputs / samples


class Loss_MeanSquaredError(Loss):
    """(y - p)**2 averaged over a sample's outputs (L2 loss, for regression)."""

    def forward(self, y_pred, y_true):
        y_pred, y_true = check.targets(self, "y_pred", y_pred, y_true)
        return np.mean((y_true - y_pred) ** 2, axis=-1)

    def backward(self, dvalues, y_true):
        dvalues, y_true = check.targets(self, "dvalues", dvalues, y_true)
        samples, outputs = dvalues.shape
        # d/dp (y - p)**2 = -2 (y - p); the two means divide by outputs and samples.
        self.dinputs = -2 * (y_true - dvalues) / outputs / samples


class Loss_MeanAbsoluteError(Loss):
    """|y - p| averaged over a sample's outputs (L1 loss, for regression)."""

    def forward(self, y_pred, y_true):
        y_pred, y_true = check.targets(self, "y_pred", y_pred, y_true)
        return np.mean(np.abs(y_true - y_pred), axis=-1)

    def backward(self, dvalues, y_true):
        dvalues, y_true = check.targets(self, "dvalues", dvalues, y_true)
        samples, outputs = dvalues.shape
        # d/dp |y - p| = sign(p - y) (the book's np.sign(y_true - dvalues) points
        # the other way). Written with two comparisons, the sign is 0 where
        # p == y, as torch's gradient of |x| at 0, and 0 where p - y is NaN, as
        # torch.sign(nan); np.sign would give NaN there.
        difference = dvalues - y_true
        sign = (difference > 0).astype(dvalues.dtype) - (difference < 0).astype(dvalues.dtype)
        self.dinputs = sign / outputs / samples
