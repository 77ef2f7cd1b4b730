"""The diagnosis names a mistake only when it is verified: on the failing case and
on a second, non-degenerate one. Relations (a factor, a sign, a transpose, a
dtype, a NaN leak, float32 arithmetic) and catalogue entries alike; otherwise
`no known mistake matches`."""
import os
import textwrap

import numpy as np
import pytest

from nn_crosscheck.components import BY_ID
from nn_crosscheck.engine import run_check
from nn_crosscheck.run import make_target

NOTHING = "no known mistake matches"

# Each: a subclass of a numpy_impl class that spoils one quantity after the
# correct computation, the check, the dtype, and words the diagnosis must hold.
SPOILED = {
    "sign": ("Layer_Dense", "self.dweights = -self.dweights", np.float64, "wrong SIGN"),
    "factor 2": ("Layer_Dense", "self.dweights = 2 * self.dweights", np.float64,
                 "is 2 times torch's"),
    "transposed": ("Layer_Dense", "self.dweights = np.ascontiguousarray(self.dweights.T)",
                   np.float64, "TRANSPOSED"),
    "float32 arithmetic": ("Layer_Dense",
                           "self.dinputs = np.dot(dvalues.astype(np.float32), "
                           "self.weights.T.astype(np.float32)).astype(dvalues.dtype)",
                           np.float64, "computed in float32"),
    "float64 result": ("Activation_Softmax", "self.dinputs = self.dinputs.astype(np.float64)",
                       np.float32, "has dtype float64 where torch's is float32"),
    "unknown": ("Activation_Softmax", "self.dinputs = self.dinputs + 1e-3", np.float64,
                NOTHING),
    "passed through": ("Activation_Softmax", "self.dinputs = dvalues.copy()", np.float64,
                       "equals the dvalues it was given, unchanged"),
    "combined gradient": ("Loss_CategoricalCrossentropy",
                          "self.dinputs = (dvalues - (np.eye(dvalues.shape[1])[args[0]] "
                          "if args[0].ndim == 1 else args[0])) / len(dvalues)", np.float64,
                          "this class is the combined one"),
    # off by 1e-12 relative: past float64 rounding, far below float32's, so not float32
    "a little off in float64": ("Layer_Dense", "self.dinputs = self.dinputs * (1 + 1e-12)",
                                np.float64, NOTHING),
}


def spoiled(tmp_path, name, class_name, statement):
    source = textwrap.dedent(f"""
        import numpy as np
        import numpy_impl

        class {class_name}(numpy_impl.{class_name}):
            def backward(self, dvalues, *args):
                super().backward(dvalues, *args)
                {statement}
        """)
    path = tmp_path / f"spoiled_{name.replace(' ', '_')}.py"
    path.write_text(source)
    return make_target(str(path))


def failing(target, check_name, dtype, examples=25):
    run = run_check(BY_ID[check_name], dtype, target, max_examples=examples)
    return [v for v in run.verdicts if v.failed]


@pytest.mark.parametrize("name", list(SPOILED))
def test_the_diagnosis_names_the_relation(tmp_path, name):
    class_name, statement, dtype, words = SPOILED[name]
    bad = failing(spoiled(tmp_path, name, class_name, statement), class_name, dtype)
    assert bad, f"the spoiled {class_name} ({name}) was not caught"
    text = " ".join(line for v in bad for line in v.diagnosis)
    assert words in text, text
    if words == NOTHING:
        assert all(v.diagnosis == [NOTHING] for v in bad)


def test_a_mistake_that_only_looks_right_on_one_row_is_not_named(tmp_path):
    """Summing over axis=0 in the softmax backward equals the diagonal-only
    mistake on a one-row batch (where Hypothesis shrinks to), but not on a
    second, larger case: only the right one is named."""
    path = tmp_path / "axis0.py"
    path.write_text(textwrap.dedent("""
        import numpy as np
        import numpy_impl

        class Activation_Softmax(numpy_impl.Activation_Softmax):
            def backward(self, dvalues):
                s = self.output
                self.dinputs = s * (dvalues - np.sum(dvalues * s, axis=0, keepdims=True))
        """))
    bad = failing(make_target(str(path)), "Activation_Softmax", np.float64)
    named = {m for v in bad for m in v.mistakes}
    assert named == {"softmax-backward-wrong-axis"}, [v.diagnosis for v in bad]


