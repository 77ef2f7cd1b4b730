"""Mistakes in the losses: Loss.calculate, categorical cross-entropy, the
combined softmax + cross-entropy, binary cross-entropy, MSE, MAE and the
regularization penalty; and the book's own formulas where they differ from
torch (book=True)."""
import numpy as np

from numpy_impl import (Activation_Softmax_Loss_CategoricalCrossentropy, Loss,
                        Loss_BinaryCrossentropy, Loss_CategoricalCrossentropy,
                        Loss_MeanAbsoluteError, Loss_MeanSquaredError)

from ..catalogue import mistake

CCE = "Loss_CategoricalCrossentropy"
COMBINED = "Activation_Softmax_Loss_CategoricalCrossentropy"
BCE = "Loss_BinaryCrossentropy"
LOW, HIGH = 1e-7, 1 - 1e-7


# ---------------------------------------------------------------- Loss
@mistake("loss-sum-not-mean", "Loss",
         description="your calculate SUMS the per-sample losses; the book (and torch) take "
                     "the MEAN",
         fix="return np.mean(sample_losses)")
class LossSumNotMean(Loss):
    def calculate(self, output, y, *args, **kwargs):
        return np.sum(self.forward(output, y))


@mistake("regularization-loss-l2-not-squared", "Loss.regularization_loss", "Loss",
         description="your L2 penalty sums the weights instead of their SQUARES",
         fix="use np.sum(layer.weights * layer.weights)")
class RegularizationL2NotSquared(Loss):
    def regularization_loss(self, layer=None):
        penalty = super().regularization_loss(layer)
        if layer.weight_regularizer_l2 > 0:
            weights = np.asarray(layer.weights)
            penalty = penalty - layer.weight_regularizer_l2 * (
                np.sum(weights * weights) - np.sum(weights))
        return penalty


# ---------------------------------------------------------------- categorical cross-entropy
def _correct_confidences(y_pred_clipped, y_true, axis=1, keep_dtype=True):
    """The predicted probability of each sample's class. One-hot labels are cast
    to the predictions' dtype (keep_dtype), unless the mistake is the book's
    integer-times-float32 promotion."""
    if y_true.ndim == 1:
        return y_pred_clipped[np.arange(len(y_pred_clipped)), y_true]
    if keep_dtype:
        y_true = y_true.astype(y_pred_clipped.dtype)
    return np.sum(y_pred_clipped * y_true, axis=axis)


@mistake("cce-no-clip-in-forward", CCE,
         description="your loss is not clipped: a prediction of 0 for the correct class gives "
                     "-log(0) = inf",
         fix="clip predictions to [1e-7, 1 - 1e-7] before the log")
class CceNoClip(Loss_CategoricalCrossentropy):
    def forward(self, y_pred, y_true):
        return -np.log(_correct_confidences(y_pred, np.asarray(y_true)))


@mistake("cce-clip-upper-bound-1", CCE,
         description="your clip's upper bound is 1 instead of 1 - 1e-7",
         fix="clip to [1e-7, 1 - 1e-7], symmetric")
class CceClipUpTo1(Loss_CategoricalCrossentropy):
    def forward(self, y_pred, y_true):
        return -np.log(_correct_confidences(np.clip(y_pred, LOW, 1), np.asarray(y_true)))


@mistake("cce-log10", CCE,
         description="your loss uses log10; cross-entropy uses the natural log (np.log)",
         fix="use np.log")
class CceLog10(Loss_CategoricalCrossentropy):
    def forward(self, y_pred, y_true):
        return -np.log10(_correct_confidences(np.clip(y_pred, LOW, HIGH), np.asarray(y_true)))


@mistake("cce-one-hot-wrong-axis", CCE,
         description="with one-hot labels your loss sums over the batch (axis=0) instead of "
                     "each row",
         fix="sum over axis=1")
class CceOneHotWrongAxis(Loss_CategoricalCrossentropy):
    def forward(self, y_pred, y_true):
        return -np.log(_correct_confidences(np.clip(y_pred, LOW, HIGH), np.asarray(y_true),
                                            axis=0))


@mistake("cce-sparse-index-swapped", CCE,
         description="your loss indexes [label, sample] instead of [sample, label]: it reads "
                     "the wrong probabilities (or fails when the batch is larger than the "
                     "class count)",
         fix="index y_pred_clipped[range(n_samples), y_true]: the row is the sample")
