"""Classic mistakes a learner makes when writing the book's backward passes.

Each entry is a small, realistic text patch on the correct numpy_impl: `old` must
occur exactly once in numpy_impl/<file>, and is replaced by `new`. The kill test
(tests/test_mutants.py) runs the suite against every patched copy and requires
it to fail; the diagnosis uses the same entries to name a learner's mistake.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    name: str           # a short identifier, e.g. "dense-dbiases-mean"
    component: str      # the registry component it breaks (tests/registry.py)
    file: str           # the file under numpy_impl/ that the patch edits
    old: str            # text in the correct implementation (occurs exactly once)
    new: str            # the mistaken text
    description: str    # what the mistake is, in the learner's words
    fix: str            # how to fix it


CORE_MISTAKES = []

def _m(*args):
    CORE_MISTAKES.append(Mistake(*args))


# --------------------------------------------------------------- Layer_Dense
_m("dense-forward-drops-bias", "Layer_Dense", "layers.py",
   "output += self.biases",
   "pass",
   "your output lacks the BIAS term", "add self.biases to np.dot(inputs, self.weights)")
_m("dense-dbiases-mean", "Layer_Dense", "layers.py",
   "self.dbiases = np.sum(dvalues, axis=0, keepdims=True)",
   "self.dbiases = np.mean(dvalues, axis=0, keepdims=True)",
   "your dbiases is the MEAN of dvalues over the batch; torch uses the SUM",
   "use np.sum(dvalues, axis=0, keepdims=True): the upstream loss already averaged")
_m("dense-dbiases-wrong-axis", "Layer_Dense", "layers.py",
   "self.dbiases = np.sum(dvalues, axis=0, keepdims=True)",
   "self.dbiases = np.sum(dvalues, axis=1, keepdims=True)",
   "your dbiases sums over the neurons (axis=1) instead of over the batch (axis=0)",
   "sum over axis=0, the samples")
_m("dense-dbiases-no-keepdims", "Layer_Dense", "layers.py",
   "self.dbiases = np.sum(dvalues, axis=0, keepdims=True)",
   "self.dbiases = np.sum(dvalues, axis=0)",
   "your dbiases has shape (n_neurons,), torch's (like the biases) is (1, n_neurons)",
   "pass keepdims=True")
_m("dense-dweights-swapped", "Layer_Dense", "layers.py",
   "self.dweights = np.dot(self.inputs.T, dvalues)",
   "self.dweights = np.dot(dvalues.T, self.inputs)",
   "your dweights is TRANSPOSED: dvalues.T @ inputs instead of inputs.T @ dvalues",
   "use np.dot(self.inputs.T, dvalues), which has the weights' shape")
_m("dense-dinputs-no-transpose", "Layer_Dense", "layers.py",
   "np.dot(dvalues, self.weights.T)",
   "np.dot(dvalues, self.weights)",
   "your dinputs multiplies by the weights, not by their TRANSPOSE",
   "use np.dot(dvalues, self.weights.T)")
_m("dense-dweights-divided-by-batch", "Layer_Dense", "layers.py",
   "self.dweights = np.dot(self.inputs.T, dvalues)",
   "self.dweights = np.dot(self.inputs.T, dvalues) / len(dvalues)",
   "your dweights is divided by the batch size a second time",
   "do not divide: the loss's gradient already carries the 1/N of the mean")
_m("dense-float32-dot", "Layer_Dense", "layers.py",
   "output = np.dot(inputs, self.weights)",
   "output = np.dot(inputs.astype(np.float32), self.weights.astype(np.float32))"
   ".astype(inputs.dtype)",
   "your output was computed in float32 and cast back (what nnfs.init() does to np.dot)",
   "compute in the inputs' own dtype; do not call nnfs.init() where float64 matters")

# --------------------------------------------------------------- Activation_ReLU
_m("relu-gradient-at-zero", "Activation_ReLU", "activations.py",
   "_zero_where(self.inputs <= 0, dvalues)",
   "_zero_where(self.inputs < 0, dvalues)",
   "your ReLU passes gradient where the input is exactly 0; torch gives 0 there",
   "block the gradient where inputs <= 0, not only where inputs < 0")
_m("relu-backward-in-place", "Activation_ReLU", "activations.py",
   "self.dinputs = _zero_where(self.inputs <= 0, dvalues)",
   "self.dinputs = dvalues\n        self.dinputs[self.inputs <= 0] = 0",
   "your ReLU backward writes into dvalues (dinputs = dvalues is not a copy)",
   "start from dvalues.copy()")
_m("relu-backward-uses-upstream-sign", "Activation_ReLU", "activations.py",
   "_zero_where(self.inputs <= 0, dvalues)",
   "_zero_where(dvalues <= 0, dvalues)",
   "your ReLU backward masks by the sign of dvalues instead of the sign of the inputs",
   "mask where the forward INPUT was <= 0")

# --------------------------------------------------------------- Activation_Softmax
_m("softmax-no-max-shift", "Activation_Softmax", "activations.py",
   "exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))",
   "exp_values = np.exp(inputs)",
   "your softmax overflows: exp of large logits is inf (or 0/0 for very negative rows)",
   "subtract the row max before exp: np.exp(inputs - np.max(inputs, axis=1, keepdims=True))")
_m("softmax-global-max", "Activation_Softmax", "activations.py",
   "exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))",
   "exp_values = np.exp(inputs - np.max(inputs))",
   "your softmax subtracts the max of the whole batch, not of each row: rows far below "
   "it underflow to 0/0",
   "take the max per row: axis=1, keepdims=True")
_m("softmax-normalise-wrong-axis", "Activation_Softmax", "activations.py",
   "self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)",
   "self.output = exp_values / np.sum(exp_values, axis=0, keepdims=True)",
   "your softmax normalizes over the batch (axis=0) instead of over each row",
   "sum over axis=1")
_m("softmax-jacobian-diagonal-only", "Activation_Softmax", "activations.py",
   "self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=1, keepdims=True))",
   "self.dinputs = s * (1 - s) * dvalues",
   "your softmax backward uses only the DIAGONAL of the Jacobian: the off-diagonal "
   "terms -s_i*s_j are missing",
   "use the full Jacobian-vector product s * (dvalues - sum(dvalues * s, axis=1))")
_m("softmax-backward-no-keepdims", "Activation_Softmax", "activations.py",
   "self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=1, keepdims=True))",
   "self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=1))",
   "your softmax backward subtracts a row sum without keepdims, so it broadcasts "
   "along the wrong axis",
   "keepdims=True, so each row subtracts its own sum")
_m("softmax-backward-sign", "Activation_Softmax", "activations.py",
   "self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=1, keepdims=True))",
   "self.dinputs = s * (np.sum(dvalues * s, axis=1, keepdims=True) - dvalues)",
   "your softmax backward has the wrong SIGN", "s * (dvalues - sum(dvalues * s))")

# --------------------------------------------------------------- Loss
_m("loss-sum-not-mean", "Loss", "losses.py",
   "        sample_losses = self.forward(output, y)\n        return np.mean(sample_losses)",
   "        sample_losses = self.forward(output, y)\n        return np.sum(sample_losses)",
   "your calculate SUMS the per-sample losses; the book (and torch) take the MEAN",
   "return np.mean(sample_losses)")

# --------------------------------------------------------------- Loss_CategoricalCrossentropy
_m("cce-no-clip-in-forward", "Loss_CategoricalCrossentropy", "losses.py",
   "y_pred_clipped = np.clip(y_pred, CLIP_LOW, CLIP_HIGH)",
   "y_pred_clipped = y_pred",
   "your loss is not clipped: a prediction of 0 for the correct class gives -log(0) = inf",
   "clip predictions to [1e-7, 1 - 1e-7] before the log")
_m("cce-clip-ignored-in-backward", "Loss_CategoricalCrossentropy", "losses.py",
   "self.dinputs = np.where(passes, -y_true / correct_confidences, 0) / n_samples",
   "self.dinputs = -y_true / dvalues / n_samples",
   "your loss gradient ignores the clip (the book's -y_true / dvalues): where the clip "
   "is active the derivative is 0, and a prediction of 0 gives -inf",
   "multiply by the clip's mask: the gradient is 0 where p < 1e-7 or p > 1 - 1e-7")
_m("cce-not-divided-by-batch", "Loss_CategoricalCrossentropy", "losses.py",
   "self.dinputs = np.where(passes, -y_true / correct_confidences, 0) / n_samples",
   "self.dinputs = np.where(passes, -y_true / correct_confidences, 0)",
   "your gradient is N times too large: it is not divided by the batch size",
   "divide by the number of samples: the loss is a mean")
_m("cce-one-hot-float64", "Loss_CategoricalCrossentropy", "losses.py",
   "y_true = np.eye(n_classes, dtype=dvalues.dtype)[y_true]",
   "y_true = np.eye(n_classes)[y_true]",
   "your float32 gradient comes out as float64: np.eye makes float64 one-hot rows",
   "build the one-hot rows in the predictions' dtype")
_m("cce-one-hot-wrong-axis", "Loss_CategoricalCrossentropy", "losses.py",
   "correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)",
   "correct_confidences = np.sum(y_pred_clipped * y_true, axis=0)",
   "with one-hot labels your loss sums over the batch (axis=0) instead of each row",
   "sum over axis=1")
_m("cce-clip-upper-bound-1", "Loss_CategoricalCrossentropy", "losses.py",
   "y_pred_clipped = np.clip(y_pred, CLIP_LOW, CLIP_HIGH)",
   "y_pred_clipped = np.clip(y_pred, CLIP_LOW, 1)",
   "your clip's upper bound is 1 instead of 1 - 1e-7",
   "clip to [1e-7, 1 - 1e-7], symmetric")

_m("cce-log10", "Loss_CategoricalCrossentropy", "losses.py",
   "return -np.log(correct_confidences)",
   "return -np.log10(correct_confidences)",
   "your loss uses log10; cross-entropy uses the natural log (np.log)",
   "use np.log")
_m("cce-sparse-index-swapped", "Loss_CategoricalCrossentropy", "losses.py",
   "correct_confidences = y_pred_clipped[np.arange(n_samples), y_true]",
   "correct_confidences = y_pred_clipped[y_true, np.arange(n_samples)]",
   "your loss indexes [label, sample] instead of [sample, label]: it reads the wrong "
   "probabilities (or fails when the batch is larger than the class count)",
   "index y_pred_clipped[range(n_samples), y_true]: the row is the sample")

# --------------------------------------------------------------- combined softmax + loss
_m("combined-not-divided-by-batch", "Activation_Softmax_Loss_CategoricalCrossentropy",
   "losses.py", "        self.dinputs /= n_samples\n", "",
   "your gradient is N times too large: it is not divided by the batch size",
   "divide (softmax - one_hot) by the number of samples")
_m("combined-backward-in-place", "Activation_Softmax_Loss_CategoricalCrossentropy",
   "losses.py", "self.dinputs = dvalues.copy()", "self.dinputs = dvalues",
   "your backward writes into dvalues (the softmax output): dinputs = dvalues is not a copy",
   "start from dvalues.copy()")
_m("combined-loss-from-clipped-softmax", "Activation_Softmax_Loss_CategoricalCrossentropy",
   "losses.py",
   "            sample_losses = log_sum_exp - shifted[np.arange(n_samples), y_true]",
   "            sample_losses = -np.log(np.clip(self.output[np.arange(n_samples), y_true],"
   " 1e-7, 1 - 1e-7))",
   "your loss is -log of the clipped softmax: for extreme logits the clip caps it "
   "at 16.1 (-log 1e-7) where the true loss is larger",
   "compute -log softmax as logsumexp(x) - x_y from the shifted logits")
_m("combined-forgets-one-hot", "Activation_Softmax_Loss_CategoricalCrossentropy",
   "losses.py", "            self.dinputs[np.arange(n_samples), y_true] -= 1\n", "",
   "your gradient is softmax / N: the -1 at the correct class is missing",
   "subtract 1 at each sample's correct class")


def all_mistakes():
    from .later_chapters import MISTAKES as LATER
    from .optimizers import MISTAKES as OPTIMIZERS
    return CORE_MISTAKES + list(LATER) + list(OPTIMIZERS)
