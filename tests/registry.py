"""The registry: one declarative record per component (in the spirit of PyTorch's
OpInfo). A record says which book class it checks, how to draw its inputs, how
to run the implementation under test, how to run the torch reference (gradients
from autograd), which quantities to compare, and how large the rounding error
of each quantity may be (see tests/tolerances.py).

The generic properties in tests/test_components.py loop over REGISTRY; adding a
component means adding one record here.
"""
import inspect
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import numpy as np
import torch
from hypothesis import strategies as st

import reference
from . import strategies as S
from .strategies import Case


@dataclass(frozen=True)
class Component:
    name: str                 # the book's class name, as shown to the learner
    class_names: tuple        # names the implementation may use for it
    quantities: tuple         # what is compared: output, loss, dweights, ...
    cases: Callable           # dtype -> strategy of Case
    run: Callable             # (cls, Case) -> {quantity: value}; the implementation
    reference: Callable       # Case -> {quantity: ndarray}; torch autograd
    error_scale: Callable     # Case -> {quantity: bound on rounding error, in eps}
    arguments: tuple          # the Case arrays the implementation receives
    demo: Callable            # (numpy Generator, dtype) -> a small readable Case


def call_forward(obj, *args):
    """Call forward with the book's signature; later chapters add `training`."""
    try:
        parameters = inspect.signature(obj.forward).parameters
    except (TypeError, ValueError):
        parameters = {}
    if "training" in parameters:
        return obj.forward(*args, training=True)
    return obj.forward(*args)


def tensor(array, grad=False):
    t = torch.from_numpy(np.array(array, copy=True))
    return t.requires_grad_(grad)


def numpy(t):
    return t.detach().numpy().copy()


def f64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def softmax64(x):
    """Exact-enough softmax and shifted logits in float64, for error bounds."""
    d = np.asarray(x, dtype=np.float64)
    d = d - d.max(axis=1, keepdims=True)
    e = np.exp(d)
    return e / e.sum(axis=1, keepdims=True), d


def softmax_rel_error(x):
    """Bound (in eps) on the relative rounding error of each softmax element.

    exp(x_i - max) amplifies the rounding of the subtraction by |x_i - max|; the
    row sum adds K roundings, exp and the division a few more.
    """
    s, d = softmax64(x)
    k = d.shape[1]
    return s, np.abs(d) + np.sum(s * np.abs(d), axis=1, keepdims=True) + k + 4


def one_hot64(y_true, n_classes):
    y = np.asarray(y_true)
    return np.eye(n_classes)[y] if y.ndim == 1 else y.astype(np.float64)


# ------------------------------------------------------------------ Layer_Dense
@st.composite
def dense_cases(draw, dtype):
    n, n_in, n_out = draw(S.batch_sizes()), draw(S.widths()), draw(S.widths())
    regime, inputs = draw(S.real_batch(dtype, (n, n_in)))
    weights = draw(S.nonzero_array(dtype, (n_in, n_out)))
    biases = draw(S.nonzero_array(dtype, (1, n_out)))
    _, dvalues = draw(S.real_batch(dtype, (n, n_out)))
    return Case(dtype, regime, dict(inputs=inputs, weights=weights, biases=biases,
                                    dvalues=dvalues))


def dense_demo(rng, dtype):
    return Case(dtype, "demo", dict(
        inputs=rng.normal(size=(4, 3)).astype(dtype),
        weights=rng.normal(size=(3, 2)).astype(dtype),
        biases=rng.normal(size=(1, 2)).astype(dtype),
        dvalues=rng.normal(size=(4, 2)).astype(dtype)))


def dense_run(cls, c):
    layer = cls(*c.weights.shape)
    layer.weights, layer.biases = c.weights, c.biases
    call_forward(layer, c.inputs)
    output = getattr(layer, "output", None)
    layer.backward(c.dvalues)
    return dict(output=output, dweights=getattr(layer, "dweights", None),
                dbiases=getattr(layer, "dbiases", None), dinputs=getattr(layer, "dinputs", None))


