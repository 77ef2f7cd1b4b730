"""Losses: Loss (chapter 5; accumulation in 19), categorical cross-entropy
(chapter 5, backward in 9), the combined softmax + cross-entropy (chapter 9;
backward only from chapter 18), binary cross-entropy (16), mean squared and
mean absolute error (17), and the regularization penalty (14; without argument
from chapter 18)."""
from dataclasses import replace

import numpy as np
import torch
from hypothesis import strategies as st

import reference
from .. import strategies as S
from ..binding import signature_parameters
from ..compare import Kinks
from ..records import Check
from ..session import NotApplicable, StandIn
from .common import (CLIP_HIGH, CLIP_LOW, Case, clip_bounds, f64, numpy, one_hot64,
                     softmax64, softmax_rel_error, tensor)
from .layers import DENSE, REGULARIZER_NAMES, set_parameters, strengths_of

COMBINED = "Activation_Softmax_Loss_CategoricalCrossentropy"


# ---------------------------------------------------------------- Loss (calculate, accumulation)
def given_losses(cls):
    """A subclass of the user's Loss whose forward hands back the per-sample
    losses it is given: Loss.calculate judged on its own."""
    class GivenLosses(cls):
        def forward(self, output, y, *args, **kwargs):
            return output
    text = (f"class GivenLosses({cls.__name__}):\n"
            f"    def forward(self, output, y, *args, **kwargs):\n        return output")
    return GivenLosses, text


@st.composite
def loss_cases(draw, dtype):
    n = draw(S.batch_sizes())
    losses = draw(S.array(dtype, (n,), S.reals(dtype, 0, 20)))
    # Accumulation over batches: a split into 1 to 3 batches, the last one smaller.
    cut = draw(st.integers(0, n))
    return Case(dtype, "per-sample losses", dict(sample_losses=losses, cut=np.array(cut)))


def loss_demo(rng, dtype):
    return Case(dtype, "demo", dict(sample_losses=rng.uniform(0, 3, size=5).astype(dtype),
                                    cut=np.array(3)))


def loss_run(s, c):
    def calculate():
        loss = s.make("Loss", derive=given_losses)
        s.call(loss, "new_pass", optional=True, stateful=False)
        s.call(loss, "calculate", s.arg("sample_losses"), None, returns="loss")

    def accumulated():
        loss = s.make("Loss", derive=given_losses)
        if not s.has(loss, "calculate_accumulated"):
            raise NotApplicable(f"{loss.cls_name} has no calculate_accumulated() (the book "
                                f"adds it in chapter 19)")
        cut = int(c.cut)
        losses = s.arg("sample_losses")
        s.call(loss, "new_pass")
        for batch in (losses[:cut], losses[cut:]):
            if len(batch):
                s.call(loss, "calculate", s.value(f"batch_{len(s.extra_arrays) + 1}", batch),
                       None)
        s.call(loss, "calculate_accumulated", returns="accumulated_loss")
    s.step(("loss",), calculate)
    s.step(("accumulated_loss",), accumulated)


def loss_reference(c):
    mean = numpy(torch.mean(tensor(c.sample_losses)))
    return dict(loss=mean, accumulated_loss=mean)


def loss_error_scale(c):
    losses = np.abs(np.asarray(c.sample_losses, dtype=np.float64))
    scale = (len(losses) + 2) * losses.mean() if len(losses) else 0.0
    return dict(loss=scale, accumulated_loss=2 * scale)


LOSS = Check(
    name="Loss", chapter=5, roles=("Loss",), quantities=("loss", "accumulated_loss"),
    cases=loss_cases, demo=loss_demo, run=loss_run, reference=loss_reference,
    error_scale=loss_error_scale, arguments=("sample_losses",), poison=False)