def test_a_relu_using_less_than_is_named_once_and_said_to_be_at_the_kink(tmp_path):
    path = tmp_path / "relu.py"
    path.write_text(textwrap.dedent("""
        import numpy as np

        class Activation_ReLU:
            def forward(self, inputs):
                self.inputs = inputs
                self.output = np.maximum(0, inputs)

            def backward(self, dvalues):
                self.dinputs = dvalues.copy()
                self.dinputs[self.inputs < 0] = 0
        """))
    bad = failing(make_target(str(path)), "Activation_ReLU", np.float64)
    assert [v.quantity for v in bad] == ["dinputs"]
    assert bad[0].mistakes == ["relu-gradient-at-zero"], bad[0].diagnosis
    assert bad[0].regime == "only at a kink (both are subgradients)"


def test_a_nan_that_leaks_into_other_elements_is_named_as_a_leak(tmp_path):
    """Sparse labels made one-hot and multiplied: a NaN in another class's
    prediction leaks into the label's gradient, where torch picks the label."""
    path = tmp_path / "leak.py"
    path.write_text(textwrap.dedent("""
        import numpy as np

        class Loss_CategoricalCrossentropy:
            def backward(self, dvalues, y_true):
                n, k = dvalues.shape
                if y_true.ndim == 1:
                    y_true = np.eye(k)[y_true]
                y_true = y_true.astype(dvalues.dtype)
                clipped = np.clip(dvalues, 1e-7, 1 - 1e-7)
                correct = np.sum(clipped * y_true, axis=1, keepdims=True)
                passes = dvalues == clipped
                self.dinputs = np.where(passes, -y_true / correct, 0) / n
        """))
    bad = failing(make_target(str(path)), "Loss_CategoricalCrossentropy", np.float64, 50)
    leak = [v for v in bad if v.quantity == "dinputs"]
    assert leak and leak[0].regime == "only when an input is NaN or infinite"
    assert any("leaks through a product with 0" in d for d in leak[0].diagnosis), leak[0].diagnosis


def test_an_error_is_an_error_with_the_users_file_and_line_and_the_call(tmp_path):
    path = tmp_path / "raises.py"
    path.write_text(textwrap.dedent("""
        import numpy as np

        class Layer_Dense:
            def __init__(self, n_inputs, n_neurons):
                self.weights = np.zeros((n_inputs, n_neurons))
                self.biases = np.zeros((1, n_neurons))

            def forward(self, inputs):
                self.inputs = inputs
                self.output = np.dot(inputs, self.weights) + self.biases

            def backward(self, dvalues):
                raise ValueError("not written yet")
        """))
    run = run_check(BY_ID["Layer_Dense"], np.float64, make_target(str(path)), max_examples=5)
    outcomes = {v.quantity: v for v in run.verdicts}
    assert outcomes["output"].outcome.value == "agrees"
    for q in ("dweights", "dbiases", "dinputs"):
        error = outcomes[q].error
        assert outcomes[q].outcome.value == "ERROR" and error.type == "ValueError"
        assert error.where == "raises.py, line 14" and error.message == "not written yet"
        assert error.call.startswith("layer.backward(dvalues)")


def test_a_nan_in_an_element_that_is_not_judged_is_not_called_a_leak(tmp_path):
    """The book's BCE on [[nan, 0]]: its gradient is NaN at the planted NaN (not
    judged) and wrong at the clipped 0. Nothing leaked: no leak is named."""
    from nn_crosscheck.diagnosis import relations_on
    from nn_crosscheck.engine import evaluate
    from nn_crosscheck.strategies import Case
    path = os.path.join(os.path.dirname(__file__), "fixtures", "book_bce.py")
    check = BY_ID["Loss_BinaryCrossentropy"]
    case = Case(np.float64, "non-finite input",
                dict(y_pred=np.array([[np.nan, 0.0]]), y_true=np.array([[0, 0]])),
                poison=("y_pred", (0, 0)))
    ev = evaluate(check, make_target(path), case)
    assert ev.results["dinputs"].outcome.value == "DISAGREES"
    texts = relations_on(check, "dinputs", ev)
    assert not any("NaN or inf" in text for text in texts), texts
