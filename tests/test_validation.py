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

from numpy_impl import (Accuracy_Categorical, Accuracy_Regression, Activation_Linear,
                        Activation_ReLU, Activation_Sigmoid, Activation_Softmax,
                        Activation_Softmax_Loss_CategoricalCrossentropy, Layer_Dense,
                        Layer_Dropout, Layer_Input, Loss_BinaryCrossentropy,
                        Loss_CategoricalCrossentropy, Loss_MeanAbsoluteError,
                        Loss_MeanSquaredError, Model, Optimizer_Adagrad, Optimizer_Adam,
                        Optimizer_RMSprop, Optimizer_SGD)


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
     ValueError, ("inputs", "3", "5", "(one per input)")),
    ("1-D-inputs", DENSE, dense_fresh, lambda d: d.forward(np.ones(3)),
     ValueError, ("(3,)", "2-D")),
    ("3-D-inputs", DENSE, dense_fresh, lambda d: d.forward(np.ones((2, 3, 1))),
     ValueError, ("(2, 3, 1)", "2-D")),
    ("integer-inputs", DENSE, dense_fresh, lambda d: d.forward(np.ones((2, 3), dtype=np.int64)),
     TypeError, ("inputs", "int64", "floating")),
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
     ValueError, ("y_pred", "(3,)", "2-D")),
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
     ValueError, ("dvalues", "(3,)", "2-D")),
    ("backward-dvalues-rows-vs-labels", CCE, cce_fresh,
     lambda l: l.backward(np.vstack([P, P]), Y), ValueError, ("4", "2")),
    # Activation_Softmax_Loss_CategoricalCrossentropy ----------------------------
    ("1-D-inputs", COMBINED, combined_fresh, lambda c: c.forward(X[0], Y),
     ValueError, ("inputs", "(3,)", "2-D")),
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


# ================================================================ the later chapters' classes
# Same table, same test: one row per mistake, for every other class that validates.
SIGMOID, LINEAR, DROPOUT = "Activation_Sigmoid", "Activation_Linear", "Layer_Dropout"
BCE, MSE, MAE = "Loss_BinaryCrossentropy", "Loss_MeanSquaredError", "Loss_MeanAbsoluteError"
INPUT, MODEL = "Layer_Input", "Model"
ACC_CAT, ACC_REG = "Accuracy_Categorical", "Accuracy_Regression"
SGD, ADAGRAD, RMSPROP, ADAM = ("Optimizer_SGD", "Optimizer_Adagrad", "Optimizer_RMSprop",
                               "Optimizer_Adam")
T = np.array([[1.0, 0.0, 1.0], [0.0, 0.5, 1.0]])     # good binary targets / regression targets


def constructed_again(*args, **kwargs):
    """A call that builds another object of the same class with bad settings."""
    return lambda obj: type(obj)(*args, **kwargs)


class NoGradients:
    """A layer with parameters but no backward() yet."""
    def __init__(self):
        self.weights, self.biases = np.ones((3, 2)), np.ones((1, 2))


def with_gradients(**changes):
    """A layer with parameters and gradients, some of them replaced by `changes`."""
    layer = NoGradients()
    layer.dweights, layer.dbiases = np.ones((3, 2)), np.ones((1, 2))
    for name, value in changes.items():
        setattr(layer, name, value)
    return layer


class ForwardOnly:
    """Something with forward() but no backward()."""
    def forward(self, inputs, training=True):
        self.output = inputs


def dense_with(**attributes):
    """A Layer_Dense(3, 4) whose parameters were replaced by `attributes`."""
    def make():
        layer = Layer_Dense(3, 4)
        for name, value in attributes.items():
            setattr(layer, name, value)
        return layer
    return make


def model(finalized=True, **parts):
    """A 3 -> 2 classifier Model, set with `parts` (all three by default)."""
    def make():
        m = Model()
        m.add(Layer_Dense(3, 2))
        m.add(Activation_Softmax())
        m.set(**(parts or dict(loss=Loss_CategoricalCrossentropy(), optimizer=Optimizer_SGD(),
                               accuracy=Accuracy_Categorical())))
        if finalized:
            m.finalize()
        return m
    return make


