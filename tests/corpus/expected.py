"""The verdicts nn-crosscheck must give on every file of the corpus.

One Expect record per file (paths relative to tests/corpus/). The engine's
corpus test applies this rule:

- every component NOT named in `disagrees`, `book_deviations` or `errors` has
  no DISAGREES and no ERROR at all (no false alarm), except that a quantity in
  `maybe` may disagree "only when an input is NaN or infinite";
- every component named there has exactly that outcome (DISAGREES for
  `disagrees` and `book_deviations`, ERROR for `errors`) on at least the listed
  quantities;
- every component in `checked` is found and checked (at least partly);
  every component in `absent` is reported "not checked".

A component in none of `checked`/`absent` is left to the engine (for example
the spiral network of a forward-only file, or the training run of a file whose
combined softmax/cross-entropy class has no forward).

Quantity names are the engine's. For the three composite checks they are:
"spiral network": <layer>.<quantity> as in tests/networks.py (dense1.output,
relu.output, dense2.output, softmax.output, loss, loss.dinputs, dense2.dweights,
dense2.dbiases, dense2.dinputs, relu.dinputs, dense1.dweights, dense1.dbiases,
dense1.dinputs); "training": "loss per epoch" (and "accuracy per epoch", "loss,
free-running"); "Model": "parameters after each step" (and "loss at each step", ...).

Dtypes: an array must come out in torch's dtype (float32 in, float32 out), as
the README's properties require. Where the book's own code promotes float32 to
float64 (integer labels or masks multiplied into float32 arrays), that is
listed as a book deviation and said so in `about`. Scalars (losses, accuracies)
are compared by value.

Every expectation was checked by running each file's classes against torch
autograd (float64 and float32; a 1-sample batch, exact zeros and -0.0, tied and
extreme logits, probabilities at and beyond the clip bounds, integer and float
labels).
"""
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Expect:
    about: str                      # the style, in a few words
    disagrees: dict = field(default_factory=dict)        # component -> quantities: real bugs
    book_deviations: dict = field(default_factory=dict)  # component -> quantities: as the book writes it
    errors: dict = field(default_factory=dict)           # component -> quantities: the user's code raises
    maybe: dict = field(default_factory=dict)            # component -> quantities that may
    #   disagree, but only "when an input is NaN or infinite" (a NaN leaking through
    #   0 * NaN shows only when a generated case plants it where it leaks)
    checked: frozenset = frozenset()                     # must be found and checked
    absent: frozenset = frozenset()                      # must be "not checked"


COMPONENTS = (
    "Layer_Dense", "Layer_Dense+regularizers", "Layer_Dropout", "Layer_Dropout+inference",
    "Layer_Input", "Activation_ReLU", "Activation_Softmax", "Activation_Sigmoid",
    "Activation_Linear", "Loss", "Loss.regularization_loss", "Loss_CategoricalCrossentropy",
    "Loss_BinaryCrossentropy", "Loss_MeanSquaredError", "Loss_MeanAbsoluteError",
    "Activation_Softmax_Loss_CategoricalCrossentropy", "Accuracy_Categorical",
    "Accuracy_Regression", "Optimizer_SGD", "Optimizer_Adagrad", "Optimizer_RMSprop",
    "Optimizer_Adam", "spiral network", "training", "Model",
)


def _only(*present, unsure=()):
    """(checked, absent): `present` checked, every other component absent except
    those in `unsure` (left to the engine)."""
    for name in present + tuple(unsure):
        assert name in COMPONENTS, name
    return frozenset(present), frozenset(COMPONENTS) - set(present) - set(unsure)


def _expect(about, present, unsure=(), **outcomes):
    checked, absent = _only(*present, unsure=unsure)
    return Expect(about=about, checked=checked, absent=absent, **outcomes)


