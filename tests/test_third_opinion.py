"""The third opinion: central finite differences of the user's own forward say
which of the user's and torch's gradients they support, and the message never
says more than its numbers: at a kink, or where the numbers cannot tell the
two apart, it says so."""
import numpy as np
import pytest

import numpy_impl
from nn_crosscheck import strategies as S
from nn_crosscheck.binding import Binder
from nn_crosscheck.components import BY_ID, REGISTRY
from nn_crosscheck.diagnosis.third_opinion import third_opinion
from nn_crosscheck.engine import Target, project_target
from nn_crosscheck.loader import Implementation


def target_with(role, cls):
    import types
    module = types.ModuleType("third_opinion_test")
    module.__dict__.update({k: v for k, v in vars(numpy_impl).items() if not k.startswith("__")})
    setattr(module, role, cls)
    return Target(Implementation(module, "test"), Binder(module, "test"))


def smooth_demo(check_id, seed=0, dtype=np.float64):
    check = BY_ID[check_id]
    return S.away_from_kinks(check.demo(np.random.default_rng(seed), dtype), check.name,
                             check.arguments)


class SoftmaxDiagonal(numpy_impl.Activation_Softmax):
    def backward(self, dvalues):
        self.dinputs = self.output * (1 - self.output) * dvalues


class DenseDbiasesMean(numpy_impl.Layer_Dense):
    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.mean(dvalues, axis=0, keepdims=True)


class SigmoidFromInputs(numpy_impl.Activation_Sigmoid):
    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.inputs) * self.inputs


@pytest.mark.parametrize("check_id,cls,quantity", [
    ("Activation_Softmax", SoftmaxDiagonal, "dinputs"),
    ("Layer_Dense", DenseDbiasesMean, "dbiases"),
    ("Activation_Sigmoid", SigmoidFromInputs, "dinputs"),
])
def test_a_wrong_backward_loses_the_vote(check_id, cls, quantity):
    check = BY_ID[check_id]
    opinion = third_opinion(check, target_with(check.roles[0], cls), smooth_demo(check_id),
                            quantity)
    assert opinion.sides_with == "torch", opinion.message()
    assert "your backward is not the derivative of your forward" in opinion.message()


@pytest.mark.parametrize("check", [c for c in REGISTRY if c.gradients], ids=lambda c: c.id)
def test_correct_code_gets_both(check):
    """Every gradient of numpy_impl, torch's and the finite differences agree
    (away from kinks): so a reference whose gradient is wrong, e.g. a mutated
    one, loses the vote."""
    case = smooth_demo(check.id, seed=1)
    for quantity in check.gradients:
        opinion = third_opinion(check, project_target(), case, quantity)
        assert opinion.sides_with == "both", opinion.message()


def test_a_kink_is_said_to_be_one():
    class ReluPassesAtZero(numpy_impl.Activation_ReLU):
        def backward(self, dvalues):
            self.dinputs = np.where(self.inputs >= 0, dvalues, 0.0)
    check = BY_ID["Activation_ReLU"]
    case = check.demo(np.random.default_rng(0), np.float64)      # has exact zeros
    opinion = third_opinion(check, target_with("Activation_ReLU", ReluPassesAtZero), case,
                            "dinputs")
    assert opinion.sides_with == "kink" and "cannot decide" in opinion.message()
    assert case.inputs[opinion.index] == 0


def test_no_opinion_on_a_gradient_of_another_shape_or_not_set():
    class DenseTransposed(numpy_impl.Layer_Dense):
        def backward(self, dvalues):
            super().backward(dvalues)
            self.dweights = np.ascontiguousarray(self.dweights.T)

    class SoftmaxWithoutBackward(numpy_impl.Activation_Softmax):
        def backward(self, dvalues):
            pass
    case = smooth_demo("Layer_Dense")
    opinion = third_opinion(BY_ID["Layer_Dense"], target_with("Layer_Dense", DenseTransposed),
                            case, "dweights")
    assert opinion.sides_with == "none" and "not compared element by element" in opinion.message()
    opinion = third_opinion(BY_ID["Activation_Softmax"],
                            target_with("Activation_Softmax", SoftmaxWithoutBackward),
                            smooth_demo("Activation_Softmax"), "dinputs")
    assert opinion.sides_with == "none" and "was not set" in opinion.message()


def test_numbers_too_coarse_to_tell_the_two_apart_are_undecided():
    class SoftmaxSlightlyOff(numpy_impl.Activation_Softmax):
        def backward(self, dvalues):
            super().backward(dvalues)
            self.dinputs = self.dinputs * (1 + 1e-12)
    check = BY_ID["Activation_Softmax"]
    opinion = third_opinion(check, target_with("Activation_Softmax", SoftmaxSlightlyOff),
                            smooth_demo("Activation_Softmax"), "dinputs")
    assert opinion.sides_with == "undecided", opinion.message()
    assert "cannot decide" in opinion.message()
