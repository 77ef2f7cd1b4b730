"""Bad input gets a clear error, never a silently wrong number.

One table, one row per mistake a learner can make when calling a core
numpy_impl component: the component, how to bring it into the state the call
needs (fresh, or after a good forward), the bad call, the exception it must
raise and the pieces of information its message must contain. Every message
must name the component; the other fragments are the expected and the received
values (a width, a shape, the offending label).

NaN and infinity are not errors (they propagate as torch propagates them), and
no call may modify its arguments: both are part of the registry-wide property
tests/test_components.py::test_matches_torch, not repeated here.
"""
import re

import numpy as np
import pytest

from numpy_impl import (Activation_ReLU, Activation_Softmax,
                        Activation_Softmax_Loss_CategoricalCrossentropy,
                        Layer_Dense, Loss_CategoricalCrossentropy)


# A good batch: 2 samples, 3 features (or 3 classes).
X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
P = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])     # predicted probabilities
Y = np.array([0, 2])                                  # good sparse labels
Y_ONE_HOT = np.eye(3)[Y]


# ---------------------------------------------------------------- states a call starts from
def fresh(cls, *init):
    """The component just constructed: nothing remembered yet."""
    return lambda: cls(*init)


def forwarded(cls, *forward_args, init=()):
    """The component after a good forward pass."""
    def make():
        obj = cls(*init)
        obj.forward(*forward_args)
        return obj
    return make


DENSE = "Layer_Dense"
RELU = "Activation_ReLU"
SOFTMAX = "Activation_Softmax"
CCE = "Loss_CategoricalCrossentropy"
COMBINED = "Activation_Softmax_Loss_CategoricalCrossentropy"

dense_fresh = fresh(Layer_Dense, 3, 4)
dense_done = forwarded(Layer_Dense, X, init=(3, 4))          # output (2, 4)
relu_fresh, relu_done = fresh(Activation_ReLU), forwarded(Activation_ReLU, X)
softmax_fresh, softmax_done = fresh(Activation_Softmax), forwarded(Activation_Softmax, X)
cce_fresh = fresh(Loss_CategoricalCrossentropy)
combined_fresh = fresh(Activation_Softmax_Loss_CategoricalCrossentropy)
combined_done = forwarded(Activation_Softmax_Loss_CategoricalCrossentropy, X, Y)


def combined_backward(y_true, dvalues=None):
    """backward on a forwarded combined layer, from its own softmax output by default."""
    return lambda obj: obj.backward(obj.output.copy() if dvalues is None else dvalues, y_true)