def dense_reference(c):
    x, w, b = tensor(c.inputs, True), tensor(c.weights, True), tensor(c.biases, True)
    out = reference.layer_dense(x, w, b)
    out.backward(tensor(c.dvalues))
    return dict(output=numpy(out), dweights=numpy(w.grad), dbiases=numpy(b.grad),
                dinputs=numpy(x.grad))


def dense_error_scale(c):
    # A dot product of k terms is within (k + 1) eps/2 * sum|terms| of exact.
    x, w, b, g = [np.abs(a) for a in f64(c.inputs, c.weights, c.biases, c.dvalues)]
    n, n_in = x.shape
    n_out = w.shape[1]
    return dict(output=(n_in + 2) * (x @ w + b), dweights=(n + 1) * (x.T @ g),
                dbiases=(n + 1) * g.sum(axis=0, keepdims=True), dinputs=(n_out + 1) * (g @ w.T))


# ------------------------------------------------------------------ Activation_ReLU
@st.composite
def relu_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, inputs = draw(S.real_batch(dtype, (n, k)))
    # Non-zero upstream gradients: a gradient let through at x == 0 must show.
    dvalues = draw(S.nonzero_array(dtype, (n, k)))
    return Case(dtype, regime, dict(inputs=inputs, dvalues=dvalues))


def relu_demo(rng, dtype):
    inputs = rng.normal(size=(4, 3)).astype(dtype)
    inputs[0, 0] = inputs[2, 1] = 0.0          # the kink, where torch's gradient is 0
    return Case(dtype, "demo", dict(inputs=inputs,
                                    dvalues=rng.normal(size=(4, 3)).astype(dtype)))


def activation_run(cls, c):
    """Any activation: forward(inputs), then backward(dvalues)."""
    act = cls()
    call_forward(act, c.inputs)
    output = getattr(act, "output", None)
    act.backward(c.dvalues)
    return dict(output=output, dinputs=getattr(act, "dinputs", None))


def activation_reference(torch_function):
    """The torch side of an activation: output, and dinputs by autograd."""
    def run(c):
        x = tensor(c.inputs, True)
        out = torch_function(x)
        out.backward(tensor(c.dvalues))
        return dict(output=numpy(out), dinputs=numpy(x.grad))
    return run


def relu_error_scale(c):
    # max(0, x) and masking involve no rounding: ReLU must agree bit for bit.
    return dict(output=0.0, dinputs=0.0)


# ------------------------------------------------------------------ Activation_Softmax
@st.composite
def softmax_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, inputs = draw(S.logits(dtype, (n, k)))
    _, dvalues = draw(S.real_batch(dtype, (n, k)))
    return Case(dtype, regime, dict(inputs=inputs, dvalues=dvalues))


def softmax_demo(rng, dtype):
    inputs = rng.normal(size=(4, 3)).astype(dtype)
    inputs[3] += 1000                             # exp would overflow without the max shift
    return Case(dtype, "demo", dict(inputs=inputs,
                                    dvalues=rng.normal(size=(4, 3)).astype(dtype)))


def softmax_error_scale(c):
    s, rel = softmax_rel_error(c.inputs)
    g = np.abs(np.asarray(c.dvalues, dtype=np.float64))
    k = s.shape[1]
    # dinputs_i = s_i * (g_i - sum_j s_j g_j): the sum and s itself both round.
    spread = s * (g + np.sum(s * g, axis=1, keepdims=True))
    return dict(output=s * rel, dinputs=spread * (rel + k + 2))


# ------------------------------------------------------------------ Loss
@st.composite
def loss_cases(draw, dtype):
    n = draw(S.batch_sizes())
    losses = draw(S.array(dtype, (n,), S.reals(dtype, 0, 20)))
    return Case(dtype, "per-sample losses", dict(sample_losses=losses))


def loss_demo(rng, dtype):
    return Case(dtype, "demo", dict(sample_losses=rng.uniform(0, 3, size=4).astype(dtype)))


