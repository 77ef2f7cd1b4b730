"""Activations: ReLU and Softmax (chapters 4, 9), Sigmoid and Linear (chapters 16,
17); each with forward, backward and (chapter 18) predictions."""
import numpy as np
import torch
from hypothesis import strategies as st

import reference
from .. import strategies as S
from ..compare import Kinks, compare
from ..records import Check
from .common import Case, numpy, sigmoid64, softmax64, softmax_rel_error, tensor

QUANTITIES = ("output", "dinputs", "predictions")


def activation_run(role):
    """forward(inputs), backward(dvalues); predictions(outputs) on its own, given
    torch's outputs so that a wrong forward cannot spoil it."""
    def run(s, c):
        activation = s.make(role)
        s.call(activation, "forward", s.arg("inputs"), training=True, produces=("output",))
        s.call(activation, "backward", s.arg("dvalues"), produces=("dinputs",))

    def run_with_predictions(s, c):
        s.step(("output", "dinputs"), lambda: run(s, c))

        def predictions():
            activation = s.make(role, var="classifier")
            outputs = s.value("outputs", torch_forward[role](c.inputs), watch=True)
            s.call(activation, "predictions", outputs, returns="predictions", optional=True)
        s.step(("predictions",), predictions)
    return run_with_predictions


torch_forward = {
    "Activation_ReLU": lambda x: numpy(reference.activation_relu(tensor(x))),
    "Activation_Softmax": lambda x: numpy(reference.activation_softmax(tensor(x))),
    "Activation_Sigmoid": lambda x: numpy(reference.activation_sigmoid(tensor(x))),
    "Activation_Linear": lambda x: numpy(reference.activation_linear(tensor(x))),
}


def activation_reference(role, torch_function, predictions):
    def run(c):
        x = tensor(c.inputs, True)
        out = torch_function(x)
        out.backward(tensor(c.dvalues))
        return dict(output=numpy(out), dinputs=numpy(x.grad),
                    predictions=numpy(predictions(out.detach())))
    return run


def judge_class_predictions(quantity, yours, theirs, scale, case, unjudged):
    """Class predictions are labels: any integer or boolean dtype holds them
    (the book's (outputs > 0.5) * 1 is int64, outputs > 0.5 is bool)."""
    if quantity != "predictions":
        return None
    try:
        array = np.asarray(yours)
    except Exception:
        return None
    if array.dtype == np.bool_ or np.issubdtype(array.dtype, np.integer):
        return compare(array.astype(np.asarray(theirs).dtype), theirs, scale, case.dtype,
                       unjudged=unjudged)
    return None


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


def relu_kinks(c):
    """ReLU's kink at 0: any value between 0 and dvalues is a subgradient."""
    g = np.asarray(c.dvalues, dtype=np.float64)
    return dict(dinputs=Kinks(mask=np.asarray(c.inputs) == 0, low=np.zeros_like(g), high=g))


ACTIVATION_RELU = Check(
    name="Activation_ReLU", chapter=4, roles=("Activation_ReLU",), quantities=QUANTITIES,
    cases=relu_cases, demo=relu_demo, run=activation_run("Activation_ReLU"),
    reference=activation_reference("Activation_ReLU", reference.activation_relu,
                                   lambda out: out),
    # max(0, x) and masking involve no rounding: ReLU must agree bit for bit.
    error_scale=lambda c: dict(output=0.0, dinputs=0.0, predictions=0.0),
    arguments=("inputs", "dvalues"), gradients=dict(dinputs="inputs"),
    kinks=relu_kinks,
    third_derivative=lambda case, variable, step: 0.0)   # linear off the kink


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
    with np.errstate(invalid="ignore"):
        spread = s * (g + np.sum(s * g, axis=1, keepdims=True))
    return dict(output=s * rel, dinputs=spread * (rel + k + 2), predictions=0.0)


def softmax_m3(case, variable, step):
    # Along one logit x_ab the rest of its row is fixed, so sum_j g_aj s_aj is
    # const + (g_ab - mean of the other g, weighted by s) * sigma(x_ab - c): its
    # third derivative is at most 2 max_j |g_aj| * max|sigma'''| = 2 max|g| / 8.
    g = np.abs(np.asarray(case.dvalues, np.float64))
    return np.max(g, axis=1, keepdims=True) / 4


ACTIVATION_SOFTMAX = Check(
    name="Activation_Softmax", chapter=4, roles=("Activation_Softmax",), quantities=QUANTITIES,
    cases=softmax_cases, demo=softmax_demo, run=activation_run("Activation_Softmax"),
    reference=activation_reference("Activation_Softmax", reference.activation_softmax,
                                   lambda out: torch.argmax(out, dim=1)),
    error_scale=softmax_error_scale, arguments=("inputs", "dvalues"),
    gradients=dict(dinputs="inputs"), judge=judge_class_predictions,
    third_derivative=softmax_m3)


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
    return dict(output=8 * y, dinputs=g * (8 * y + 4 * y * (1 - y)), predictions=0.0)


def sigmoid_m3(case, variable, step):
    # sigma''' = sigma (1 - sigma) (1 - 6 sigma (1 - sigma)), at most 1/8 in size.
    return np.abs(np.asarray(case.dvalues, np.float64)) / 8


ACTIVATION_SIGMOID = Check(
    name="Activation_Sigmoid", chapter=16, roles=("Activation_Sigmoid",),
    quantities=QUANTITIES, cases=sigmoid_cases, demo=sigmoid_demo,
    run=activation_run("Activation_Sigmoid"),
    reference=activation_reference("Activation_Sigmoid", reference.activation_sigmoid,
                                   lambda out: (out > 0.5).long()),
    error_scale=sigmoid_error_scale, arguments=("inputs", "dvalues"),
    gradients=dict(dinputs="inputs"), judge=judge_class_predictions,
    third_derivative=sigmoid_m3)


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


ACTIVATION_LINEAR = Check(
    name="Activation_Linear", chapter=17, roles=("Activation_Linear",), quantities=QUANTITIES,
    cases=linear_cases, demo=linear_demo, run=activation_run("Activation_Linear"),
    reference=activation_reference("Activation_Linear", reference.activation_linear,
                                   lambda out: out),
    # The identity computes nothing: it must agree bit for bit.
    error_scale=lambda c: dict(output=0.0, dinputs=0.0, predictions=0.0),
    arguments=("inputs", "dvalues"), gradients=dict(dinputs="inputs"),
    third_derivative=lambda case, variable, step: 0.0)

CHECKS = (ACTIVATION_RELU, ACTIVATION_SOFTMAX, ACTIVATION_SIGMOID, ACTIVATION_LINEAR)
