"""Accuracy (chapter 18; accumulation in 19): Accuracy_Categorical (with
binary=True for one output per sample) and Accuracy_Regression (precision
from the standard deviation of the targets)."""
import numpy as np
import torch
from hypothesis import strategies as st

from .. import strategies as S
from ..records import Check
from ..session import NotApplicable
from .common import Case


def _mean(x):
    """torch's mean of a boolean comparison, as a float64 number."""
    return np.float64(torch.mean(x.to(torch.float64)).item())


# ---------------------------------------------------------------- Accuracy_Categorical
@st.composite
def categorical_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths(minimum=2))
    predictions = draw(S.array(np.int64, (n,), st.integers(0, k - 1)))
    kind, y = draw(S.labels(n, k))
    # Many right answers, or few: copy some of the predictions into the labels.
    sparse = np.argmax(y, axis=1) if y.ndim == 2 else y
    agree = draw(S.array(np.bool_, (n,), st.booleans()))
    sparse = np.where(agree, predictions, sparse).astype(sparse.dtype)
    y = np.eye(k, dtype=y.dtype)[sparse] if y.ndim == 2 else sparse
    cut = draw(st.integers(0, n))
    binary = draw(S.array(np.int64, (n, 1), st.integers(0, 1)))
    binary_y = draw(S.array(np.int64, (n, 1), st.integers(0, 1)))
    return Case(dtype, f"{kind} labels, {k} classes", dict(
        predictions=predictions, y=y, cut=np.array(cut), binary_predictions=binary,
        binary_y=binary_y))


def categorical_demo(rng, dtype):
    return Case(dtype, "demo", dict(predictions=np.array([0, 2, 1, 1, 0]),
                                    y=np.array([0, 1, 1, 1, 2]), cut=np.array(3),
                                    binary_predictions=np.array([[1], [0], [1], [1], [0]]),
                                    binary_y=np.array([[1], [1], [1], [0], [0]])))


def categorical_run(s, c):
    def accuracy():
        acc = s.make("Accuracy_Categorical")
        s.call(acc, "init", s.arg("y"), optional=True, stateful=False)
        s.call(acc, "new_pass", optional=True, stateful=False)
        s.call(acc, "calculate", s.arg("predictions"), s.arg("y"), returns="accuracy")

    def accumulated():
        acc = s.make("Accuracy_Categorical", var="accuracy2")
        if not s.has(acc, "calculate_accumulated"):
            raise NotApplicable(f"{acc.cls_name} has no calculate_accumulated() (chapter 19)")
        s.call(acc, "new_pass")
        cut = int(c.cut)
        predictions, y = s.arg("predictions"), s.arg("y")
        for part in (slice(0, cut), slice(cut, None)):
            if len(predictions[part]):
                s.call(acc, "calculate", predictions[part], y[part])
        s.call(acc, "calculate_accumulated", returns="accumulated_accuracy")

    def binary():
        acc = s.make("Accuracy_Categorical", settings={"binary": True}, var="binary_accuracy")
        s.call(acc, "new_pass", optional=True, stateful=False)
        s.call(acc, "calculate", s.arg("binary_predictions"), s.arg("binary_y"),
               returns="binary accuracy")
    s.step(("accuracy",), accuracy)
    s.step(("accumulated_accuracy",), accumulated)
    s.step(("binary accuracy",), binary)


def categorical_reference(c):
    y = torch.from_numpy(np.asarray(c.y).astype(np.int64))
    if y.dim() == 2:
        y = torch.argmax(y, dim=1)
    predictions = torch.from_numpy(c.predictions)
    accuracy = _mean(predictions == y)
    return {"accuracy": accuracy, "accumulated_accuracy": accuracy,
            "binary accuracy": _mean(torch.from_numpy(c.binary_predictions)
                                     == torch.from_numpy(c.binary_y))}


ACCURACY_CATEGORICAL = Check(
    name="Accuracy_Categorical", chapter=18.2, roles=("Accuracy_Categorical",),
    quantities=("accuracy", "accumulated_accuracy", "binary accuracy"),
    cases=categorical_cases, demo=categorical_demo, run=categorical_run,
    reference=categorical_reference,
    # A mean of n zeros and ones: n roundings at most.
    error_scale=lambda c: {q: 2.0 * len(c.predictions) for q in (
        "accuracy", "accumulated_accuracy", "binary accuracy")},
    arguments=("predictions", "y", "binary_predictions", "binary_y"), dtypes=(np.float64,),
    poison=False, examples=0.25)