# ---------------------------------------------------------------- the table
# (id, component, state factory, bad call, expected exception, fragments the
#  message must contain besides the component's name)
LABEL_ERRORS = (TypeError, ValueError)
BAD_INPUTS = [
    # Layer_Dense -----------------------------------------------------------
    ("wrong-width", DENSE, dense_fresh, lambda d: d.forward(np.ones((2, 5))),
     ValueError, ("3", "5")),
    ("1-D-inputs", DENSE, dense_fresh, lambda d: d.forward(np.ones(3)),
     ValueError, ("(3,)", "2-D")),
    ("3-D-inputs", DENSE, dense_fresh, lambda d: d.forward(np.ones((2, 3, 1))),
     ValueError, ("(2, 3, 1)", "2-D")),
    ("integer-inputs", DENSE, dense_fresh, lambda d: d.forward(np.ones((2, 3), dtype=np.int64)),
     TypeError, ("int64", "floating")),
    ("backward-before-forward", DENSE, dense_fresh, lambda d: d.backward(np.ones((2, 4))),
     RuntimeError, ("forward",)),
    ("wrong-dvalues-shape", DENSE, dense_done, lambda d: d.backward(np.ones((2, 3))),
     ValueError, ("(2, 4)", "(2, 3)")),
    ("1-D-dvalues", DENSE, dense_done, lambda d: d.backward(np.ones(4)),
     ValueError, ("(2, 4)", "(4,)")),
    # Activation_ReLU -------------------------------------------------------
    ("1-D-inputs", RELU, relu_fresh, lambda a: a.forward(np.ones(3)),
     ValueError, ("(3,)", "2-D")),
    ("backward-before-forward", RELU, relu_fresh, lambda a: a.backward(np.ones((2, 3))),
     RuntimeError, ("forward",)),
    ("wrong-dvalues-shape", RELU, relu_done, lambda a: a.backward(np.ones((3, 2))),
     ValueError, ("(2, 3)", "(3, 2)")),
    ("1-D-dvalues", RELU, relu_done, lambda a: a.backward(np.ones(6)),
     ValueError, ("(2, 3)", "(6,)")),
    # Activation_Softmax ----------------------------------------------------
    ("1-D-inputs", SOFTMAX, softmax_fresh, lambda a: a.forward(np.ones(3)),
     ValueError, ("(3,)", "2-D")),
    ("backward-before-forward", SOFTMAX, softmax_fresh, lambda a: a.backward(np.ones((2, 3))),
     RuntimeError, ("forward",)),
    ("wrong-dvalues-shape", SOFTMAX, softmax_done, lambda a: a.backward(np.ones((2, 4))),
     ValueError, ("(2, 3)", "(2, 4)")),
    ("1-D-dvalues", SOFTMAX, softmax_done, lambda a: a.backward(np.ones(3)),
     ValueError, ("(2, 3)", "(3,)")),
    # Loss_CategoricalCrossentropy: forward(y_pred, y_true) and, as in the book,
    # backward(dvalues=y_pred, y_true), which needs nothing from forward.
    ("label-too-large", CCE, cce_fresh, lambda l: l.forward(P, np.array([0, 7])),
     ValueError, ("7", "3")),
    ("label-negative", CCE, cce_fresh, lambda l: l.forward(P, np.array([-1, 0])),
     ValueError, ("-1", "3")),
    ("float-labels", CCE, cce_fresh, lambda l: l.forward(P, np.array([0.0, 2.0])),
     LABEL_ERRORS, ("float64",)),
    ("one-hot-wrong-width", CCE, cce_fresh, lambda l: l.forward(P, np.eye(4)[Y]),
     ValueError, ("(2, 3)", "(2, 4)")),
    ("label-count", CCE, cce_fresh, lambda l: l.forward(P, np.array([0, 1, 2])),
     ValueError, ("2", "3")),
    ("one-hot-count", CCE, cce_fresh, lambda l: l.forward(P, np.eye(3)),
     ValueError, ("(2, 3)", "(3, 3)")),
    ("1-D-predictions", CCE, cce_fresh, lambda l: l.forward(P[0], Y),
     ValueError, ("(3,)", "2-D")),
    ("calculate-label-too-large", CCE, cce_fresh, lambda l: l.calculate(P, np.array([3, 0])),
     ValueError, ("3", "[0, 2]")),
    ("backward-label-too-large", CCE, cce_fresh, lambda l: l.backward(P, np.array([0, 7])),
     ValueError, ("7", "3")),
    ("backward-label-negative", CCE, cce_fresh, lambda l: l.backward(P, np.array([0, -2])),
     ValueError, ("-2", "3")),
    ("backward-float-labels", CCE, cce_fresh, lambda l: l.backward(P, np.array([0.0, 2.0])),
     LABEL_ERRORS, ("float64",)),
    ("backward-one-hot-wrong-width", CCE, cce_fresh, lambda l: l.backward(P, np.eye(2)[[0, 1]]),
     ValueError, ("(2, 3)", "(2, 2)")),
    ("backward-label-count", CCE, cce_fresh, lambda l: l.backward(P, np.array([0])),
     ValueError, ("2", "1")),
    ("backward-1-D-dvalues", CCE, cce_fresh, lambda l: l.backward(P[0], Y),
     ValueError, ("(3,)", "2-D")),
    ("backward-dvalues-rows-vs-labels", CCE, cce_fresh,
     lambda l: l.backward(np.vstack([P, P]), Y), ValueError, ("4", "2")),
    # Activation_Softmax_Loss_CategoricalCrossentropy ----------------------------
    ("1-D-inputs", COMBINED, combined_fresh, lambda c: c.forward(X[0], Y),
     ValueError, ("(3,)", "2-D")),
    ("label-too-large", COMBINED, combined_fresh, lambda c: c.forward(X, np.array([3, 1])),
     ValueError, ("3", "[0, 2]")),
    ("label-negative", COMBINED, combined_fresh, lambda c: c.forward(X, np.array([0, -1])),
     ValueError, ("-1", "3")),
    ("float-labels", COMBINED, combined_fresh, lambda c: c.forward(X, np.array([0.0, 1.0])),
     LABEL_ERRORS, ("float64",)),
    ("bool-labels", COMBINED, combined_fresh, lambda c: c.forward(X, np.array([True, False])),
     LABEL_ERRORS, ("bool",)),
    ("one-hot-wrong-width", COMBINED, combined_fresh, lambda c: c.forward(X, np.eye(4)[Y]),
     ValueError, ("(2, 3)", "(2, 4)")),
    ("label-count", COMBINED, combined_fresh, lambda c: c.forward(X, np.array([0, 1, 2])),
     ValueError, ("2", "3")),
    ("one-hot-count", COMBINED, combined_fresh, lambda c: c.forward(X, np.eye(3)),
     ValueError, ("(2, 3)", "(3, 3)")),
    ("backward-before-forward", COMBINED, combined_fresh, lambda c: c.backward(P, Y),
     RuntimeError, ("forward",)),
    ("wrong-dvalues-shape", COMBINED, combined_done, combined_backward(Y, np.ones((2, 4))),
     ValueError, ("(2, 3)", "(2, 4)")),
    ("1-D-dvalues", COMBINED, combined_done, combined_backward(Y, np.ones(3)),
     ValueError, ("(2, 3)", "(3,)")),
    ("backward-label-too-large", COMBINED, combined_done, combined_backward(np.array([0, 9])),
     ValueError, ("9", "3")),
    ("backward-label-negative", COMBINED, combined_done, combined_backward(np.array([-3, 0])),
     ValueError, ("-3", "3")),
    ("backward-float-labels", COMBINED, combined_done, combined_backward(np.array([0.0, 2.0])),
     LABEL_ERRORS, ("float64",)),
    ("backward-one-hot-wrong-width", COMBINED, combined_done, combined_backward(np.eye(5)[Y]),
     ValueError, ("(2, 3)", "(2, 5)")),
    ("backward-label-count", COMBINED, combined_done, combined_backward(np.array([0, 1, 1])),
     ValueError, ("2", "3")),
]