# ---------------------------------------------------------------- losses of predictions
def prediction_loss_run(role):
    """forward(y_pred, y_true) (per-sample losses), calculate(y_pred, y_true) (the
    mean) and backward(y_pred, y_true) (book API: the loss's backward takes the
    predictions as dvalues), each on its own instance, so none hides another."""
    def run(s, c):
        def forward():
            loss = s.make(role)
            s.call(loss, "forward", s.arg("y_pred"), s.arg("y_true"), returns="sample_losses")

        def calculate():
            loss = s.make(role)
            s.call(loss, "new_pass", optional=True, stateful=False)    # chapter 19+
            s.call(loss, "calculate", s.arg("y_pred"), s.arg("y_true"), returns="loss")

        def backward():
            loss = s.make(role)
            s.call(loss, "backward", s.arg("y_pred"), s.arg("y_true"), produces=("dinputs",))
        s.step(("sample_losses",), forward)
        s.step(("loss",), calculate)
        s.step(("dinputs",), backward)
    return run


def loss_reference_for(samples, mean):
    """The torch side of a loss: per-sample losses, their mean, and d(mean)/d(y_pred)."""
    def run_reference(c):
        p = tensor(c.y_pred, True)
        y = tensor(c.y_true)
        with torch.no_grad():
            per_sample = numpy(samples(p, y))
        loss = mean(p, y)
        loss.backward()
        return dict(sample_losses=per_sample, loss=numpy(loss), dinputs=numpy(p.grad))
    return run_reference


def clip_active(c):
    """Where the clip of the predictions is active (at or beyond its bounds)."""
    low, high = clip_bounds(c.dtype)
    p = np.asarray(c.y_pred)
    with np.errstate(invalid="ignore"):
        return dict(dinputs=(p <= low) | (p >= high))


def clip_taken_exactly(run_reference, error_scale):
    """Another legitimate answer in float32: 1e-7 and 1 - 1e-7 are not float32
    numbers. torch (and the book, with float32 arrays) clips to their float32
    roundings (1 - 1e-7 becomes 1 - 1.19e-7); code that clips in float64 and
    casts back clips to the exact bounds. Both are correct, and they differ only
    where a prediction is at or beyond a bound: there, accept torch's answer for
    float64 predictions, cast to float32."""
    def alternatives(c):
        if np.dtype(c.dtype) != np.float32 or not clip_active(c)["dinputs"].any():
            return {}
        wide = replace(c, dtype=np.float64,
                       arrays={**c.arrays, "y_pred": np.asarray(c.y_pred, np.float64)})
        scales = error_scale(c)
        rule = "the clip bounds taken exactly (clipped in float64, cast back to float32)"
        return {q: [(rule, np.asarray(v).astype(np.float32), scales[q])]
                for q, v in run_reference(wide).items()}
    return alternatives


def other_loss_forms(run_reference, error_scale, per_output=None, output_scale=None):
    """Other legitimate things for forward() to return, when its value is not the
    book's per-sample losses: the mean loss itself (forward returns what
    calculate() would), or the per-output losses (their mean over the outputs is
    the per-sample loss; the learner's calculate() averages them all)."""
    def alternatives(c):
        theirs = run_reference(c)
        scales = error_scale(c)
        forms = [("a forward() that returns the mean loss (the book's returns the "
                  "per-sample losses)", theirs["loss"], scales["loss"])]
        if per_output is not None:
            with torch.no_grad():
                values = numpy(per_output(tensor(c.y_pred), tensor(c.y_true)))
            forms.append(("a forward() that returns the loss of every output (the book's "
                          "averages them per sample)", values, output_scale(c)))
        return {"sample_losses": forms}
    return alternatives


def either(*makers):
    """Several alternatives functions as one."""
    def alternatives(c):
        merged = {}
        for make in makers:
            for quantity, forms in make(c).items():
                merged.setdefault(quantity, []).extend(forms)
        return merged
    return alternatives


# ---------------------------------------------------------------- Loss_CategoricalCrossentropy
@st.composite
def cce_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths(minimum=2))
    regime, y_pred = draw(S.probabilities(dtype, (n, k)))
    label_kind, y_true = draw(S.labels(n, k))
    return Case(dtype, f"{regime}, {label_kind} labels", dict(y_pred=y_pred, y_true=y_true))