# ------------------------------------------------------------- the book's deviations
# Written once, used by every book-style file that has the class.
CCE_BOOK = {"sample_losses", "loss", "dinputs"}
# sample_losses, loss: float64 for float32 predictions with integer one-hot labels
#   (y_pred_clipped * y_true promotes, and the mean of float64 is float64); the
#   values are right.
# dinputs: -y_true / dvalues ignores the forward clip (inf/NaN at p = 0, non-zero
#   where the clip is active), is float64 for float32 input (np.eye), and wraps
#   around for uint8 one-hot labels.
COMBINED_BOOK = {"loss"}
# loss: -log of the clipped softmax, capped near 16.1 and off by ~1e-7 at the top
#   clip, where torch's cross_entropy (log-sum-exp) is exact for extreme logits.
REGULARIZED_BOOK = {"dweights", "dbiases"}
# the L1 derivative is np.ones_like with -1 where the parameter is negative: +1 at
#   an exact 0 (book init biases are 0), where torch's derivative of |w| is 0.
DROPOUT_BOOK = {"output", "dinputs"}
# dtype only: the integer binomial mask divided by a Python float is float64, so
#   float32 inputs give float64 output and dinputs; the values are right.
BCE_BOOK = {"sample_losses", "loss", "dinputs"}
# sample_losses, loss: float64 for float32 predictions with integer 0/1 targets (dtype).
# dinputs: the clipped prediction is used but the gradient is not zeroed where the
#   clip is active (torch's clamp passes no gradient there).
MAE_BOOK = {"dinputs"}
# np.sign(y_true - dvalues): the opposite sign of d|y - p|/dp = sign(p - y).

OPTIMIZERS = ("Optimizer_SGD", "Optimizer_Adagrad", "Optimizer_RMSprop", "Optimizer_Adam")
CH6 = ("Layer_Dense", "Activation_ReLU", "Activation_Softmax", "Loss",
       "Loss_CategoricalCrossentropy")
CH9 = CH6 + ("Activation_Softmax_Loss_CategoricalCrossentropy", "spiral network")
CH14 = CH9 + ("Layer_Dense+regularizers", "Loss.regularization_loss") + OPTIMIZERS + ("training",)
CH15 = CH14 + ("Layer_Dropout",)
CH16 = CH15 + ("Activation_Sigmoid", "Loss_BinaryCrossentropy")
CH17 = CH16 + ("Activation_Linear", "Loss_MeanSquaredError", "Loss_MeanAbsoluteError")
CH18 = tuple(c for c in CH17 if c != "training") + (
    "Layer_Dropout+inference", "Layer_Input", "Accuracy_Categorical", "Accuracy_Regression",
    "Model")

BOOK_14 = dict(Loss_CategoricalCrossentropy=CCE_BOOK,
               Activation_Softmax_Loss_CategoricalCrossentropy=COMBINED_BOOK)
BOOK_14["Layer_Dense+regularizers"] = REGULARIZED_BOOK
BOOK_15 = dict(BOOK_14, Layer_Dropout=DROPOUT_BOOK)
BOOK_16 = dict(BOOK_15, Loss_BinaryCrossentropy=BCE_BOOK)
BOOK_17 = dict(BOOK_16, Loss_MeanAbsoluteError=MAE_BOOK)
# chapters 18+: the combined class has no forward, so its loss is not the
# book's clipped one any more: the Model computes it with
# Loss_CategoricalCrossentropy (whose own deviations are listed).
BOOK_18 = {k: v for k, v in BOOK_17.items()
           if k != "Activation_Softmax_Loss_CategoricalCrossentropy"}