def loss_run(cls, c):
    class _Given(cls):
        # Loss.calculate under test; forward just hands back the drawn losses.
        def forward(self, output, y):
            return output
    return dict(loss=_Given().calculate(c.sample_losses, None))


def loss_reference(c):
    return dict(loss=numpy(torch.mean(tensor(c.sample_losses))))


def loss_error_scale(c):
    losses = np.abs(np.asarray(c.sample_losses, dtype=np.float64))
    return dict(loss=(len(losses) + 2) * losses.mean())


# ------------------------------------------------------------------ Loss_CategoricalCrossentropy
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


def prediction_loss_run(cls, c):
    """Any loss: calculate(y_pred, y_true), then backward(y_pred, y_true) (book API:
    the loss's backward takes the predictions as its dvalues)."""
    loss_fn = cls()
    loss = loss_fn.calculate(c.y_pred, c.y_true)
    loss_fn.backward(c.y_pred, c.y_true)
    return dict(loss=loss, dinputs=getattr(loss_fn, "dinputs", None))


def loss_reference_for(torch_loss):
    """The torch side of a loss: its mean, and d(mean)/d(y_pred) by autograd."""
    def run_reference(c):
        p = tensor(c.y_pred, True)
        loss = torch_loss(p, tensor(c.y_true))
        loss.backward()
        return dict(loss=numpy(loss), dinputs=numpy(p.grad))
    return run_reference


def cce_error_scale(c):
    p, = f64(c.y_pred)
    n, k = p.shape
    y = one_hot64(c.y_true, k)
    correct = np.sum(np.clip(p, S.CLIP_LOW, S.CLIP_HIGH) * y, axis=1, keepdims=True)
    # log rounds once; the mean of n terms adds n roundings of their size.
    loss = (n + 3) * np.mean(np.abs(np.log(correct)))
    return dict(loss=loss, dinputs=4 * y / correct / n)


# ------------------------------------------------------------------ combined softmax + loss
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


def combined_run(cls, c):
    obj = cls()
    loss = call_forward(obj, c.inputs, c.y_true)
    output = getattr(obj, "output", None)
    softmax = np.array(output, copy=True)
    # As in the book: the backward pass starts from the layer's own softmax output.
    obj.backward(output, c.y_true)
    if output is not None and not np.array_equal(softmax, output, equal_nan=True):
        raise AssertionError(f"{cls.__name__}.backward(dvalues, y_true) changed dvalues, the "
                             f"layer's own .output, in place: after backward .output no longer "
                             f"holds the softmax (copy dvalues before writing)")
    return dict(output=softmax, loss=loss, dinputs=getattr(obj, "dinputs", None))


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
    lse = np.log(np.sum(np.exp(d), axis=1))
    # loss_i = log(sum exp(x - max)) - (x_y - max): the subtraction rounds at the
    # size of |x|, the log-sum at the size of K; the mean adds n roundings.
    terms = np.abs(x * y).sum(axis=1) + np.abs(x.max(axis=1)) + (k + 3) * (1 + lse)
    per_sample = lse - (d * y).sum(axis=1)
    loss = terms.mean() + (n + 1) * np.abs(per_sample).mean()
    dinputs = (s * (rel + lse[:, None]) + np.abs(s - y)) / n
    return dict(output=s * rel, loss=loss, dinputs=dinputs)


# ================================================================== later chapters
def parameter_names(callable_):
    try:
        return inspect.signature(callable_).parameters
    except (TypeError, ValueError):
        return {}


class ClassNames(tuple):
    """A record's class names, with the feature of a later chapter the class must
    have for the record to apply. Implementation.find (tests/impl_loader.py) treats
    a class without it as missing, so a chapter-9 file is skipped, not failed."""

    def __new__(cls, names, supports, feature):
        self = super().__new__(cls, names)
        self.supports, self.feature = supports, feature
        return self

    def __reduce__(self):        # copy and pickle like any tuple, with the extras
        return (ClassNames, (tuple(self), self.supports, self.feature))