def cce_demo(rng, dtype):
    z = rng.normal(size=(4, 3))
    y_pred = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    y_pred[1] = [1.0, 0.0, 0.0]                   # the clip regime: log(0) without it
    return Case(dtype, "demo", dict(y_pred=y_pred.astype(dtype),
                                    y_true=np.array([0, 1, 2, 1])))


def cce_error_scale(c):
    p, = f64(c.y_pred)
    n, k = p.shape
    y = one_hot64(c.y_true, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        correct = np.sum(np.clip(p, CLIP_LOW, CLIP_HIGH) * y, axis=1, keepdims=True)
        per_sample = 3 * np.abs(np.log(correct[:, 0]))
        # log rounds once; the mean of n terms adds n roundings of their size.
        loss = (n + 3) * np.mean(np.abs(np.log(correct)))
        return dict(sample_losses=per_sample + 3, loss=loss, dinputs=4 * y / correct / n)


def cce_m3(case, variable, step):
    # F = -(1/N) log clip(p) at the correct class: F''' = -2 / (N p^3), largest at
    # the window's low end; the clip keeps p >= CLIP_LOW (and is flat beyond it).
    p = np.asarray(case.y_pred, np.float64)
    n, k = p.shape
    low = np.maximum(p - step, CLIP_LOW)
    return 2 * one_hot64(case.y_true, k) / (n * low ** 3)


def cce_relations(c):
    """A cross-entropy class whose backward is the combined class's gradient,
    (p - one_hot) / N: it differentiates with respect to the logits."""
    p, = f64(c.y_pred)
    n, k = p.shape
    return {"dinputs": [(
        "is (predictions - one_hot) / N, the gradient of softmax and cross-entropy together "
        "with respect to the logits: this class is the combined one (declare it: --bind "
        "Activation_Softmax_Loss_CategoricalCrossentropy=YOUR_CLASS)",
        (p - one_hot64(c.y_true, k)) / n)]}


CCE_REFERENCE = loss_reference_for(reference.loss_categorical_crossentropy_samples,
                                   reference.loss_categorical_crossentropy)
LOSS_CCE = Check(
    name="Loss_CategoricalCrossentropy", chapter=5, roles=("Loss_CategoricalCrossentropy",),
    quantities=("sample_losses", "loss", "dinputs"), cases=cce_cases, demo=cce_demo,
    run=prediction_loss_run("Loss_CategoricalCrossentropy"),
    reference=CCE_REFERENCE, error_scale=cce_error_scale, arguments=("y_pred", "y_true"),
    gradients=dict(dinputs="y_pred"), clipped=clip_active, relations=cce_relations,
    alternatives=either(clip_taken_exactly(CCE_REFERENCE, cce_error_scale),
                        other_loss_forms(CCE_REFERENCE, cce_error_scale)),
    third_derivative=cce_m3)


# ---------------------------------------------------------------- combined softmax + loss
@st.composite
def combined_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths(minimum=2))
    regime, inputs = draw(S.logits(dtype, (n, k)))
    label_kind, y_true = draw(S.labels(n, k))
    return Case(dtype, f"{regime}, {label_kind} labels", dict(inputs=inputs, y_true=y_true))


def combined_demo(rng, dtype):
    inputs = rng.normal(size=(4, 3)).astype(dtype)
    inputs[2] *= 1000                             # extreme logits: the loss must stay finite
    return Case(dtype, "demo", dict(inputs=inputs, y_true=np.array([0, 1, 2, 1])))


def torch_softmax(x):
    return numpy(reference.activation_softmax(tensor(x)))


