"""The registry: one declarative record per component (in the spirit of PyTorch's
OpInfo). A record says which book class it checks, how to draw its inputs, how
to run the implementation under test, how to run the torch reference (gradients
from autograd), which quantities to compare, and how large the rounding error
of each quantity may be (see tests/tolerances.py).

The generic properties in tests/test_components.py loop over REGISTRY; adding a
component means adding one record here.
"""
import inspect
from dataclasses import dataclass
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


def relu_run(cls, c):
    act = cls()
    call_forward(act, c.inputs)
    output = getattr(act, "output", None)
    act.backward(c.dvalues)
    return dict(output=output, dinputs=getattr(act, "dinputs", None))


def relu_reference(c):
    x = tensor(c.inputs, True)
    out = reference.activation_relu(x)
    out.backward(tensor(c.dvalues))
    return dict(output=numpy(out), dinputs=numpy(x.grad))


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


def softmax_run(cls, c):
    act = cls()
    call_forward(act, c.inputs)
    output = getattr(act, "output", None)
    act.backward(c.dvalues)
    return dict(output=output, dinputs=getattr(act, "dinputs", None))


def softmax_reference(c):
    x = tensor(c.inputs, True)
    out = reference.activation_softmax(x)
    out.backward(tensor(c.dvalues))
    return dict(output=numpy(out), dinputs=numpy(x.grad))


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


def cce_run(cls, c):
    loss_fn = cls()
    loss = loss_fn.calculate(c.y_pred, c.y_true)
    loss_fn.backward(c.y_pred, c.y_true)
    return dict(loss=loss, dinputs=getattr(loss_fn, "dinputs", None))


def cce_reference(c):
    p = tensor(c.y_pred, True)
    loss = reference.loss_categorical_crossentropy(p, tensor(c.y_true))
    loss.backward()
    return dict(loss=numpy(loss), dinputs=numpy(p.grad))


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
    # As in the book: the backward pass starts from the layer's own softmax output.
    obj.backward(np.array(output, copy=True) if output is not None else None, c.y_true)
    return dict(output=output, loss=loss, dinputs=getattr(obj, "dinputs", None))


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


REGISTRY = (
    Component("Layer_Dense", ("Layer_Dense",), ("output", "dweights", "dbiases", "dinputs"),
              dense_cases, dense_run, dense_reference, dense_error_scale,
              ("inputs", "weights", "biases", "dvalues"), dense_demo),
    Component("Activation_ReLU", ("Activation_ReLU",), ("output", "dinputs"),
              relu_cases, relu_run, relu_reference, relu_error_scale, ("inputs", "dvalues"),
              relu_demo),
    Component("Activation_Softmax", ("Activation_Softmax",), ("output", "dinputs"),
              softmax_cases, softmax_run, softmax_reference, softmax_error_scale,
              ("inputs", "dvalues"), softmax_demo),
    Component("Loss", ("Loss",), ("loss",),
              loss_cases, loss_run, loss_reference, loss_error_scale, ("sample_losses",),
              loss_demo),
    Component("Loss_CategoricalCrossentropy",
              ("Loss_CategoricalCrossentropy", "Loss_CategoricalCrossEntropy"),
              ("loss", "dinputs"), cce_cases, cce_run, cce_reference, cce_error_scale,
              ("y_pred", "y_true"), cce_demo),
    Component("Activation_Softmax_Loss_CategoricalCrossentropy",
              ("Activation_Softmax_Loss_CategoricalCrossentropy",),
              ("output", "loss", "dinputs"), combined_cases, combined_run,
              combined_reference, combined_error_scale, ("inputs", "y_true"), combined_demo),
)

BY_NAME = {c.name: c for c in REGISTRY}