@dataclass(frozen=True)
class Takes:
    """supports-test: the class's `method` accepts every one of `names`."""
    method: str
    names: tuple

    def __call__(self, cls):
        method = cls if self.method == "__init__" else getattr(cls, self.method, None)
        found = parameter_names(method)
        return all(name in found for name in self.names)


@dataclass(frozen=True)
class HasMethod:
    """supports-test: the class has a method called `name`."""
    name: str

    def __call__(self, cls):
        return callable(getattr(cls, self.name, None))


def sigmoid64(x):
    """sigma(x) in float64, without overflow, for error bounds."""
    x = np.asarray(x, dtype=np.float64)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def clip_bounds(dtype):
    return np.dtype(dtype).type(S.CLIP_LOW), np.dtype(dtype).type(S.CLIP_HIGH)


# ------------------------------------------------------------------ Activation_Sigmoid
@st.composite
def sigmoid_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, inputs = draw(S.sigmoid_inputs(dtype, (n, k)))
    # Non-zero upstream gradients: a wrong derivative can never hide behind a 0.
    dvalues = draw(S.nonzero_array(dtype, (n, k)))
    return Case(dtype, regime, dict(inputs=inputs, dvalues=dvalues))


def sigmoid_demo(rng, dtype):
    inputs = rng.normal(size=(4, 3)).astype(dtype)
    inputs[1] = [-800.0, 0.0, 40.0]               # saturation: exp(800) overflows
    return Case(dtype, "demo", dict(inputs=inputs,
                                    dvalues=rng.normal(size=(4, 3)).astype(dtype)))


def sigmoid_error_scale(c):
    # sigma = 1 / (1 + exp(-x)): exp, the sum and the division each round once
    # (NumPy's and torch's exp are within a few ulp), so sigma is within ~4 eps
    # relative on either side: 8 for the difference.
    y = sigmoid64(c.inputs)
    g = np.abs(np.asarray(c.dvalues, dtype=np.float64))
    # dinputs = g * (1 - y) * y. An ulp of difference in y moves it by g * ulp(y)
    # (when y ~ 1, 1 - y is tiny and that ulp is all of it); 3 more roundings.
    return dict(output=8 * y, dinputs=g * (8 * y + 4 * y * (1 - y)))


# ------------------------------------------------------------------ Activation_Linear
@st.composite
def linear_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, inputs = draw(S.real_batch(dtype, (n, k)))
    _, dvalues = draw(S.real_batch(dtype, (n, k)))
    return Case(dtype, regime, dict(inputs=inputs, dvalues=dvalues))


def linear_demo(rng, dtype):
    return Case(dtype, "demo", dict(inputs=rng.normal(size=(4, 3)).astype(dtype),
                                    dvalues=rng.normal(size=(4, 3)).astype(dtype)))


def linear_error_scale(c):
    # The identity computes nothing: it must agree bit for bit.
    return dict(output=0.0, dinputs=0.0)


# ------------------------------------------------------------------ Loss_BinaryCrossentropy
@st.composite
def bce_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, y_pred = draw(S.binary_predictions(dtype, (n, k)))
    kind, y_true = draw(S.binary_targets(dtype, (n, k)))
    return Case(dtype, f"{regime}, {kind}", dict(y_pred=y_pred, y_true=y_true))


def bce_demo(rng, dtype):
    y_pred = 1 / (1 + np.exp(-rng.normal(size=(4, 2))))
    y_pred[1] = [0.0, 1.0]                         # the clip regime: log(0) without it
    y_pred[2, 0] = S.CLIP_LOW                      # at the bound: the gradient passes
    return Case(dtype, "demo", dict(y_pred=y_pred.astype(dtype),
                                    y_true=np.array([[1, 0], [1, 0], [1, 1], [0, 1]])))