def combined_run(s, c):
    """forward(inputs, y_true) -> (output, loss); backward(softmax, y_true) ->
    dinputs, given torch's softmax (the book passes the layer's own output,
    which equals it when forward is right) so that a wrong forward cannot spoil
    the backward's verdict. The chapter 18+ class has only backward."""
    def forward():
        obj = s.make(COMBINED)
        if not s.has(obj, "forward"):
            raise NotApplicable(f"{obj.cls_name} has only backward() (as the book's chapter "
                                f"18+ class: the model runs Activation_Softmax and the loss)")
        s.call(obj, "forward", s.arg("inputs"), s.arg("y_true"), training=True,
               returns="loss", produces=("output",))

    def backward():
        mark = len(s.transcript)
        obj = s.make(COMBINED, var="loss_activation")
        # some backward passes use what forward kept; a forward that raises is
        # judged above, and the backward is still tried on a fresh object
        if s.has(obj, "forward") and not s.attempt(obj, "forward", s.arg("inputs"),
                                                   s.arg("y_true"), training=True):
            del s.transcript[mark:]
            obj = s.make(COMBINED, var="loss_activation")
        softmax = s.value("softmax", torch_softmax(c.inputs), watch=True)
        s.call(obj, "backward", softmax, s.arg("y_true"), produces=("dinputs",))
    s.step(("output", "loss"), forward)
    s.step(("dinputs",), backward)


def combined_reference(c):
    x = tensor(c.inputs, True)
    softmax, loss = reference.activation_softmax_loss_categorical_crossentropy(
        x, tensor(c.y_true))
    loss.backward()
    return dict(output=numpy(softmax), loss=numpy(loss), dinputs=numpy(x.grad))


def combined_error_scale(c):
    x, = f64(c.inputs)
    n, k = x.shape
    s, rel = softmax_rel_error(x)
    _, d = softmax64(x)
    y = one_hot64(c.y_true, k)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        lse = np.log(np.sum(np.exp(d), axis=1))
        # loss_i = log(sum exp(x - max)) - (x_y - max): the subtraction rounds at the
        # size of |x|, the log-sum at the size of K; the mean adds n roundings.
        terms = np.abs(x * y).sum(axis=1) + np.abs(x.max(axis=1)) + (k + 3) * (1 + lse)
        per_sample = lse - (d * y).sum(axis=1)
        loss = terms.mean() + (n + 1) * np.abs(per_sample).mean()
        dinputs = (s * (rel + lse[:, None]) + np.abs(s - y)) / n
    return dict(output=s * rel, loss=loss, dinputs=dinputs)


def combined_m3(case, variable, step):
    # F = (1/N) sum_i (logsumexp(x_i) - x_i,y): along one logit the derivative of
    # logsumexp is sigma(x - c), so F''' = sigma'' / N with |sigma''| <= 1/sqrt(108).
    x = np.asarray(case.inputs, np.float64)
    n, k = x.shape
    return np.broadcast_to(one_hot64(case.y_true, k).sum(axis=1, keepdims=True)
                           / np.sqrt(108) / n, x.shape)


COMBINED_CHECK = Check(
    name=COMBINED, chapter=9, roles=(COMBINED,), quantities=("output", "loss", "dinputs"),
    cases=combined_cases, demo=combined_demo, run=combined_run, reference=combined_reference,
    error_scale=combined_error_scale, arguments=("inputs", "y_true"),
    gradients=dict(dinputs="inputs"), third_derivative=combined_m3)


# ---------------------------------------------------------------- Loss_BinaryCrossentropy
@st.composite
def bce_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, y_pred = draw(S.binary_predictions(dtype, (n, k)))
    kind, y_true = draw(S.binary_targets(dtype, (n, k)))
    return Case(dtype, f"{regime}, {kind}", dict(y_pred=y_pred, y_true=y_true))


def bce_demo(rng, dtype):
    y_pred = 1 / (1 + np.exp(-rng.normal(size=(4, 2))))
    y_pred[1] = [0.0, 1.0]                         # the clip regime: log(0) without it
    y_pred[2, 0] = CLIP_LOW                        # at the bound: the gradient passes
    return Case(dtype, "demo", dict(y_pred=y_pred.astype(dtype),
                                    y_true=np.array([[1, 0], [1, 0], [1, 1], [0, 1]])))


