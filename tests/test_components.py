"""The cross-check: for every component in the registry, every quantity
(output, loss, dweights, dbiases, dinputs) must equal torch's, in float32 and
float64, on generated inputs. These properties run against the implementation
chosen with --impl (numpy_impl by default)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from .check import changed_arguments, verdicts
from .registry import REGISTRY
from .strategies import DTYPES


def require(impl, component):
    cls = impl.find(component.class_names)
    if cls is None:
        pytest.skip(impl.missing(component))
    return cls


def dtype_name(dtype):
    return np.dtype(dtype).name


QUANTITY_CASES = [pytest.param(c, q, d, id=f"{c.name}-{q}-{dtype_name(d)}")
                  for c in REGISTRY for q in c.quantities for d in DTYPES]
COMPONENT_CASES = [pytest.param(c, d, id=f"{c.name}-{dtype_name(d)}")
                   for c in REGISTRY for d in DTYPES]


@pytest.mark.parametrize("component,quantity,dtype", QUANTITY_CASES)
def test_matches_torch(impl, component, quantity, dtype):
    cls = require(impl, component)

    @given(case=component.cases(dtype))
    def matches_torch(case):
        verdict, = verdicts(cls, component, case, [quantity])
        assert verdict.ok, verdict.message()

    matches_torch()


@pytest.mark.parametrize("component,dtype", COMPONENT_CASES)
def test_leaves_arguments_unchanged(impl, component, dtype):
    cls = require(impl, component)

    @given(case=component.cases(dtype))
    def leaves_arguments_unchanged(case):
        changed = changed_arguments(cls, component, case)
        assert not changed, (f"{component.name} changed its argument(s) "
                             f"{', '.join(changed)} in place; forward and backward must "
                             f"leave what they are given untouched (copy before writing)")

    leaves_arguments_unchanged()


def poisoned(case, component, data):
    """The case with one element of its first real-valued argument made NaN or ±inf."""
    name = next(n for n in component.arguments
                if np.issubdtype(case.arrays[n].dtype, np.floating))
    target = case.arrays[name].copy()
    index = tuple(data.draw(st.integers(0, s - 1), label=f"{name} index") for s in target.shape)
    target[index] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]), label="value")
    arrays = dict(case.arrays, **{name: target})
    return case.__class__(case.dtype, f"{case.regime}, {name}{list(index)} non-finite", arrays)


@pytest.mark.parametrize("component,dtype", COMPONENT_CASES)
def test_non_finite_values_propagate_like_torch(impl, component, dtype):
    cls = require(impl, component)

    @given(case=component.cases(dtype), data=st.data())
    def propagates_like_torch(case, data):
        case = poisoned(case, component, data)
        with np.errstate(all="ignore"):
            results = verdicts(cls, component, case)
        bad = [v.message() for v in results if not v.ok]
        assert not bad, "\n".join(bad)

    propagates_like_torch()