class CceIndexSwapped(Loss_CategoricalCrossentropy):
    def forward(self, y_pred, y_true):
        y_true = np.asarray(y_true)
        clipped = np.clip(y_pred, LOW, HIGH)
        if y_true.ndim == 1:
            return -np.log(clipped[y_true, np.arange(len(clipped))])
        return -np.log(_correct_confidences(clipped, y_true))


@mistake("cce-not-divided-by-batch", CCE,
         description="your gradient is N times too large: it is not divided by the batch size",
         fix="divide by the number of samples: the loss is a mean")
class CceNotDivided(Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = self.dinputs * len(dvalues)


@mistake("cce-one-hot-float64", CCE,
         description="your float32 gradient comes out as float64: np.eye makes float64 "
                     "one-hot rows",
         fix="build the one-hot rows in the predictions' dtype: np.eye(labels, "
             "dtype=dvalues.dtype)")
class CceOneHotFloat64(Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = self.dinputs.astype(np.float64)


@mistake("cce-clip-ignored-in-backward", CCE, book=True,
         description="your gradient -y_true / dvalues / samples is the book's: it ignores the "
                     "clip, so where the clip is active (p < 1e-7 or p > 1 - 1e-7) it is not "
                     "0 as torch's, and a prediction of 0 gives -inf",
         fix="set the gradient to 0 where np.clip changed p (dvalues != clipped)")
class CceClipIgnored(Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        samples, labels = dvalues.shape
        y_true = np.asarray(y_true)
        if y_true.ndim == 1:
            y_true = np.eye(labels, dtype=dvalues.dtype)[y_true]
        self.dinputs = -y_true.astype(dvalues.dtype) / dvalues / samples


@mistake("book-cce", CCE, book=True,
         description={
             "values": "your loss is the book's: its backward -y_true / dvalues / samples "
                       "ignores the clip (torch's gradient is 0 where p is clipped), and "
                       "-y_true wraps around for unsigned one-hot labels (-1 becomes 255)",
             "dtype": "your loss is the book's: np.eye(labels)[y_true] makes float64 one-hot "
                      "rows, and integer one-hot labels times float32 predictions give "
                      "float64, so float32 input gives float64 results"},
         fix="one-hot rows and labels in the predictions' dtype (astype(dvalues.dtype)), and "
             "a gradient of 0 where the clip is active")
class BookCce(Loss_CategoricalCrossentropy):
    def forward(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, LOW, HIGH)
        return -np.log(_correct_confidences(y_pred_clipped, np.asarray(y_true),
                                            keep_dtype=False))

    def backward(self, dvalues, y_true):
        samples, labels = dvalues.shape
        y_true = np.asarray(y_true)
        if y_true.ndim == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = -y_true / dvalues / samples


# ---------------------------------------------------------------- combined softmax + loss
@mistake("combined-not-divided-by-batch", COMBINED,
         description="your gradient is N times too large: it is not divided by the batch size",
         fix="divide (softmax - one_hot) by the number of samples")
class CombinedNotDivided(Activation_Softmax_Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = self.dinputs * len(dvalues)


@mistake("combined-backward-in-place", COMBINED,
         description="your backward writes into dvalues (the softmax output): dinputs = "
                     "dvalues is not a copy",
         fix="start from dvalues.copy()")
class CombinedInPlace(Activation_Softmax_Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        y_true = np.asarray(y_true)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues
        self.dinputs[np.arange(len(dvalues)), y_true] -= 1
        self.dinputs /= len(dvalues)


@mistake("combined-forgets-one-hot", COMBINED,
         description="your gradient is softmax / N: the -1 at the correct class is missing",
         fix="subtract 1 at each sample's correct class")
class CombinedForgetsOneHot(Activation_Softmax_Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        self.dinputs = dvalues / len(dvalues)


@mistake("combined-loss-from-clipped-softmax", COMBINED, book=True,
         description="your loss is the book's -log of the clipped softmax: for extreme logits "
                     "the clip caps it at 16.1 (-log 1e-7) where the true loss is larger",
         fix="compute -log softmax as logsumexp(x) - x_y from the shifted logits")
class CombinedClippedLoss(Activation_Softmax_Loss_CategoricalCrossentropy):
    def forward(self, inputs, y_true, *args, **kwargs):
        super().forward(inputs, y_true)
        clipped = np.clip(self.output, LOW, HIGH)
        return np.mean(-np.log(_correct_confidences(clipped, np.asarray(y_true),
                                                    keep_dtype=False)))


# ---------------------------------------------------------------- binary cross-entropy
def _bce_gradient(dvalues, y_true):
    clipped = np.clip(dvalues, LOW, HIGH)
    return -(y_true / clipped - (1 - y_true) / (1 - clipped))


@mistake("bce-gradient-not-divided-by-outputs", BCE,
         description="your binary cross-entropy gradient is not divided by the number of "
                     "OUTPUTS; the sample loss is the mean over the outputs, so each output's "
                     "share is 1 / outputs",
         fix="divide by the number of outputs (len(dvalues[0])) as well as by the samples")
class BceNotDividedByOutputs(Loss_BinaryCrossentropy):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = self.dinputs * dvalues.shape[1]


@mistake("bce-gradient-ignores-clip", BCE, book=True,
         description={
             "values": "your binary cross-entropy gradient is the book's: it is not 0 where "
                       "the clip is active (p below 1e-7 or above 1 - 1e-7), although a "
                       "clipped value does not move when p moves",
             "dtype": "your binary cross-entropy is the book's: integer 0/1 targets times "
                      "float32 predictions give float64"},
         fix="set the gradient to 0 where np.clip changed p (dvalues != clipped), and cast "
             "y_true to the predictions' dtype")
class BceClipIgnored(Loss_BinaryCrossentropy):
    def forward(self, y_pred, y_true):
        y_true = np.asarray(y_true)
        clipped = np.clip(y_pred, LOW, HIGH)
        return np.mean(-(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped)),
                       axis=-1)

    def backward(self, dvalues, y_true):
        samples, outputs = dvalues.shape
        self.dinputs = _bce_gradient(dvalues, np.asarray(y_true)) / outputs / samples


@mistake("bce-clip-forward-only", BCE,
         description="your binary cross-entropy clips p in forward only: backward divides by "
                     "the raw p and 1 - p, which gives inf or NaN at p = 0 or 1",
         fix="clip dvalues in backward too, and set the gradient to 0 where the clip is active")
class BceClipForwardOnly(Loss_BinaryCrossentropy):
    def backward(self, dvalues, y_true):
        samples, outputs = dvalues.shape
        y_true = np.asarray(y_true).astype(dvalues.dtype)
        self.dinputs = -(y_true / dvalues - (1 - y_true) / (1 - dvalues)) / outputs / samples


# ---------------------------------------------------------------- MSE, MAE
@mistake("mse-gradient-missing-2", "Loss_MeanSquaredError",
         description="your mean squared error gradient lacks the factor 2 of "
                     "d/dp (y - p)^2 = -2 (y - p)",
         fix="self.dinputs = -2 * (y_true - dvalues) / outputs / samples")
class MseMissing2(Loss_MeanSquaredError):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = self.dinputs / 2


@mistake("mse-gradient-wrong-sign", "Loss_MeanSquaredError",
         description="your mean squared error gradient has the wrong SIGN: the chain rule "
                     "through (y - p) brings a factor -1",
         fix="self.dinputs = -2 * (y_true - dvalues) / outputs / samples, i.e. "
             "2 * (dvalues - y_true) / outputs / samples")
class MseWrongSign(Loss_MeanSquaredError):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = -self.dinputs


@mistake("mae-sign-one-at-zero", "Loss_MeanAbsoluteError",
         description="your mean absolute error gradient is +1 where the prediction equals the "
                     "target; torch's derivative of |x| at 0 is 0",
         fix="use a sign that is 0 at 0: np.sign(dvalues - y_true)")
class MaeOneAtZero(Loss_MeanAbsoluteError):
    def backward(self, dvalues, y_true):
        samples, outputs = dvalues.shape
        sign = np.where(dvalues - np.asarray(y_true) >= 0, 1, -1).astype(dvalues.dtype)
        self.dinputs = sign / outputs / samples


@mistake("mae-book-sign", "Loss_MeanAbsoluteError", book=True,
         description="your mean absolute error gradient is the book's np.sign(y_true - "
                     "dvalues): d/dp |y - p| is sign(p - y), the opposite direction",
         fix="use np.sign(dvalues - y_true)")
class MaeBookSign(Loss_MeanAbsoluteError):
    def backward(self, dvalues, y_true):
        samples, outputs = dvalues.shape
        self.dinputs = np.sign(np.asarray(y_true) - dvalues) / outputs / samples