def bce_error_scale(c):
    p, y = f64(c.y_pred, c.y_true)
    n, k = p.shape
    low, high = clip_bounds(c.dtype)
    clipped = np.clip(p, low, high)
    # Per output: two logs, 1 - y, 1 - c (relative to 1 - c: log(1 - c) is then off
    # by at most ~eps absolutely, hence the + 1), two products and a sum.
    size = np.abs(y) * (np.abs(np.log(clipped)) + 1) \
        + np.abs(1 - y) * (np.abs(np.log1p(-clipped)) + 1)
    # The two means add k and n roundings of the size of their terms.
    loss = (k + n + 6) * size.mean()
    # -(y / c - (1 - y) / (1 - c)) / k / n: two quotients, 1 - y, 1 - c, the
    # difference and two divisions; it cancels, so it is bounded by its terms.
    dinputs = 8 * (np.abs(y) / clipped + np.abs(1 - y) / (1 - clipped)) / (k * n)
    return dict(loss=loss, dinputs=dinputs)


# ------------------------------------------------------------------ MSE / MAE
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
    d = np.abs(y - p)
    # (y - p)^2: the difference rounds once (twice in its square), the square once;
    # the two means add k and n roundings.
    loss = (k + n + 6) * np.mean(d * d)
    # -2 (y - p) / k / n: the difference and the two divisions (torch: 1/(k n)
    # times 2 (y - p)), a few roundings of the result.
    return dict(loss=loss, dinputs=8 * 2 * d / (k * n))


def mae_error_scale(c):
    p, y = f64(c.y_pred, c.y_true)
    n, k = p.shape
    # sign(p - y) is exact (the difference of two floats is 0 only when they are
    # equal); only the divisions by k and n round.
    return dict(loss=(k + n + 4) * np.mean(np.abs(y - p)),
                dinputs=np.full(p.shape, 4.0 / (k * n)))


# ------------------------------------------------------------------ Layer_Dense + regularizers
REGULARIZER_NAMES = ("weight_regularizer_l1", "weight_regularizer_l2",
                     "bias_regularizer_l1", "bias_regularizer_l2")


@st.composite
def regularized_dense_cases(draw, dtype):
    n, n_in, n_out = draw(S.batch_sizes()), draw(S.widths()), draw(S.widths())
    _, inputs = draw(S.real_batch(dtype, (n, n_in)))
    parameters, weights, biases = draw(S.dense_parameters(dtype, n_in, n_out))
    strength, regularizers = draw(S.regularizers())
    _, dvalues = draw(S.real_batch(dtype, (n, n_out)))
    return Case(dtype, f"{parameters}, regularizers {strength}",
                dict(inputs=inputs, weights=weights, biases=biases, dvalues=dvalues,
                     regularizers=regularizers))


def regularized_dense_demo(rng, dtype):
    weights = rng.normal(size=(3, 2)).astype(dtype)
    weights[0, 1] = 0.0                            # |w| has a kink at 0
    return Case(dtype, "demo", dict(
        inputs=rng.normal(size=(4, 3)).astype(dtype), weights=weights,
        biases=np.array([[0.0, 0.5]], dtype=dtype),  # 0: as Layer_Dense creates them
        dvalues=rng.normal(size=(4, 2)).astype(dtype),
        regularizers=np.array([5e-4, 5e-4, 1e-3, 2e-3])))


def strengths_of(c):
    return dict(zip(REGULARIZER_NAMES, (float(s) for s in c.regularizers)))


def regularized_dense_run(cls, c):
    layer = cls(*c.weights.shape, **strengths_of(c))
    layer.weights, layer.biases = c.weights, c.biases
    call_forward(layer, c.inputs)
    output = getattr(layer, "output", None)
    layer.backward(c.dvalues)
    return dict(output=output, dweights=getattr(layer, "dweights", None),
                dbiases=getattr(layer, "dbiases", None), dinputs=getattr(layer, "dinputs", None))


def regularized_dense_reference(c):
    x, w, b = tensor(c.inputs, True), tensor(c.weights, True), tensor(c.biases, True)
    out, penalty = reference.layer_dense_regularized(x, w, b, **strengths_of(c))
    # The gradient of sum(dvalues * output) + penalty, by autograd (with every
    # strength 0 the penalty is a constant 0, outside the graph).
    roots, seeds = [out], [tensor(c.dvalues)]
    if penalty.requires_grad:
        roots, seeds = roots + [penalty], seeds + [torch.ones_like(penalty)]
    torch.autograd.backward(roots, seeds, inputs=[x, w, b])
    return dict(output=numpy(out), dweights=numpy(w.grad), dbiases=numpy(b.grad),
                dinputs=numpy(x.grad))


