"""Three opinions on every gradient: the implementation's backward pass, torch's
autograd, and central finite differences of the implementation's own forward
pass (numpy_impl.numerical.numerical_gradient, float64). Away from kinks, by
construction (tests/strategies.py: smooth_cases), all three must agree, within
the finite-difference error bound derived in tests/third_opinion.py.

The three-way property runs against the implementation under test (--impl); the
tests of third_opinion itself, on deliberately wrong gradients, are project tests.
"""
import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings

import numpy_impl
from . import strategies as S
from . import tolerances
from .check import run_both
from .compare import compare
from .registry import BY_NAME, REGISTRY
from .third_opinion import finite_difference, gradient_quantities, third_opinion

# Each example runs the component twice per input element (up to ~40 runs): a
# tenth of the profile's examples (10 by default, 300 with the thorough profile).
FEW = max(5, settings().max_examples // 10)

SMOOTH_COMPONENTS = [pytest.param(c, id=c.name) for c in REGISTRY if gradient_quantities(c)]


def require(impl, component):
    cls = impl.find(component.class_names)
    if cls is None:
        pytest.skip(impl.missing(component))
    return cls


def disagreements(who, value, fd, rounding):
    """Lines describing the elements of `value` outside the finite-difference bound."""
    value = np.asarray(value, np.float64)
    limit = fd.allowed + rounding
    with np.errstate(invalid="ignore"):
        excess = np.abs(value - fd.gradient) / limit
    bad = ~(excess <= 1)
    if not bad.any():
        return []
    i = np.unravel_index(int(np.argmax(np.nan_to_num(excess, nan=np.inf))), value.shape)
    return [f"{who} differs from finite differences at {bad.sum()} of {bad.size} elements; "
            f"worst at {list(map(int, i))}: {who} {float(value[i])!r}, finite differences "
            f"{float(fd.gradient[i])!r}, allowed +/- {limit[i]:.3g} (step {fd.step[i]:.3g})"]


@pytest.mark.parametrize("component", SMOOTH_COMPONENTS)
def test_gradients_agree_three_ways(impl, component):
    cls = require(impl, component)

    @settings(max_examples=FEW)
    @given(case=S.smooth_cases(component.demo, component.name, component.arguments))
    def agree_three_ways(case):
        yours, theirs, scales = run_both(cls, component, case)
        problems = []
        for quantity in gradient_quantities(component):
            verdict = compare(component.name, quantity, yours[quantity], theirs[quantity],
                              scales[quantity], np.float64)
            if verdict.problem:          # not set, wrong shape or dtype: nothing to compare
                problems.append(verdict.message())
                continue
            if not verdict.ok:
                problems.append(verdict.message())
            fd = finite_difference(cls, component, case, quantity)
            rounding = tolerances.allowed(np.float64, scales[quantity])
            for who, value in (("numpy", yours[quantity]), ("torch", theirs[quantity])):
                problems += [f"{component.name} {quantity}: {line}"
                             for line in disagreements(who, value, fd, rounding)]
        assert not problems, "\n".join(problems)

    agree_three_ways()


# ---------------------------------------------------------------- the third opinion itself
def smooth_demo(name, seed=0, dtype=np.float64):
    component = BY_NAME[name]
    return S.away_from_kinks(component.demo(np.random.default_rng(seed), dtype), name,
                             component.arguments)


class SoftmaxWithoutCrossTerms(numpy_impl.Activation_Softmax):
    def backward(self, dvalues):      # only the diagonal of the Jacobian
        self.dinputs = self.output * (1 - self.output) * dvalues


class DenseBiasGradientMean(numpy_impl.Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.mean(dvalues, axis=0, keepdims=True)


class DenseWeightsNotTransposed(numpy_impl.Layer_Dense):
    def backward(self, dvalues):      # inputs.T @ dvalues, scaled: the wrong size
        super().backward(dvalues)
        self.dweights = 2 * self.dweights


class CrossEntropyNoMean(numpy_impl.Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = self.dinputs * len(dvalues)


class CombinedNoMean(numpy_impl.Activation_Softmax_Loss_CategoricalCrossentropy):
    def backward(self, dvalues, y_true):
        super().backward(dvalues, y_true)
        self.dinputs = self.dinputs * len(dvalues)


class SigmoidFromInputs(numpy_impl.Activation_Sigmoid):
    def forward(self, inputs, training=True):
        super().forward(inputs)
        self.inputs = inputs

    def backward(self, dvalues):      # sigma'(x) written with the input, not the output
        self.dinputs = dvalues * (1 - self.inputs) * self.inputs


WRONG_GRADIENTS = [
    ("Activation_Softmax", SoftmaxWithoutCrossTerms, "dinputs"),
    ("Layer_Dense", DenseBiasGradientMean, "dbiases"),
    ("Layer_Dense", DenseWeightsNotTransposed, "dweights"),
    ("Loss_CategoricalCrossentropy", CrossEntropyNoMean, "dinputs"),
    ("Activation_Softmax_Loss_CategoricalCrossentropy", CombinedNoMean, "dinputs"),
    ("Activation_Sigmoid", SigmoidFromInputs, "dinputs"),
]


@pytest.mark.project
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name,cls,quantity", [pytest.param(*w, id=w[1].__name__)
                                               for w in WRONG_GRADIENTS])
def test_third_opinion_sides_with_torch_on_a_wrong_gradient(name, cls, quantity, dtype):
    opinion = third_opinion(cls, BY_NAME[name], smooth_demo(name, dtype=dtype), quantity)
    assert opinion.sides_with == "torch", opinion.message()
    assert opinion.forward_agrees
    assert "side with torch" in opinion.message()


@pytest.mark.project
@pytest.mark.parametrize("name", [c.name for c in REGISTRY if gradient_quantities(c)])
def test_third_opinion_agrees_with_both_on_correct_code(name):
    component = BY_NAME[name]
    cls = getattr(numpy_impl, component.class_names[0])
    case = smooth_demo(name, seed=1)
    for quantity in gradient_quantities(component):
        opinion = third_opinion(cls, component, case, quantity)
        assert opinion.sides_with == "both", opinion.message()


@pytest.mark.project
def test_third_opinion_sides_with_numpy_when_torch_is_wrong():
    """A reference with a deliberately wrong gradient (doubled) loses the vote."""
    softmax = BY_NAME["Activation_Softmax"]

    def doubled(case):
        result = softmax.reference(case)
        return dict(result, dinputs=2 * result["dinputs"])

    wrong_torch = dataclasses.replace(softmax, reference=doubled)
    opinion = third_opinion(numpy_impl.Activation_Softmax, wrong_torch,
                            smooth_demo("Activation_Softmax"), "dinputs")
    assert opinion.sides_with == "numpy", opinion.message()


@pytest.mark.project
def test_third_opinion_blames_the_forward_when_backward_follows_it():
    """A bias dropped from forward AND backward: the backward differentiates the
    (wrong) forward, so the numbers side with numpy and the forward is flagged."""
    class DenseNoBias(numpy_impl.Layer_Dense):
        def forward(self, inputs):
            super().forward(inputs)
            self.output = self.output - self.biases

        def backward(self, dvalues):
            super().backward(dvalues)
            self.dbiases = np.zeros_like(self.dbiases)

    opinion = third_opinion(DenseNoBias, BY_NAME["Layer_Dense"], smooth_demo("Layer_Dense"),
                            "dbiases")
    assert opinion.sides_with == "numpy", opinion.message()
    assert not opinion.forward_agrees
    assert "forward output differs" in opinion.message()


@pytest.mark.project
def test_third_opinion_recognizes_a_kink():
    """ReLU letting the gradient through at exactly 0 (torch blocks it): the
    finite differences there are the average of the two sides, so they cannot
    vote; the opinion says so instead of siding with either."""
    class ReluPassesAtZero(numpy_impl.Activation_ReLU):
        def backward(self, dvalues):
            self.dinputs = np.where(self.inputs >= 0, dvalues, 0.0)

    relu = BY_NAME["Activation_ReLU"]
    case = relu.demo(np.random.default_rng(0), np.float64)     # has exact zeros
    assert (case.inputs == 0).any()
    opinion = third_opinion(ReluPassesAtZero, relu, case, "dinputs")
    assert opinion.sides_with == "kink", opinion.message()
    assert case.inputs[opinion.index] == 0


@pytest.mark.project
def test_third_opinion_copes_with_a_missing_gradient():
    class SoftmaxWithoutBackward(numpy_impl.Activation_Softmax):
        def backward(self, dvalues):
            pass

    opinion = third_opinion(SoftmaxWithoutBackward, BY_NAME["Activation_Softmax"],
                            smooth_demo("Activation_Softmax"), "dinputs")
    assert opinion.sides_with == "torch", opinion.message()