# ---------------------------------------------------------------- Accuracy_Regression
@st.composite
def regression_cases(draw, dtype):
    n, k = draw(st.integers(2, 64)), draw(st.integers(1, 3))
    # Targets that really spread (the precision of constant targets is 0, where
    # float32 rounding alone decides every comparison).
    z = draw(S.array(np.float64, (n, k), S.reals(np.float64, -1, 1)))
    z[0, 0], z[-1, -1] = -1.0, 1.0
    y = (draw(S.reals(np.float64, -5, 5)) + draw(S.reals(np.float64, 0.1, 5)) * z).astype(dtype)
    precision = float(np.std(np.asarray(y, np.float64))) / 250
    # Predictions clearly inside or outside the precision: 0, 0.3 or 3 times it.
    steps = draw(S.array(np.float64, (n, k), st.sampled_from([0.0, 0.3, -0.3, 3.0, -3.0])))
    predictions = (np.asarray(y, np.float64) + steps * precision).astype(dtype)
    y2 = draw(S.array(dtype, (n, k), S.reals(dtype, -50, 50)))
    return Case(dtype, "targets and predictions", dict(y=y, predictions=predictions, y2=y2))


def regression_demo(rng, dtype):
    y = rng.normal(size=(5, 1)).astype(dtype)
    precision = float(np.std(y.astype(np.float64))) / 250
    predictions = (y + np.array([[0.0], [0.3], [3.0], [-0.3], [-3.0]]) * precision).astype(dtype)
    return Case(dtype, "demo", dict(y=y, predictions=predictions,
                                    y2=(10 * rng.normal(size=(5, 1))).astype(dtype)))


def regression_run(s, c):
    def accuracy():
        acc = s.make("Accuracy_Regression")
        s.call(acc, "init", s.arg("y"))
        s.read(acc, "precision")
        s.call(acc, "new_pass", optional=True, stateful=False)
        s.call(acc, "calculate", s.arg("predictions"), s.arg("y"), returns="accuracy")

    def reinit():
        acc = s.make("Accuracy_Regression", var="accuracy2")
        s.call(acc, "init", s.arg("y"), raising=("precision kept",))
        s.call(acc, "init", s.arg("y2"), raising=("precision kept",))  # keeps the first
        s.produce("precision kept", s.get(acc, "precision"))
        s.call(acc, "init", s.arg("y2"), reinit=True, raising=("precision after reinit",))
        s.produce("precision after reinit", s.get(acc, "precision"))
    s.step(("precision", "accuracy"), accuracy)
    s.step(("precision kept", "precision after reinit"), reinit)


def regression_reference(c):
    def precision(y):
        return np.float64(torch.std(torch.from_numpy(np.asarray(y, np.float64)),
                                    unbiased=False).item() / 250)
    p = precision(c.y)
    close = torch.abs(torch.from_numpy(np.asarray(c.predictions, np.float64))
                      - torch.from_numpy(np.asarray(c.y, np.float64))) < p
    return {"precision": p, "accuracy": _mean(close), "precision kept": p,
            "precision after reinit": precision(c.y2)}


def _std_scale(y):
    """std subtracts the mean before squaring: the rounding is of the size of the
    values (|mean| + std), summed over n, then divided by 250."""
    y = np.asarray(y, np.float64)
    return 4.0 * y.size * (abs(float(np.mean(y))) + float(np.std(y))) / 250


def judge_precision(quantity, yours, theirs, scale, case, unjudged):
    """np.std of float32 targets is float32: the precision is compared as a
    number (in the targets' dtype), not by dtype."""
    if "precision" not in quantity:
        return None
    from ..compare import compare
    try:
        value = np.float64(yours)
    except (TypeError, ValueError):
        return None
    return compare(value, theirs, scale, case.dtype)


ACCURACY_REGRESSION = Check(
    name="Accuracy_Regression", chapter=18.3, roles=("Accuracy_Regression",),
    quantities=("precision", "accuracy", "precision kept", "precision after reinit"),
    cases=regression_cases, demo=regression_demo, run=regression_run,
    reference=regression_reference,
    error_scale=lambda c: {"precision": _std_scale(c.y), "precision kept": _std_scale(c.y),
                           "precision after reinit": _std_scale(c.y2),
                           "accuracy": 2.0 * c.y.size},
    judge=judge_precision, arguments=("y", "predictions", "y2"), poison=False, examples=0.25)

CHECKS = (ACCURACY_CATEGORICAL, ACCURACY_REGRESSION)