def mentions(message, fragment):
    """True if `fragment` appears in `message` as a whole token: "3" must not be
    found inside "13", "0.3" or "(2, 3)" counts only as written."""
    return re.search(rf"(?<![\w.-]){re.escape(fragment)}(?![\w]|\.\d)", message) is not None


@pytest.mark.parametrize(
    "class_name,make,call,error,fragments",
    [pytest.param(*row[1:], id=f"{row[1]}-{row[0]}") for row in BAD_INPUTS])
def test_bad_input_raises_a_clear_error(class_name, make, call, error, fragments):
    obj = make()
    assert type(obj).__name__ == class_name
    with pytest.raises(error) as raised:
        call(obj)
    message = str(raised.value)
    missing = [f for f in (class_name,) + fragments if not mentions(message, f)]
    assert not missing, (f"{class_name}: the {type(raised.value).__name__} message should "
                         f"mention {missing}; it says: {message!r}")


def test_every_core_component_has_rows_for_every_kind_of_mistake():
    """The table covers each core component for each kind of mistake it can meet."""
    kinds = {(component, row_id) for row_id, component, *_ in BAD_INPUTS}
    required = {
        DENSE: {"wrong-width", "1-D-inputs", "backward-before-forward", "wrong-dvalues-shape",
                "1-D-dvalues"},
        RELU: {"1-D-inputs", "backward-before-forward", "wrong-dvalues-shape"},
        SOFTMAX: {"1-D-inputs", "backward-before-forward", "wrong-dvalues-shape"},
        CCE: {"label-too-large", "label-negative", "float-labels", "one-hot-wrong-width",
              "label-count", "1-D-predictions", "backward-1-D-dvalues",
              "backward-label-too-large", "backward-label-negative"},
        COMBINED: {"1-D-inputs", "label-too-large", "label-negative", "float-labels",
                   "one-hot-wrong-width", "label-count", "backward-before-forward",
                   "wrong-dvalues-shape", "backward-label-too-large", "backward-label-negative",
                   "backward-float-labels", "backward-one-hot-wrong-width",
                   "backward-label-count"},
    }
    absent = {(c, k) for c, ks in required.items() for k in ks} - kinds
    assert not absent, f"no row in BAD_INPUTS for {sorted(absent)}"


def test_loss_backward_needs_no_forward():
    """The book's Loss_CategoricalCrossentropy.backward(dvalues, y_true) gets the
    predictions as dvalues, so it is not an error to call it on a fresh loss: it
    must give the same gradient as after a forward, -y / p / N at the labels."""
    fresh_loss = Loss_CategoricalCrossentropy()
    fresh_loss.backward(P, Y)
    expected = np.array([[-1 / 0.7, 0, 0], [0, 0, -1 / 0.6]]) / 2
    np.testing.assert_allclose(fresh_loss.dinputs, expected, rtol=1e-12)


def test_a_failed_call_leaves_the_layer_usable():
    """A rejected input must not half-update the layer: the next good call works."""
    layer = Layer_Dense(3, 2)
    layer.weights = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    layer.biases = np.array([[0.5, -0.5]])
    with pytest.raises(ValueError):
        layer.forward(np.ones((2, 5)))
    with pytest.raises(RuntimeError):
        layer.backward(np.ones((2, 2)))
    layer.forward(X)
    np.testing.assert_array_equal(layer.output, [[3.0, 0.5], [1.25, -1.0]])