EXPECTED = {
    # ================================================================ book style
    "book_style/ch06.py": _expect(
        "book ch6: forward-only Layer_Dense, ReLU, Softmax, Loss, categorical "
        "cross-entropy; nnfs.init() and the spiral network at module level",
        CH6, unsure=("spiral network",),
        book_deviations={"Loss_CategoricalCrossentropy": {"sample_losses", "loss"}}),
    "book_style/ch09.py": _expect(
        "book ch9: backward passes, the per-sample softmax Jacobian loop, the "
        "combined softmax/cross-entropy class with forward and backward",
        CH9,
        book_deviations={"Loss_CategoricalCrossentropy": CCE_BOOK,
                         "Activation_Softmax_Loss_CategoricalCrossentropy": COMBINED_BOOK}),
    "book_style/ch10.py": _expect(
        "book ch10: the first Optimizer_SGD(learning_rate=1.0), no decay or momentum "
        "(only 'update' can be checked); a 10001-epoch loop at module level that "
        "must not run",
        CH9 + ("Optimizer_SGD",),
        book_deviations={"Loss_CategoricalCrossentropy": CCE_BOOK,
                         "Activation_Softmax_Loss_CategoricalCrossentropy": COMBINED_BOOK}),
    "book_style/ch11_snippet.py": _expect(
        "book ch11 validation fragment alone: module-level code only, uses "
        "spiral_data (and the network objects) without importing or defining them; "
        "no classes, so nothing is checked",
        ()),
    "book_style/ch14.py": _expect(
        "book ch14: L1/L2 regularizers on Layer_Dense, Loss.regularization_loss(layer), "
        "SGD with decay and momentum, Adagrad, RMSprop, Adam",
        CH14, book_deviations=BOOK_14),
    "book_style/ch15.py": _expect(
        "book ch15: dropout with np.random.binomial and forward(inputs) (no training "
        "flag); the file ends with a pasted '>>>' interpreter session, a SyntaxError: "
        "the definitions before it must still be found",
        CH15, book_deviations=BOOK_15),
    "book_style/ch16.py": _expect(
        "book ch16: Activation_Sigmoid and Loss_BinaryCrossentropy (binary logistic "
        "regression)",
        CH16, book_deviations=BOOK_16),
    "book_style/ch17.py": _expect(
        "book ch17: Activation_Linear, mean squared and mean absolute error (the "
        "book's MAE gradient sign), sine_data regression at module level",
        CH17, book_deviations=BOOK_17),
    "book_style/ch18.py": _expect(
        "book ch18: Model, Layer_Input, forward(inputs, training), predictions(), "
        "Accuracy classes, remember_trainable_layers and regularization_loss() without "
        "argument, calculate(..., include_regularization=...), a backward-only "
        "combined class",
        CH18, unsure=("training",), book_deviations=BOOK_18),
    "book_style/ch19.py": _expect(
        "book ch19: batches, new_pass/calculate_accumulated on Loss and Accuracy; "
        "`import cv2` at module level (not installed here), used only inside "
        "load_mnist_dataset",
        CH18, unsure=("training",), book_deviations=BOOK_18),
    "book_style/ch22.py": _expect(
        "book ch21-22: get/set_parameters, save/load with pickle and copy, evaluate, "
        "predict; `import cv2` at module level; module code loads a saved model",
        CH18, unsure=("training",), book_deviations=BOOK_18),

    # ================================================================ learners, correct
    "learners/alice_ch9_renamed.py": _expect(
        "ch9 API with renamed classes DenseLayer, ReLUActivation, SoftmaxActivation, "
        "CategoricalCrossEntropy, CompositeSoftmaxAndLoss; gradients in d_inputs / "
        "d_weights / d_biases; softmax backward by einsum, softmax in float64 cast back "
        "with astype; ReLU backward dvalues * (inputs > 0); clip-aware cross-entropy "
        "gradient; log-sum-exp loss; module code under an `if` block. Correct (its "
        "ReLU gives 0 at a NaN input where torch passes the gradient: not a bug, a "
        "NaN-input position must not count).",
        CH9),
    "learners/bob_ch10_rate_per_call.py": _expect(
        "ch10 API: Dense_Layer, Act_ReLU, Activation_Softmax_Loss_CategoricalCrossEntropy "
        "(capital E), SGD_Optimizer with no constructor arguments and "
        "update_params(layer, learning_rate) (the rate passed at each call); dInputs / "
        "dWeights / dBiases; cross-entropy without backward. Correct except the "
        "combined loss, which follows the book on purpose (marked in the file).",
        CH6 + ("Activation_Softmax_Loss_CategoricalCrossentropy", "spiral network",
               "Optimizer_SGD"),
        book_deviations={"Activation_Softmax_Loss_CategoricalCrossentropy": COMBINED_BOOK}),
    "learners/carol_returns_values.py": _expect(
        "forward() returns its result without setting .output, backward() returns the "
        "gradient without setting .dinputs (Dense keeps dweights/dbiases); parameters "
        "named .weight/.bias; Activation_Relu backward np.where(inputs > 0, dvalues, 0); "
        "softmax backward by an explicit per-sample Jacobian (np.diag - np.outer); "
        "clip-aware cross-entropy; no combined class. Correct (its ReLU gives 0 at a NaN "
        "input where torch passes the gradient: not a bug, a NaN-input position must "
        "not count).",
        CH6, unsure=("spiral network",)),
    "learners/dave_ch6_forward_only.py": _expect(
        "chapter-6 style, forward only (no backward anywhere), results in .outputs; "
        "one-hot labels cast to the predictions' dtype; a random-search loop at module "
        "level. Correct.",
        CH6, unsure=("spiral network",)),
    "learners/erin_optimizer_state.py": _expect(
        "optimizer state in a dict keyed by id(layer) instead of on the layer; "
        "update_parameters(layer); SGD_Optimizer with torch.optim-style momentum (b = "
        "m*b + g, w -= lr*b) and no decay; Optimizer_AdaGrad, Optimizer_RMSProp, "
        "Adam_Optimizer with decay written lr / (1 + decay * t); log-sum-exp combined "
        "loss. Correct.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax_Loss_CategoricalCrossentropy",
         "spiral network", "training") + OPTIMIZERS),
    "learners/frank_ch14_upper_L.py": _expect(
        "ch14-15: regularizer keywords with a capital L (weight_regularizer_L1, ...), "
        "read back by Loss.regularization_loss(layer); L1 derivative by np.sign; dropout "
        "from np.random.binomial cast to the inputs' dtype, Layer_Dropout(rate) storing "
        "the drop rate; vectorized softmax backward; the book's SGD with decay and "
        "momentum. Correct except the combined loss, which follows the book on purpose "
        "(marked in the file).",
        CH9 + ("Layer_Dense+regularizers", "Loss.regularization_loss", "Layer_Dropout",
               "Optimizer_SGD"),
        book_deviations={"Activation_Softmax_Loss_CategoricalCrossentropy": COMBINED_BOOK}),
    "learners/grace_dropout_uniform.py": _expect(
        "ch15: dropout mask drawn with np.random.random(shape) < keep; ReLU backward "
        "np.where(inputs <= 0, 0, dvalues); log-softmax combined loss; the book's Adam; "
        "np.random.seed at module level. Correct.",
        ("Layer_Dense", "Layer_Dropout", "Activation_ReLU",
         "Activation_Softmax_Loss_CategoricalCrossentropy", "Optimizer_Adam",
         "spiral network", "training")),
    "learners/heidi_ch19_model.py": _expect(
        "ch18-19 API in a learner's own words: forward(inputs, training), Layer_Input, "
        "dropout from a per-layer numpy Generator (Layer_Dropout(rate, seed=None)), "
        "remember_trainable_layers, regularization_loss() without argument, "
        "calculate(..., include_regularization=...), new_pass/calculate_accumulated, "
        "backward-only combined class, Accuracy_Categorical, her own Model; L1 by "
        "np.sign, clip-aware cross-entropy. Correct for finite inputs; but her "
        "regularization_loss() computes every term, also those whose strength is 0, "
        "so a NaN or inf in a parameter leaks into the penalty (0 * NaN is NaN) where "
        "torch (and the book, `if strength > 0`) skips the term.",
        ("Layer_Dense", "Layer_Dense+regularizers", "Layer_Dropout", "Layer_Dropout+inference",
         "Layer_Input", "Activation_ReLU", "Activation_Softmax", "Loss",
         "Loss.regularization_loss", "Loss_CategoricalCrossentropy",
         "Activation_Softmax_Loss_CategoricalCrossentropy", "Accuracy_Categorical",
         "Optimizer_Adam", "spiral network", "Model"),
        unsure=("training",),
        maybe={"Loss.regularization_loss": {"regularization_loss"}}),
    "learners/ivan_ch17_regression.py": _expect(
        "ch16-17: sigmoid via np.exp(-np.logaddexp(0, -x)), Loss_BinaryCrossEntropy "
        "(capital E) zeroing the gradient where the clip is active, Activation_Linear, "
        "MSE with np.average, MAE gradient np.sign(p - y) / outputs / samples, an "
        "Accuracy_Regression without base class; sine_data at module level. Correct.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Sigmoid", "Activation_Linear", "Loss",
         "Loss_BinaryCrossentropy", "Loss_MeanSquaredError", "Loss_MeanAbsoluteError",
         "Accuracy_Regression", "Optimizer_Adam")),
    "learners/judy_epoch_decay.py": _expect(
        "ch10-11: update_params(layer, epoch) deriving the decayed rate from the epoch "
        "passed in (0 for the first step; no pre/post_update_params, no "
        "current_learning_rate); Optimizer_RMSprop(beta=...) instead of rho; AdGrad as "
        "the Adagrad class; log-softmax combined loss. Correct.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax_Loss_CategoricalCrossentropy",
         "Optimizer_SGD", "Optimizer_Adagrad", "Optimizer_RMSprop", "spiral network")),
    "learners/kim_ch10_float64_inside.py": _expect(
        "ch10 API with the first Optimizer_SGD(learning_rate); softmax, its backward, "
        "the losses computed in float64 and cast back to the input dtype with astype; "
        "one-hot labels by np.eye; means by np.average. Correct for finite inputs, "
        "except that its cross-entropy gradient negates the labels as the book does "
        "(-y_true wraps around for unsigned (uint8) one-hot labels). And it turns "
        "class-index labels into one-hot rows and multiplies: a NaN or inf in another "
        "class's prediction (or a -inf logit) leaks into the loss and the gradient "
        "(0 * NaN and 0 * -inf are NaN) where "
        "torch, which picks the label's column, stays finite (the tool's policy: a NaN "
        "must not leak into what does not depend on it).",
        CH9 + ("Optimizer_SGD",),
        book_deviations={"Loss_CategoricalCrossentropy": {"dinputs"}},
        maybe={"Loss_CategoricalCrossentropy": {"sample_losses", "loss"},
               "Activation_Softmax_Loss_CategoricalCrossentropy": {"loss"}}),

    # ================================================================ learners, one bug each
    "learners/bug_relu_lt_zero.py": _expect(
        "BUG hidden behind a renamed class: Activation_ReLu backward zeroes only where "
        "inputs < 0, so the gradient passes at exactly 0 (torch: 0). Shows only at exact "
        "zeros, so not in the spiral network with non-zero biases (with all-zero biases "
        "the spiral's first points (0, 0) give exact zeros and it would show in "
        "relu.dinputs and dense1.dinputs; not in dense1.dbiases, where the three "
        "leaked rows cancel).",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax",
         "Activation_Softmax_Loss_CategoricalCrossentropy", "spiral network"),
        disagrees={"Activation_ReLU": {"dinputs"}}),
    "learners/bug_softmax_diagonal.py": _expect(
        "BUG: softmax backward uses only the diagonal of the Jacobian, dvalues * s * "
        "(1 - s). The spiral network uses the (correct) combined class, so it agrees.",
        CH9, disagrees={"Activation_Softmax": {"dinputs"}}),
    "learners/bug_softmax_axis0.py": _expect(
        "BUG: vectorized softmax backward sums s * dvalues over axis=0 (the batch) "
        "instead of axis=1; right for a 1-sample batch only. Gradients in .dinput.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax",
         "Activation_Softmax_Loss_CategoricalCrossentropy", "spiral network"),
        disagrees={"Activation_Softmax": {"dinputs"}}),
    "learners/bug_dbiases_mean.py": _expect(
        "BUG: Layer_Dense dbiases = np.mean(dvalues, axis=0) instead of the sum (right "
        "for a 1-sample batch only); shows in the spiral network and the training run.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax_Loss_CategoricalCrossentropy",
         "Optimizer_Adam", "spiral network", "training"),
        disagrees={"Layer_Dense": {"dbiases"},
                   "spiral network": {"dense1.dbiases", "dense2.dbiases"},
                   "training": {"loss per epoch", "accuracy per epoch",
                                "loss, free-running"}}),
    "learners/bug_dweights_swapped.py": _expect(
        "BUG behind a renamed class: DenseLayer dweights = dvalues.T @ inputs, shape "
        "(n_neurons, n_inputs) (wrong shape; transposed values for a square layer). No "
        "optimizer, so no training run.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax_Loss_CategoricalCrossentropy",
         "spiral network"),
        disagrees={"Layer_Dense": {"dweights"},
                   "spiral network": {"dense1.dweights", "dense2.dweights"}}),
    "learners/bug_cce_not_averaged.py": _expect(
        "BUG behind a renamed class: CCE_Loss backward (otherwise clip-aware) is not "
        "divided by the number of samples (right for 1 sample). The combined class "
        "Loss_CategoricalCrossentropy_Activation_Softmax is correct.",
        CH9, disagrees={"Loss_CategoricalCrossentropy": {"dinputs"}}),
    "learners/bug_mse_missing_two.py": _expect(
        "BUG: Loss_MeanSquaredError gradient -(y - p) / outputs / samples, missing the "
        "factor 2. MAE (sign(p - y)) is correct.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Linear", "Loss",
         "Loss_MeanSquaredError", "Loss_MeanAbsoluteError", "Optimizer_Adam"),
        disagrees={"Loss_MeanSquaredError": {"dinputs"}}),
    "learners/bug_rmsprop_beta_swapped.py": _expect(
        "BUG behind a renamed keyword: Optimizer_RMSprop(beta=...) updates the cache as "
        "(1 - beta) * cache + beta * g**2 (beta and 1 - beta swapped; invisible only at "
        "beta = 0.5). Adam is correct, so the training run agrees.",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax_Loss_CategoricalCrossentropy",
         "Optimizer_RMSprop", "Optimizer_Adam", "spiral network", "training"),
        disagrees={"Optimizer_RMSprop": {"update", "update+decay"}}),
    "learners/bug_adam_bias_correction.py": _expect(
        "BUG behind a renamed class: Adam_Optimizer's bias correction uses "
        "beta ** iterations instead of beta ** (iterations + 1): the first step divides "
        "by 1 - beta**0 = 0 (NaN parameters where torch's are finite).",
        ("Layer_Dense", "Activation_ReLU", "Activation_Softmax_Loss_CategoricalCrossentropy",
         "Optimizer_Adam", "spiral network", "training"),
        disagrees={"Optimizer_Adam": {"update", "update+decay"}, "training": {"loss per epoch", "accuracy per epoch",
                                "loss, free-running"}}),
    "learners/bug_dropout_unscaled.py": _expect(
        "BUG: Layer_Dropout (chapter-18 API) keeps inputs with the right probability but "
        "does not divide the survivors by 1 - rate; inference (training=False) is right.",
        ("Layer_Dropout", "Layer_Dropout+inference", "Activation_ReLU"),
        disagrees={"Layer_Dropout": {"output", "dinputs"}}),
    "learners/bug_bce_outputs.py": _expect(
        "BUG: Loss_BinaryCrossentropy backward (otherwise clip-aware) is not divided by "
        "the number of outputs (right for 1 output per sample).",
        ("Layer_Dense", "Activation_Sigmoid", "Loss", "Loss_BinaryCrossentropy"),
        disagrees={"Loss_BinaryCrossentropy": {"dinputs"}}),
    "learners/bug_l2_missing_two.py": _expect(
        "BUG: the weights' L2 gradient lacks the factor 2 (strength * w); the biases' L2 "
        "and both L1 (np.sign) are right, as is Loss.regularization_loss(layer).",
        ("Layer_Dense", "Layer_Dense+regularizers", "Loss", "Loss.regularization_loss"),
        disagrees={"Layer_Dense+regularizers": {"dweights"}}),
    "learners/bug_cce_sparse_only.py": _expect(
        "BUG that raises: Loss_CategoricalCrossentropy.forward handles only class-index "
        "labels; one-hot labels leave correct_confidences unbound (UnboundLocalError). "
        "Its backward handles both; no combined class.",
        CH6, unsure=("spiral network",),
        errors={"Loss_CategoricalCrossentropy": {"sample_losses", "loss"}}),
}
