"""The reference checks the implementation, so the reference is checked too:
torch.autograd.gradcheck (float64, finite differences against autograd's
Jacobian) on every function in reference/components.py.

Inputs come from the registry: a function is checked on the demo cases of the
first record whose reference calls it (found from the record's code, so a new
record brings its function in automatically), moved away from kinks
(nn_crosscheck/strategies.py: away_from_kinks). Arguments are matched by name, then by
position among the record's arguments (e.g. `logits` takes `inputs`); 0-d arrays
(a dropout rate) are passed as Python numbers; integer arrays (labels, masks)
and arrays held constant (y_true) are passed without requires_grad.
"""
import inspect

import numpy as np
import pytest
import torch

import reference.components as ref
from nn_crosscheck import strategies as S
from nn_crosscheck.components import REGISTRY
from nn_crosscheck.components.layers import REGULARIZER_NAMES


SEEDS = (0, 1, 2)
# gradcheck compares autograd with central differences of step 1e-6. On these
# small demos the differences are accurate to ~1e-7 relative (truncation
# ~1e-12 * |f'''|, rounding ~1e-10 * |f|), so the tolerances are tighter
# than gradcheck's defaults (atol 1e-5, rtol 1e-3).
GRADCHECK = dict(eps=1e-6, atol=1e-6, rtol=1e-5)

# Keyword arguments a record keeps outside its arrays: function -> (case -> kwargs).
# The regularization strengths are all switched on, so every penalty term is checked.
STRENGTHS = dict(zip(REGULARIZER_NAMES, (0.5, 0.25, 0.125, 0.0625)))
KEYWORDS = {
    "layer_dense_regularized": lambda case: STRENGTHS,
    "regularization_loss": lambda case: STRENGTHS,
}


def reference_functions():
    """The public functions of reference/components.py: those its __all__ names
    (not whatever else the module holds: a mutation tool adds its mutants there)."""
    return [getattr(ref, name) for name in sorted(ref.__all__)
            if inspect.isfunction(getattr(ref, name))]


def test_every_function_defined_in_the_reference_is_public():
    """So that __all__, and with it the gradcheck below, misses none of them."""
    defined = {name for name, f in inspect.getmembers(ref, inspect.isfunction)
               if f.__module__ == ref.__name__ and not name.startswith("_")}
    assert defined <= set(ref.__all__)


def functions_called_by(record):
    """Names of the reference functions a record's reference uses, read from its
    code (reference.f(...) calls) and closure (functions passed in)."""
    found = inspect.getclosurevars(record.reference)
    names = set(found.unbound) | set(found.globals)
    names |= {getattr(v, "__name__", None) for v in found.nonlocals.values()}
    return names


def record_for(function):
    """The first registry record whose reference calls `function` (or calls a
    reference function that calls it: the per-output losses), or None."""
    found = next((r for r in REGISTRY if function.__name__ in functions_called_by(r)), None)
    if found is not None:
        return found
    # (unwrapped: a decorated reference function, e.g. mutmut's trampoline, is read
    # through its wrapper)
    callers = [f for f in reference_functions()
               if function.__name__ in inspect.getclosurevars(inspect.unwrap(f)).globals]
    return next((r for f in callers for r in REGISTRY if f.__name__ in functions_called_by(r)),
                None)


def arguments_for(function, record, case):
    """(parameter names, their values, fixed keyword arguments) for `function`."""
    parameters = inspect.signature(function).parameters
    spare = [a for a in record.arguments if a != "dvalues" and a not in parameters]
    names, values = [], []
    for name, parameter in parameters.items():
        if name in case.arrays:
            source = name
        elif parameter.default is inspect.Parameter.empty:
            assert spare, f"{function.__name__}: no array of {record.name}'s demo for {name!r}"
            source = spare.pop(0)
        else:
            continue                     # a setting: KEYWORDS, or its default
        value = np.asarray(case.arrays[source])
        if value.ndim == 0:              # a setting kept as an array (dropout's rate)
            value = value.item()
        elif np.issubdtype(value.dtype, np.floating):
            value = torch.tensor(value, dtype=torch.float64,
                                 requires_grad=source not in S.HELD_CONSTANT)
        else:                            # integer labels, masks
            value = torch.from_numpy(value.copy())
        names.append(name)
        values.append(value)
    return names, values, KEYWORDS.get(function.__name__, lambda case: {})(case)


def check(function, record, case, **gradcheck_options):
    names, values, keywords = arguments_for(function, record, case)
    assert any(isinstance(v, torch.Tensor) and v.requires_grad for v in values), (
        f"{function.__name__} has no differentiable input in {record.name}'s demo")

    def closure(*args):
        return function(**dict(zip(names, args)), **keywords)
    return torch.autograd.gradcheck(closure, tuple(values), **gradcheck_options)


@pytest.mark.parametrize("function", [pytest.param(f, id=f.__name__)
                                      for f in reference_functions()])
def test_reference_gradients_pass_gradcheck(function):
    record = record_for(function)
    assert record is not None, (
        f"reference.{function.__name__} is used by no registry record, so there are no "
        f"inputs to check it on: add a record (nn_crosscheck/components) whose reference calls it")
    for seed in SEEDS:
        case = S.away_from_kinks(record.demo(np.random.default_rng(seed), np.float64),
                                 record.name, record.arguments)
        assert check(function, record, case, **GRADCHECK), (function.__name__, seed)


def test_every_reference_function_is_found():
    """The discovery is not vacuous: the core functions are there, each with its record."""
    names = {f.__name__: record_for(f) for f in reference_functions()}
    for core in ("layer_dense", "activation_relu", "activation_softmax",
                 "loss_categorical_crossentropy",
                 "activation_softmax_loss_categorical_crossentropy"):
        assert names.get(core) is not None, core


def straight_through_softmax(inputs):
    """softmax in the forward pass, the identity's gradient in the backward pass."""
    return inputs + (torch.softmax(inputs, dim=1) - inputs).detach()


def test_gradcheck_catches_a_wrong_reference_gradient():
    """The same harness, on a function whose autograd gradient is wrong, must fail."""
    record = record_for(ref.activation_softmax)
    case = S.away_from_kinks(record.demo(np.random.default_rng(0), np.float64),
                             record.name, record.arguments)
    assert check(ref.activation_softmax, record, case, **GRADCHECK)
    assert not check(straight_through_softmax, record, case, raise_exception=False,
                     **GRADCHECK)
