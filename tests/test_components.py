"""The cross-check: for every component in the registry and both dtypes, every
quantity (output, loss, dweights, dbiases, dinputs, ...) must equal torch's on
generated inputs, with torch's dtype and shape; no call may write into its
arguments; and NaN and infinity, planted in one generated case in four, must
come out where torch's do. These properties run against the implementation
chosen with --impl (numpy_impl by default).

One property per component and dtype checks all of the component's quantities
on each generated example (a failure lists every quantity that disagrees):
drawing an example costs far more than comparing one more array."""
import numpy as np
import pytest

from . import properties
from .registry import REGISTRY
from .strategies import DTYPES


def require(impl, component):
    cls = impl.find(component.class_names)
    if cls is None:
        pytest.skip(impl.missing(component))
    return cls


CASES = [pytest.param(c, d, id=f"{c.name}-{np.dtype(d).name}")
         for c in REGISTRY for d in DTYPES]


@pytest.mark.parametrize("component,dtype", CASES)
def test_matches_torch(impl, component, dtype):
    properties.matches_torch(require(impl, component), component, dtype)()