def bce_error_scale(c):
    p, y = f64(c.y_pred, c.y_true)
    n, k = p.shape
    low, high = clip_bounds(c.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        clipped = np.clip(p, low, high)
        # Per output: two logs, 1 - y, 1 - c (relative to 1 - c: log(1 - c) is then
        # off by at most ~eps absolutely, hence the + 1), two products and a sum.
        size = np.abs(y) * (np.abs(np.log(clipped)) + 1) \
            + np.abs(1 - y) * (np.abs(np.log1p(-clipped)) + 1)
        # The two means add k and n roundings of the size of their terms.
        per_sample = (k + 6) * size.mean(axis=1)
        loss = (k + n + 6) * size.mean()
        # -(y / c - (1 - y) / (1 - c)) / k / n: two quotients, 1 - y, 1 - c, the
        # difference and two divisions; it cancels, so it is bounded by its terms.
        dinputs = 8 * (np.abs(y) / clipped + np.abs(1 - y) / (1 - clipped)) / (k * n)
    return dict(sample_losses=per_sample, loss=loss, dinputs=dinputs)


def bce_output_scale(c):
    """The per-output part of bce_error_scale: two logs, 1 - y, 1 - c, two
    products and a sum, each rounding of the size of the terms."""
    p, y = f64(c.y_pred, c.y_true)
    low, high = clip_bounds(c.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        clipped = np.clip(p, low, high)
        return 6 * (np.abs(y) * (np.abs(np.log(clipped)) + 1)
                    + np.abs(1 - y) * (np.abs(np.log1p(-clipped)) + 1))


def bce_m3(case, variable, step):
    # F = -(1/(N K)) sum (y log c + (1 - y) log(1 - c)), c = clip(p):
    # |F'''| = (2/(N K)) (|y| / c^3 + |1 - y| / (1 - c)^3), largest at the window's ends.
    p = np.asarray(case.y_pred, np.float64)
    y = np.asarray(case.y_true, np.float64)
    low = np.maximum(p - step, CLIP_LOW)
    high = np.minimum(p + step, CLIP_HIGH)
    return 2 * (np.abs(y) / low ** 3 + np.abs(1 - y) / (1 - high) ** 3) / p.size


BCE_REFERENCE = loss_reference_for(reference.loss_binary_crossentropy_samples,
                                   reference.loss_binary_crossentropy)
LOSS_BCE = Check(
    name="Loss_BinaryCrossentropy", chapter=16, roles=("Loss_BinaryCrossentropy",),
    quantities=("sample_losses", "loss", "dinputs"), cases=bce_cases, demo=bce_demo,
    run=prediction_loss_run("Loss_BinaryCrossentropy"),
    reference=BCE_REFERENCE, error_scale=bce_error_scale, arguments=("y_pred", "y_true"),
    gradients=dict(dinputs="y_pred"), clipped=clip_active,
    alternatives=either(clip_taken_exactly(BCE_REFERENCE, bce_error_scale),
                        other_loss_forms(BCE_REFERENCE, bce_error_scale,
                                         reference.loss_binary_crossentropy_outputs,
                                         bce_output_scale)),
    third_derivative=bce_m3)


# ---------------------------------------------------------------- MSE, MAE
@st.composite
def regression_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, y_pred, y_true = draw(S.regression_pairs(dtype, (n, k)))
    return Case(dtype, regime, dict(y_pred=y_pred, y_true=y_true))


def regression_demo(rng, dtype):
    y_pred = rng.normal(size=(4, 2)).astype(dtype)
    y_true = rng.normal(size=(4, 2)).astype(dtype)
    y_true[1, 1] = y_pred[1, 1]                    # a perfect prediction: |y - p| has a kink
    return Case(dtype, "demo", dict(y_pred=y_pred, y_true=y_true))


def mse_error_scale(c):
    p, y = f64(c.y_pred, c.y_true)
    n, k = p.shape
    with np.errstate(invalid="ignore", over="ignore"):
        d = np.abs(y - p)
        # (y - p)^2: the difference rounds once (twice in its square), the square
        # once; the two means add k and n roundings.
        per_sample = (k + 6) * np.mean(d * d, axis=-1)
        loss = (k + n + 6) * np.mean(d * d)
    # -2 (y - p) / k / n: the difference and the two divisions (torch: 1/(k n)
    # times 2 (y - p)), a few roundings of the result.
    return dict(sample_losses=per_sample, loss=loss, dinputs=8 * 2 * d / (k * n))


def mae_error_scale(c):
    p, y = f64(c.y_pred, c.y_true)
    n, k = p.shape
    # sign(p - y) is exact (the difference of two floats is 0 only when they are
    # equal); only the divisions by k and n round.
    with np.errstate(invalid="ignore"):
        d = np.abs(y - p)
        return dict(sample_losses=(k + 4) * np.mean(d, axis=-1), loss=(k + n + 4) * np.mean(d),
                    dinputs=np.full(p.shape, 4.0 / (k * n)))


def mae_kinks(c):
    """|y - p| has a kink where p == y: any value in [-1, 1] / (N K) is a subgradient."""
    p = np.asarray(c.y_pred)
    n, k = p.shape
    step = np.full(p.shape, 1.0 / (n * k))
    with np.errstate(invalid="ignore"):
        return dict(dinputs=Kinks(mask=p == np.asarray(c.y_true, p.dtype), low=-step, high=step))


MSE_REFERENCE = loss_reference_for(reference.loss_mean_squared_error_samples,
                                   reference.loss_mean_squared_error)
MAE_REFERENCE = loss_reference_for(reference.loss_mean_absolute_error_samples,
                                   reference.loss_mean_absolute_error)


def elementwise_scale(c):
    # (y - p) and its square or absolute value: two roundings of the result's size
    with np.errstate(invalid="ignore"):
        return 3 * np.abs(f64(c.y_true)[0] - f64(c.y_pred)[0]) ** 2 + 3 * np.abs(
            f64(c.y_true)[0] - f64(c.y_pred)[0])


LOSS_MSE = Check(
    name="Loss_MeanSquaredError", chapter=17, roles=("Loss_MeanSquaredError",),
    quantities=("sample_losses", "loss", "dinputs"), cases=regression_cases,
    demo=regression_demo, run=prediction_loss_run("Loss_MeanSquaredError"),
    reference=MSE_REFERENCE, error_scale=mse_error_scale, arguments=("y_pred", "y_true"),
    alternatives=other_loss_forms(MSE_REFERENCE, mse_error_scale,
                                  reference.loss_mean_squared_error_outputs, elementwise_scale),
    gradients=dict(dinputs="y_pred"),
    third_derivative=lambda case, variable, step: 0.0)   # quadratic

LOSS_MAE = Check(
    name="Loss_MeanAbsoluteError", chapter=17, roles=("Loss_MeanAbsoluteError",),
    quantities=("sample_losses", "loss", "dinputs"), cases=regression_cases,
    demo=regression_demo, run=prediction_loss_run("Loss_MeanAbsoluteError"),
    reference=MAE_REFERENCE, error_scale=mae_error_scale, arguments=("y_pred", "y_true"),
    alternatives=other_loss_forms(MAE_REFERENCE, mae_error_scale,
                                  reference.loss_mean_absolute_error_outputs, elementwise_scale),
    gradients=dict(dinputs="y_pred"), kinks=mae_kinks,
    third_derivative=lambda case, variable, step: 0.0)   # linear off the kink


# ---------------------------------------------------------------- Loss.regularization_loss
@st.composite
def regularization_loss_cases(draw, dtype):
    n_in, n_out = draw(S.widths()), draw(S.widths())
    parameters, weights, biases = draw(S.dense_parameters(dtype, n_in, n_out))
    strength, regularizers = draw(S.regularizers())
    return Case(dtype, f"{parameters}, regularizers {strength}",
                dict(weights=weights, biases=biases, regularizers=regularizers))


def regularization_loss_demo(rng, dtype):
    return Case(dtype, "demo", dict(weights=rng.normal(size=(3, 2)).astype(dtype),
                                    biases=rng.normal(size=(1, 2)).astype(dtype),
                                    regularizers=np.array([5e-4, 5e-4, 0.0, 5e-4])))


class BookLayer(StandIn):
    """The attributes of a regularized Layer_Dense that regularization_loss reads
    (book names), for a file with a Loss but no regularized Layer_Dense."""

    def __init__(self, weights, biases, strengths):
        self.weights, self.biases = weights, biases
        for name, value in strengths.items():
            setattr(self, name, value)


def _regularized_layer(s, c):
    """The user's own Layer_Dense with these strengths, when it takes them (so
    their attribute names are the ones their Loss reads); otherwise BookLayer."""
    dense = s.binder.find(DENSE)
    if dense is not None and all(s.binder.keyword(dense.obj, DENSE, n) is not None
                                 for n in REGULARIZER_NAMES):
        layer = s.make(DENSE, *c.weights.shape, settings=strengths_of(c))
        set_parameters(s, layer, s.arg("weights"), s.arg("biases"))
        return layer
    s.transcript.append("layer = BookLayer(weights, biases, strengths)  # book attribute names")
    return s.wrap(DENSE, BookLayer(s.arg("weights"), s.arg("biases"), strengths_of(c)), "layer")


def regularization_loss_run(s, c):
    loss = s.make("Loss")
    name = s.binder.method(loss.obj, "Loss", "regularization_loss")
    if name is None:
        raise NotApplicable(f"{loss.cls_name} has no regularization_loss() (the book adds it "
                            f"in chapter 14)")
    layer = _regularized_layer(s, c)
    parameters = signature_parameters(getattr(loss.obj, name)) or {}
    takes_layer = any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                      for p in parameters.values())     # chapter 14's (layer)
    if takes_layer:                                   # chapter 14: regularization_loss(layer)
        s.call(loss, "regularization_loss", layer, returns="regularization_loss")
        return
    if not s.has(loss, "remember_trainable_layers"):  # chapter 18: the remembered layers
        raise NotApplicable(f"{loss.cls_name}.regularization_loss() takes no layer and "
                            f"{loss.cls_name} has no remember_trainable_layers()")
    s.call(loss, "remember_trainable_layers", [layer])
    s.call(loss, "regularization_loss", returns="regularization_loss")


def regularization_loss_reference(c):
    penalty = reference.regularization_loss(tensor(c.weights), tensor(c.biases),
                                            **strengths_of(c))
    return dict(regularization_loss=numpy(penalty))


def regularization_loss_error_scale(c):
    w, b = f64(c.weights, c.biases)
    l1w, l2w, l1b, l2b = (float(s) for s in c.regularizers)
    # Each sum of m terms is within ~m eps of its size; the products by the
    # strengths and the three additions round a few times more.
    with np.errstate(invalid="ignore", over="ignore"):
        weight_part = l1w * np.abs(w).sum() + l2w * (w * w).sum()
        bias_part = l1b * np.abs(b).sum() + l2b * (b * b).sum()
        total = (w.size + 6) * weight_part + (b.size + 6) * bias_part
    return dict(regularization_loss=total)


REGULARIZATION_LOSS = Check(
    name="Loss.regularization_loss", chapter=14, roles=("Loss",),
    quantities=("regularization_loss",), cases=regularization_loss_cases,
    demo=regularization_loss_demo, run=regularization_loss_run,
    reference=regularization_loss_reference, error_scale=regularization_loss_error_scale,
    arguments=("weights", "biases"))

CHECKS = (LOSS, LOSS_CCE, COMBINED_CHECK, LOSS_BCE, LOSS_MSE, LOSS_MAE, REGULARIZATION_LOSS)