sigmoid_fresh, sigmoid_done = fresh(Activation_Sigmoid), forwarded(Activation_Sigmoid, X)
linear_fresh, linear_done = fresh(Activation_Linear), forwarded(Activation_Linear, X)
dropout_fresh, dropout_done = fresh(Layer_Dropout, 0.5), forwarded(Layer_Dropout, X, init=(0.5,))
bce_fresh, mse_fresh, mae_fresh = (fresh(Loss_BinaryCrossentropy), fresh(Loss_MeanSquaredError),
                                   fresh(Loss_MeanAbsoluteError))
acc_cat_fresh, acc_reg_fresh = fresh(Accuracy_Categorical), fresh(Accuracy_Regression)


def acc_reg_ready():
    accuracy = Accuracy_Regression()
    accuracy.init(T)
    return accuracy


BAD_INPUTS += [
    # Python lists where an array is expected, for the core classes too ------
    ("list-inputs", DENSE, dense_fresh, lambda d: d.forward(X.tolist()),
     TypeError, ("inputs", "NumPy array", "(shape (n_samples, 3))", "list")),
    ("list-dvalues", DENSE, dense_done, lambda d: d.backward(np.ones((2, 4)).tolist()),
     TypeError, ("dvalues", "NumPy array", "(shape (2, 4))", "list")),
    ("list-inputs", RELU, relu_fresh, lambda a: a.forward(X.tolist()),
     TypeError, ("inputs", "NumPy array", "(shape (n_samples, n_features))", "list")),
    ("list-dvalues", RELU, relu_done, lambda a: a.backward(X.tolist()),
     TypeError, ("NumPy array", "list")),
    ("list-inputs", SOFTMAX, softmax_fresh, lambda a: a.forward(X.tolist()),
     TypeError, ("inputs", "NumPy array", "list")),
    ("list-predictions", CCE, cce_fresh, lambda l: l.forward(P.tolist(), Y),
     TypeError, ("y_pred", "NumPy array", "list")),
    ("list-labels", CCE, cce_fresh, lambda l: l.forward(P, [0, 2]),
     TypeError, ("y_true", "NumPy array", "(1-D class indices or 2-D one-hot rows)", "list")),
    ("3-D-labels", CCE, cce_fresh, lambda l: l.forward(P, np.zeros((2, 3, 1), np.int64)),
     ValueError, ("1-D class indices or 2-D one-hot rows", "(2, 3, 1)")),
    ("list-inputs", COMBINED, combined_fresh, lambda c: c.forward(X.tolist(), Y),
     TypeError, ("inputs", "NumPy array", "list")),
    ("list-outputs", RELU, relu_fresh, lambda a: a.predictions(X.tolist()),
     TypeError, ("outputs", "NumPy array", "list")),
    ("list-outputs", SOFTMAX, softmax_fresh, lambda a: a.predictions(X.tolist()),
     TypeError, ("outputs", "NumPy array", "list")),
    ("long-double-inputs", RELU, relu_fresh, lambda a: a.forward(X.astype(np.longdouble)),
     TypeError, ("float64", str(np.dtype(np.longdouble)))),
    # Layer_Dense settings ---------------------------------------------------
    ("negative-l1", DENSE, dense_fresh, constructed_again(3, 4, weight_regularizer_l1=-0.1),
     ValueError, ("weight_regularizer_l1", "[0, inf)", "-0.1")),
    ("negative-l2", DENSE, dense_fresh, constructed_again(3, 4, bias_regularizer_l2=-1e-3),
     ValueError, ("bias_regularizer_l2", "[0, inf)", "-0.001")),
    ("nan-strength", DENSE, dense_fresh, constructed_again(3, 4, weight_regularizer_l2=np.nan),
     ValueError, ("weight_regularizer_l2", "nan")),
    ("zero-inputs", DENSE, dense_fresh, constructed_again(0, 4),
     ValueError, ("n_inputs", "[1, inf)", "0")),
    ("float-neurons", DENSE, dense_fresh, constructed_again(3, 2.5),
     TypeError, ("n_neurons", "integer", "2.5")),
    ("set-parameters-wrong-shape", DENSE, dense_fresh,
     lambda d: d.set_parameters(np.ones((4, 3)), np.zeros((1, 4))),
     ValueError, ("weights", "(3, 4)", "(4, 3)")),
    ("set-parameters-list", DENSE, dense_fresh,
     lambda d: d.set_parameters(np.ones((3, 4)).tolist(), np.zeros((1, 4))),
     TypeError, ("weights", "NumPy array", "(shape (3, 4))", "list")),
    ("set-parameters-integer-biases", DENSE, dense_fresh,
     lambda d: d.set_parameters(np.ones((3, 4)), np.zeros((1, 4), np.int64)),
     TypeError, ("biases", "int64", "floating")),
    ("list-weights", DENSE, dense_with(weights=np.ones((3, 4)).tolist()),
     lambda d: d.forward(X), TypeError, ("weights", "(the layer's parameters)", "list")),
    ("list-biases", DENSE, dense_with(biases=[[0.0] * 4]),
     lambda d: d.forward(X), TypeError, ("biases", "(the layer's parameters)", "list")),
    ("1-D-weights", DENSE, dense_with(weights=np.ones(3)),
     lambda d: d.forward(X), ValueError, ("weights", "(n_inputs, n_neurons)", "(3,)")),
    ("column-biases", DENSE, dense_with(biases=np.zeros((4, 1))),
     lambda d: d.forward(X), ValueError, ("biases", "(1, 4)", "(4, 1)")),
    # Activation_Sigmoid ------------------------------------------------------
    ("1-D-inputs", SIGMOID, sigmoid_fresh, lambda a: a.forward(np.ones(3)),
     ValueError, ("(3,)", "2-D")),
    ("integer-inputs", SIGMOID, sigmoid_fresh, lambda a: a.forward(np.ones((2, 3), np.int32)),
     TypeError, ("int32", "floating")),
    ("list-inputs", SIGMOID, sigmoid_fresh, lambda a: a.forward(X.tolist()),
     TypeError, ("inputs", "NumPy array", "list")),
    ("backward-before-forward", SIGMOID, sigmoid_fresh, lambda a: a.backward(np.ones((2, 3))),
     RuntimeError, ("forward",)),
    ("wrong-dvalues-shape", SIGMOID, sigmoid_done, lambda a: a.backward(np.ones((3, 2))),
     ValueError, ("(2, 3)", "(3, 2)")),
    ("integer-dvalues", SIGMOID, sigmoid_done, lambda a: a.backward(np.ones((2, 3), np.int64)),
     TypeError, ("dvalues", "int64", "floating")),
    ("list-predictions", SIGMOID, sigmoid_fresh, lambda a: a.predictions([[0.2, 0.7]]),
     TypeError, ("outputs", "NumPy array", "list")),
    # Activation_Linear -------------------------------------------------------
    ("1-D-inputs", LINEAR, linear_fresh, lambda a: a.forward(np.ones(3)),
     ValueError, ("(3,)", "2-D")),
    ("list-inputs", LINEAR, linear_fresh, lambda a: a.forward(X.tolist()),
     TypeError, ("inputs", "NumPy array", "list")),
    ("list-outputs", LINEAR, linear_fresh, lambda a: a.predictions(X.tolist()),
     TypeError, ("outputs", "NumPy array", "list")),
    ("backward-before-forward", LINEAR, linear_fresh, lambda a: a.backward(np.ones((2, 3))),
     RuntimeError, ("forward",)),
    ("wrong-dvalues-shape", LINEAR, linear_done, lambda a: a.backward(np.ones((2, 4))),
     ValueError, ("(2, 3)", "(2, 4)")),
    # Layer_Dropout -------------------------------------------------------------
    ("rate-1", DROPOUT, dropout_fresh, constructed_again(1.0),
     ValueError, ("rate", "[0, 1)", "(the fraction of inputs dropped)", "1.0")),
    ("rate-negative", DROPOUT, dropout_fresh, constructed_again(-0.1),
     ValueError, ("rate", "[0, 1)", "-0.1")),
    ("rate-string", DROPOUT, dropout_fresh, constructed_again("0.5"),
     TypeError, ("rate", "real number", "(the fraction of inputs dropped)", "str", "'0.5'")),
    ("1-D-inputs", DROPOUT, dropout_fresh, lambda d: d.forward(np.ones(3)),
     ValueError, ("(3,)", "2-D")),
    ("list-inputs", DROPOUT, dropout_fresh, lambda d: d.forward(X.tolist()),
     TypeError, ("inputs", "NumPy array", "list")),
    ("backward-before-forward", DROPOUT, dropout_fresh, lambda d: d.backward(np.ones((2, 3))),
     RuntimeError, ("forward",)),
    ("wrong-dvalues-shape", DROPOUT, dropout_done, lambda d: d.backward(np.ones((2, 2))),
     ValueError, ("(2, 3)", "(2, 2)")),
    # Layer_Input -----------------------------------------------------------------
    ("1-D-inputs", INPUT, fresh(Layer_Input), lambda i: i.forward(np.ones(3), False),
     ValueError, ("(3,)", "2-D")),
    ("list-inputs", INPUT, fresh(Layer_Input), lambda i: i.forward(X.tolist(), True),
     TypeError, ("inputs", "NumPy array", "list")),
    ("integer-inputs", INPUT, fresh(Layer_Input),
     lambda i: i.forward(np.ones((2, 3), np.uint8), True), TypeError, ("uint8", "floating")),
    # Loss_BinaryCrossentropy -----------------------------------------------------
    ("target-above-1", BCE, bce_fresh, lambda l: l.forward(P, np.array([[1, 0, 2], [0, 1, 0]])),
     ValueError, ("[0, 1]", "2", "[0, 2]")),
    ("target-below-0", BCE, bce_fresh, lambda l: l.backward(P, T - 1.5),
     ValueError, ("[0, 1]", "-0.5", "[0, 0]")),
    ("targets-wrong-shape", BCE, bce_fresh, lambda l: l.forward(P, T[:, :2]),
     ValueError, ("(2, 3)", "(2, 2)")),
    ("list-predictions", BCE, bce_fresh, lambda l: l.forward(P.tolist(), T),
     TypeError, ("y_pred", "NumPy array", "list")),
    ("list-dvalues", BCE, bce_fresh, lambda l: l.backward(P.tolist(), T),
     TypeError, ("dvalues", "NumPy array", "list")),
    ("list-targets", BCE, bce_fresh, lambda l: l.backward(P, T.tolist()),
     TypeError, ("y_true", "NumPy array", "(shape (2, 3))", "list")),
    ("string-targets", BCE, bce_fresh, lambda l: l.forward(P, np.full((2, 3), "1")),
     TypeError, ("numbers", "<U1")),
    ("1-D-predictions", BCE, bce_fresh, lambda l: l.forward(P[0], T[0]),
     ValueError, ("(3,)", "2-D")),
    # Loss_MeanSquaredError / Loss_MeanAbsoluteError ---------------------------------
    ("targets-wrong-shape", MSE, mse_fresh, lambda l: l.forward(P, T.T),
     ValueError, ("(2, 3)", "(3, 2)")),
    ("list-dvalues", MSE, mse_fresh, lambda l: l.backward(P.tolist(), T),
     TypeError, ("dvalues", "NumPy array", "list")),
    ("list-predictions", MSE, mse_fresh, lambda l: l.forward(P.tolist(), T),
     TypeError, ("y_pred", "NumPy array", "list")),
    ("integer-predictions", MSE, mse_fresh, lambda l: l.forward(np.ones((2, 3), np.int64), T),
     TypeError, ("int64", "floating")),
    ("targets-wrong-shape", MAE, mae_fresh, lambda l: l.backward(P, T[:1]),
     ValueError, ("(2, 3)", "(1, 3)")),
    ("list-targets", MAE, mae_fresh, lambda l: l.forward(P, T.tolist()),
     TypeError, ("NumPy array", "list")),
    ("1-D-predictions", MAE, mae_fresh, lambda l: l.forward(P[0], T[0]),
     ValueError, ("y_pred", "(3,)", "2-D")),
    ("list-dvalues", MAE, mae_fresh, lambda l: l.backward(P.tolist(), T),
     TypeError, ("dvalues", "NumPy array", "list")),
    # Loss: the chapter 18-19 API ----------------------------------------------------
    ("regularization-loss-without-layers", CCE, cce_fresh, lambda l: l.regularization_loss(),
     RuntimeError, ("regularization_loss(layer)", "remember_trainable_layers(layers)")),
    ("regularization-loss-of-a-non-layer", CCE, cce_fresh,
     lambda l: l.regularization_loss(Activation_ReLU()), TypeError, ("Activation_ReLU",
                                                                     ".weights")),
    ("accumulated-before-calculate", MSE, mse_fresh, lambda l: l.calculate_accumulated(),
     RuntimeError, ("calculate()", "none")),
    ("remember-a-non-list", BCE, bce_fresh,
     lambda l: l.remember_trainable_layers(Layer_Dense(3, 2)), TypeError, ("list", "Layer_Dense")),
    # Accuracy_Categorical -------------------------------------------------------------
    ("predictions-vs-labels-count", ACC_CAT, acc_cat_fresh,
     lambda a: a.calculate(np.array([0, 1, 2]), Y), ValueError, ("(3,)", "(2,)")),
    ("column-predictions-vs-sparse-labels", ACC_CAT, acc_cat_fresh,
     lambda a: a.calculate(Y[:, None], Y), ValueError, ("(2, 1)", "(2,)")),
    ("one-hot-count", ACC_CAT, acc_cat_fresh,
     lambda a: a.calculate(np.array([0, 1, 2]), Y_ONE_HOT), ValueError, ("(3, n_classes)",
                                                                          "(2, 3)")),
    ("list-predictions", ACC_CAT, acc_cat_fresh, lambda a: a.calculate([0, 2], Y),
     TypeError, ("predictions", "NumPy array", "(one per target)", "list")),
    ("list-labels", ACC_CAT, acc_cat_fresh, lambda a: a.calculate(Y, [0, 2]),
     TypeError, ("y", "NumPy array", "(the targets, one per prediction)", "list")),
    ("accumulated-before-calculate", ACC_CAT, acc_cat_fresh,
     lambda a: a.calculate_accumulated(), RuntimeError, ("calculate()", "none")),
    # Accuracy_Regression -------------------------------------------------------------
    ("compare-before-init", ACC_REG, acc_reg_fresh, lambda a: a.calculate(T, T),
     RuntimeError, ("init(y)", "None")),
    ("init-with-list", ACC_REG, acc_reg_fresh, lambda a: a.init(T.tolist()),
     TypeError, ("y", "NumPy array", "(the regression targets)", "list")),
    ("init-with-no-targets", ACC_REG, acc_reg_fresh, lambda a: a.init(np.array([])),
     ValueError, ("numeric", "(0,)")),
    ("1-D-predictions-vs-2-D-targets", ACC_REG, acc_reg_ready,
     lambda a: a.calculate(np.zeros(2), T), ValueError, ("(2,)", "(2, 3)")),
    ("init-with-strings", ACC_REG, acc_reg_fresh, lambda a: a.init(np.array(["a", "b"])),
     ValueError, ("numeric", "<U1")),
    ("predictions-vs-targets-shape", ACC_REG, acc_reg_ready, lambda a: a.calculate(T, T.T),
     ValueError, ("(2, 3)", "(3, 2)")),
    # Optimizers: bad settings, and a layer without gradients ---------------------------
    ("negative-learning-rate", SGD, fresh(Optimizer_SGD), constructed_again(learning_rate=-1),
     ValueError, ("learning_rate", "(0, inf)", "-1.0")),
    ("negative-momentum", SGD, fresh(Optimizer_SGD), constructed_again(momentum=-0.5),
     ValueError, ("momentum", "[0, inf)", "-0.5")),
    ("layer-without-gradients", SGD, fresh(Optimizer_SGD),
     lambda o: o.update_params(NoGradients()), RuntimeError, (".dweights", "backward()")),
    ("not-a-layer", SGD, fresh(Optimizer_SGD), lambda o: o.update_params([np.ones(2)]),
     TypeError, (".weights", "list")),
    ("gradient-wrong-shape", SGD, fresh(Optimizer_SGD),
     lambda o: o.update_params(with_gradients(dbiases=np.ones((2, 1)))),
     ValueError, ("(1, 2)", "(2, 1)")),
    ("integer-weights", SGD, fresh(Optimizer_SGD),
     lambda o: o.update_params(with_gradients(weights=np.ones((3, 2), np.int64))),
     TypeError, ("layer.weights", "floating-point", "ndarray", "int64")),
    ("list-biases", SGD, fresh(Optimizer_SGD),
     lambda o: o.update_params(with_gradients(biases=[[1.0, 1.0]])),
     TypeError, ("layer.biases", "floating-point", "list")),
    ("zero-epsilon", ADAGRAD, fresh(Optimizer_Adagrad), constructed_again(epsilon=0),
     ValueError, ("epsilon", "(0, inf)", "0.0")),
    ("negative-decay", ADAGRAD, fresh(Optimizer_Adagrad), constructed_again(decay=-1e-4),
     ValueError, ("decay", "[0, inf)", "-0.0001")),
    ("layer-without-gradients", ADAGRAD, fresh(Optimizer_Adagrad),
     lambda o: o.update_params(NoGradients()), RuntimeError, (".dweights", "backward()")),
    ("rho-1", RMSPROP, fresh(Optimizer_RMSprop), constructed_again(rho=1.0),
     ValueError, ("rho", "[0, 1)", "1.0")),
    ("rho-negative", RMSPROP, fresh(Optimizer_RMSprop), constructed_again(rho=-0.1),
     ValueError, ("rho", "[0, 1)", "-0.1")),
    ("layer-without-gradients", RMSPROP, fresh(Optimizer_RMSprop),
     lambda o: o.update_params(NoGradients()), RuntimeError, (".dweights", "backward()")),
    ("beta-1-is-1", ADAM, fresh(Optimizer_Adam), constructed_again(beta_1=1.0),
     ValueError, ("beta_1", "[0, 1)", "1.0")),
    ("beta-2-above-1", ADAM, fresh(Optimizer_Adam), constructed_again(beta_2=1.5),
     ValueError, ("beta_2", "[0, 1)", "1.5")),
    ("beta-1-negative", ADAM, fresh(Optimizer_Adam), constructed_again(beta_1=-0.9),
     ValueError, ("beta_1", "[0, 1)", "-0.9")),
    ("learning-rate-string", ADAM, fresh(Optimizer_Adam), constructed_again(learning_rate="1e-3"),
     TypeError, ("learning_rate", "real number", "'1e-3'")),
    ("layer-without-gradients", ADAM, fresh(Optimizer_Adam),
     lambda o: o.update_params(NoGradients()), RuntimeError, (".dweights", "backward()")),
    ("state-of-another-shape", ADAM, fresh(Optimizer_Adam),
     lambda o: o.update_params(with_gradients(weight_cache=np.zeros((2, 3)))),
     ValueError, ("layer.weight_cache", "(2, 3)", "(3, 2)")),
    ("bias-state-of-another-shape", ADAM, fresh(Optimizer_Adam),
     lambda o: o.update_params(with_gradients(bias_momentums=np.zeros((2, 1)))),
     ValueError, ("layer.bias_momentums", "(2, 1)", "(1, 2)")),
    # Model -------------------------------------------------------------------------------
    ("add-a-non-layer", MODEL, fresh(Model), lambda m: m.add(np.ones(3)),
     TypeError, ("forward()", "ndarray")),
    ("add-a-layer-without-backward", MODEL, fresh(Model), lambda m: m.add(ForwardOnly()),
     TypeError, ("forward()", "backward()", "ForwardOnly")),
    ("set-a-non-loss", MODEL, fresh(Model), lambda m: m.set(loss="cce"),
     TypeError, ("loss", "calculate()", "str")),
    ("set-a-non-optimizer", MODEL, fresh(Model), lambda m: m.set(optimizer="adam"),
     TypeError, ("optimizer", "update_params()", "str")),
    ("set-a-non-accuracy", MODEL, fresh(Model), lambda m: m.set(accuracy=0.5),
     TypeError, ("accuracy", "calculate()", "float")),
    ("finalize-without-layers", MODEL, fresh(Model), lambda m: m.finalize(),
     RuntimeError, ("add(layer)", "none")),
    ("train-before-finalize", MODEL, model(finalized=False), lambda m: m.train(X, Y),
     RuntimeError, ("finalize()",)),
    ("predict-before-finalize", MODEL, model(finalized=False), lambda m: m.predict(X),
     RuntimeError, ("finalize()",)),
    ("train-without-optimizer", MODEL,
     model(loss=Loss_CategoricalCrossentropy(), accuracy=Accuracy_Categorical()),
     lambda m: m.train(X, Y), RuntimeError, ("set(optimizer=...)", "none")),
    ("labels-count", MODEL, model(), lambda m: m.train(X, np.array([0, 1, 1])),
     ValueError, ("2", "3")),
    ("list-data", MODEL, model(), lambda m: m.train(X.tolist(), Y),
     TypeError, ("X", "NumPy array", "(one sample per row)", "list")),
    ("list-labels", MODEL, model(), lambda m: m.train(X, Y.tolist()),
     TypeError, ("y", "NumPy array", "(one target per sample)", "list")),
    ("zero-print-every", MODEL, model(), lambda m: m.train(X, Y, print_every=0),
     ValueError, ("print_every", "[1, inf)", "0")),
    ("validation-labels-count", MODEL, model(),
     lambda m: m.train(X, Y, validation_data=(X, np.array([1]))), ValueError, ("2", "1")),
    ("zero-batch-size", MODEL, model(), lambda m: m.train(X, Y, batch_size=0),
     ValueError, ("batch_size", "[1, inf)", "0")),
    ("zero-epochs", MODEL, model(), lambda m: m.train(X, Y, epochs=0),
     ValueError, ("epochs", "[1, inf)", "0")),
    ("validation-data-not-a-pair", MODEL, model(),
     lambda m: m.train(X, Y, validation_data=[X, Y]), TypeError, ("(X_val, y_val)", "list")),
    ("evaluate-labels-count", MODEL, model(), lambda m: m.evaluate(X, np.array([1])),
     ValueError, ("2", "1")),
    ("evaluate-zero-batch-size", MODEL, model(), lambda m: m.evaluate(X, Y, batch_size=0),
     ValueError, ("batch_size", "[1, inf)", "0")),
    ("evaluate-without-loss", MODEL, model(accuracy=Accuracy_Categorical()),
     lambda m: m.evaluate(X, Y), RuntimeError, ("set(loss=...)", "none")),
    ("predict-zero-batch-size", MODEL, model(), lambda m: m.predict(X, batch_size=0),
     ValueError, ("batch_size", "[1, inf)", "0")),
    ("forward-before-finalize", MODEL, model(finalized=False), lambda m: m.forward(X, False),
     RuntimeError, ("finalize()",)),
    ("forward-list-data", MODEL, model(), lambda m: m.forward(X.tolist(), False),
     TypeError, ("X", "list")),
    ("backward-labels-count", MODEL, model(),
     lambda m: m.backward(np.full((2, 2), 0.5), np.array([1])), ValueError, ("2", "1")),
    ("backward-without-loss", MODEL, model(accuracy=Accuracy_Categorical()),
     lambda m: m.backward(np.full((2, 2), 0.5), Y), RuntimeError, ("set(loss=...)", "none")),
    ("set-parameters-count", MODEL, model(), lambda m: m.set_parameters([]),
     ValueError, ("1", "0")),
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
    assert message == message.rstrip(), f"the message ends in whitespace: {message!r}"


def test_a_parameter_that_is_no_array_is_named_by_its_type_alone():
    with pytest.raises(TypeError) as raised:
        Optimizer_SGD().update_params(with_gradients(biases=[[1.0, 1.0]]))
    assert str(raised.value).endswith("(it is updated in place), received list")


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


LATER_REQUIRED = {
    SIGMOID: {"1-D-inputs", "list-inputs", "backward-before-forward", "wrong-dvalues-shape"},
    LINEAR: {"1-D-inputs", "list-inputs", "backward-before-forward", "wrong-dvalues-shape"},
    DROPOUT: {"rate-1", "rate-negative", "1-D-inputs", "list-inputs", "backward-before-forward",
              "wrong-dvalues-shape"},
    INPUT: {"1-D-inputs", "list-inputs"},
    BCE: {"target-above-1", "target-below-0", "targets-wrong-shape", "list-predictions"},
    MSE: {"targets-wrong-shape", "list-predictions"},
    MAE: {"targets-wrong-shape", "list-targets"},
    ACC_CAT: {"predictions-vs-labels-count", "list-predictions", "accumulated-before-calculate"},
    ACC_REG: {"compare-before-init", "init-with-list", "predictions-vs-targets-shape"},
    SGD: {"layer-without-gradients", "negative-learning-rate"},
    ADAGRAD: {"layer-without-gradients", "zero-epsilon"},
    RMSPROP: {"layer-without-gradients", "rho-1", "rho-negative"},
    ADAM: {"layer-without-gradients", "beta-1-is-1", "beta-2-above-1", "beta-1-negative"},
    DENSE: {"negative-l1", "negative-l2", "list-inputs", "list-dvalues"},
    MODEL: {"train-before-finalize", "labels-count", "list-data"},
}


def test_every_later_class_has_rows_for_every_kind_of_mistake():
    kinds = {(component, row_id) for row_id, component, *_ in BAD_INPUTS}
    absent = {(c, k) for c, ks in LATER_REQUIRED.items() for k in ks} - kinds
    assert not absent, f"no row in BAD_INPUTS for {sorted(absent)}"