def regularized_dense_error_scale(c):
    scales = dense_error_scale(c)
    w, b = f64(c.weights, c.biases)
    l1w, l2w, l1b, l2b = (float(s) for s in c.regularizers)
    # The penalty's derivative l1 sign(w) + 2 l2 w rounds once or twice, and adding
    # it to the data gradient (in either order) rounds at the size of all terms.
    for name, values, l1, l2 in (("dweights", w, l1w, l2w), ("dbiases", b, l1b, l2b)):
        penalty_terms = l1 * (values != 0) + 2 * l2 * np.abs(values)
        scales[name] = scales[name] + 3 * (scales[name] + penalty_terms)
    return scales


# ------------------------------------------------------------------ Loss.regularization_loss
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


def regularization_loss_run(cls, c):
    loss_fn = cls()
    # Loss.regularization_loss only reads these attributes of a layer (book API),
    # so a stand-in tests it on its own, whatever Layer_Dense does.
    layer = SimpleNamespace(weights=c.weights, biases=c.biases, **strengths_of(c))
    return dict(regularization_loss=loss_fn.regularization_loss(layer))


def regularization_loss_reference(c):
    penalty = reference.regularization_loss(tensor(c.weights), tensor(c.biases),
                                            **strengths_of(c))
    return dict(regularization_loss=numpy(penalty))


def regularization_loss_error_scale(c):
    w, b = f64(c.weights, c.biases)
    l1w, l2w, l1b, l2b = (float(s) for s in c.regularizers)
    # Each sum of m terms is within ~m eps of its size; the products by the
    # strengths and the three additions round a few times more.
    weight_part = l1w * np.abs(w).sum() + l2w * (w * w).sum()
    bias_part = l1b * np.abs(b).sum() + l2b * (b * b).sum()
    total = (w.size + 6) * weight_part + (b.size + 6) * bias_part
    return dict(regularization_loss=total)


# ------------------------------------------------------------------ Layer_Dropout
@st.composite
def dropout_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    _, inputs = draw(S.real_batch(dtype, (n, k)))
    regime, mask = draw(S.dropout_masks((n, k)))
    rate = draw(S.dropout_rates())
    # How the implementation gets the mask: as an argument, or by drawing it from
    # np.random.binomial as the book does (which then hands out this mask).
    given = draw(st.sampled_from(["injected", "drawn"]))
    dvalues = draw(S.nonzero_array(dtype, (n, k)))
    return Case(dtype, f"{regime}, rate {rate:g}, mask {given}",
                dict(inputs=inputs, mask=mask, dvalues=dvalues, rate=np.array(rate),
                     injected=np.array(given == "injected")))


def dropout_demo(rng, dtype):
    return Case(dtype, "demo", dict(
        inputs=rng.normal(size=(4, 3)).astype(dtype),
        mask=np.array([[1, 0, 1], [1, 1, 0], [0, 0, 1], [1, 1, 1]]),
        dvalues=rng.normal(size=(4, 3)).astype(dtype), rate=np.array(0.25),
        injected=np.array(True)))


@contextmanager
def binomial_hands_out(mask, keep):
    """np.random.binomial returns `mask` for the duration: an implementation that
    draws its mask the book's way then applies the case's mask. It must ask for
    what the book asks for: n=1, p = the keep probability, size = the inputs' shape."""
    original = np.random.binomial

    def binomial(n, p, size=None):
        shape = () if size is None else tuple(np.atleast_1d(size))
        if n != 1 or shape != mask.shape:
            raise ValueError(f"Layer_Dropout drew np.random.binomial({n}, {p}, size={size}); "
                             f"a mask for inputs of shape {mask.shape} is "
                             f"binomial(1, 1 - rate, size=inputs.shape)")
        if abs(p - keep) > 1e-12:
            raise ValueError(f"Layer_Dropout drew its mask with probability {p} of keeping "
                             f"an input; rate is the fraction DROPPED, so inputs are kept "
                             f"with probability 1 - rate = {keep}")
        return np.array(mask, dtype=np.int64)

    np.random.binomial = binomial
    try:
        yield
    finally:
        np.random.binomial = original


def dropout_run(cls, c):
    rate = float(c.rate)
    layer = cls(rate)
    parameters = parameter_names(layer.forward)
    if "mask" in parameters and bool(c.injected):
        training = dict(training=True) if "training" in parameters else {}
        layer.forward(c.inputs, mask=c.mask, **training)
    else:
        with binomial_hands_out(c.mask, 1 - rate):
            call_forward(layer, c.inputs)
    output = getattr(layer, "output", None)
    layer.backward(c.dvalues)
    return dict(output=output, dinputs=getattr(layer, "dinputs", None))


def dropout_reference(c):
    x = tensor(c.inputs, True)
    out = reference.layer_dropout(x, tensor(c.mask), float(c.rate))
    out.backward(tensor(c.dvalues))
    return dict(output=numpy(out), dinputs=numpy(x.grad))


def dropout_error_scale(c):
    x, g, m = f64(c.inputs, c.dvalues, c.mask)
    scale = m / (1 - float(c.rate))
    # mask / keep rounds (and keep itself, converted to float32), then the product.
    return dict(output=3 * np.abs(x) * scale, dinputs=3 * np.abs(g) * scale)


# ------------------------------------------------------------------ Layer_Dropout, inference
@st.composite
def dropout_inference_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, inputs = draw(S.real_batch(dtype, (n, k)))
    rate = draw(S.dropout_rates().filter(lambda r: r > 0))
    # Not used by a correct layer: what np.random.binomial hands out if the layer
    # draws a mask at inference anyway (so that mistake shows the same way twice).
    _, mask = draw(S.dropout_masks((n, k), "mixed mask"))
    dvalues = draw(S.nonzero_array(dtype, (n, k)))
    return Case(dtype, f"{regime}, rate {rate:g}",
                dict(inputs=inputs, dvalues=dvalues, rate=np.array(rate), mask=mask))


def dropout_inference_demo(rng, dtype):
    return Case(dtype, "demo", dict(inputs=rng.normal(size=(4, 3)).astype(dtype),
                                    dvalues=rng.normal(size=(4, 3)).astype(dtype),
                                    rate=np.array(0.5),
                                    mask=np.array([[1, 0, 1], [1, 1, 0], [0, 0, 1], [1, 1, 1]])))


def dropout_inference_run(cls, c):
    layer = cls(float(c.rate))
    with binomial_hands_out(c.mask, 1 - float(c.rate)):
        layer.forward(c.inputs, training=False)
    output = getattr(layer, "output", None)
    layer.backward(c.dvalues)
    return dict(output=output, dinputs=getattr(layer, "dinputs", None))


def dropout_inference_reference(c):
    # At inference dropout is the identity: nothing dropped, nothing rescaled.
    x = tensor(c.inputs, True)
    out = reference.activation_linear(x)
    out.backward(tensor(c.dvalues))
    return dict(output=numpy(out), dinputs=numpy(x.grad))


def dropout_inference_error_scale(c):
    return dict(output=0.0, dinputs=0.0)       # the identity: bit for bit


LATER_CHAPTERS = (
    Component("Activation_Sigmoid", ("Activation_Sigmoid",), ("output", "dinputs"),
              sigmoid_cases, activation_run,
              activation_reference(reference.activation_sigmoid), sigmoid_error_scale,
              ("inputs", "dvalues"), sigmoid_demo),
    Component("Activation_Linear", ("Activation_Linear",), ("output", "dinputs"),
              linear_cases, activation_run,
              activation_reference(reference.activation_linear), linear_error_scale,
              ("inputs", "dvalues"), linear_demo),
    Component("Loss_BinaryCrossentropy", ("Loss_BinaryCrossentropy",), ("loss", "dinputs"),
              bce_cases, prediction_loss_run,
              loss_reference_for(reference.loss_binary_crossentropy), bce_error_scale,
              ("y_pred", "y_true"), bce_demo),
    Component("Loss_MeanSquaredError", ("Loss_MeanSquaredError",), ("loss", "dinputs"),
              regression_cases, prediction_loss_run,
              loss_reference_for(reference.loss_mean_squared_error), mse_error_scale,
              ("y_pred", "y_true"), regression_demo),
    Component("Loss_MeanAbsoluteError", ("Loss_MeanAbsoluteError",), ("loss", "dinputs"),
              regression_cases, prediction_loss_run,
              loss_reference_for(reference.loss_mean_absolute_error), mae_error_scale,
              ("y_pred", "y_true"), regression_demo),
    Component("Layer_Dense+regularizers",
              ClassNames(("Layer_Dense",), Takes("__init__", REGULARIZER_NAMES),
                         "with regularizer arguments (the book adds them in chapter 14)"),
              ("output", "dweights", "dbiases", "dinputs"),
              regularized_dense_cases, regularized_dense_run, regularized_dense_reference,
              regularized_dense_error_scale, ("inputs", "weights", "biases", "dvalues"),
              regularized_dense_demo),
    Component("Loss.regularization_loss",
              ClassNames(("Loss",), HasMethod("regularization_loss"),
                         "with regularization_loss(layer) (the book adds it in chapter 14)"),
              ("regularization_loss",),
              regularization_loss_cases, regularization_loss_run,
              regularization_loss_reference, regularization_loss_error_scale,
              ("weights", "biases"), regularization_loss_demo),
    Component("Layer_Dropout", ("Layer_Dropout",), ("output", "dinputs"),
              dropout_cases, dropout_run, dropout_reference, dropout_error_scale,
              ("inputs", "mask", "dvalues"), dropout_demo),
    Component("Layer_Dropout+inference",
              ClassNames(("Layer_Dropout",), Takes("forward", ("training",)),
                         "with forward(inputs, training) (the book adds it in chapter 18)"),
              ("output", "dinputs"),
              dropout_inference_cases, dropout_inference_run, dropout_inference_reference,
              dropout_inference_error_scale, ("inputs", "dvalues"), dropout_inference_demo),
)


REGISTRY = (
    Component("Layer_Dense", ("Layer_Dense",), ("output", "dweights", "dbiases", "dinputs"),
              dense_cases, dense_run, dense_reference, dense_error_scale,
              ("inputs", "weights", "biases", "dvalues"), dense_demo),
    Component("Activation_ReLU", ("Activation_ReLU",), ("output", "dinputs"),
              relu_cases, activation_run,
              activation_reference(reference.activation_relu), relu_error_scale,
              ("inputs", "dvalues"), relu_demo),
    Component("Activation_Softmax", ("Activation_Softmax",), ("output", "dinputs"),
              softmax_cases, activation_run,
              activation_reference(reference.activation_softmax), softmax_error_scale,
              ("inputs", "dvalues"), softmax_demo),
    Component("Loss", ("Loss",), ("loss",),
              loss_cases, loss_run, loss_reference, loss_error_scale, ("sample_losses",),
              loss_demo),
    Component("Loss_CategoricalCrossentropy",
              ("Loss_CategoricalCrossentropy", "Loss_CategoricalCrossEntropy"),
              ("loss", "dinputs"), cce_cases, prediction_loss_run,
              loss_reference_for(reference.loss_categorical_crossentropy), cce_error_scale,
              ("y_pred", "y_true"), cce_demo),
    Component("Activation_Softmax_Loss_CategoricalCrossentropy",
              ("Activation_Softmax_Loss_CategoricalCrossentropy",),
              ("output", "loss", "dinputs"), combined_cases, combined_run,
              combined_reference, combined_error_scale, ("inputs", "y_true"), combined_demo),
    *LATER_CHAPTERS,
)

BY_NAME = {c.name: c for c in REGISTRY}
