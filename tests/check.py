"""Run one component on one case, on both sides, and judge each quantity."""
import numpy as np

from .compare import compare


def copies(case, names):
    return {name: np.array(case.arrays[name], copy=True) for name in names}


def run_both(impl_class, component, case):
    """(yours, torch's, error scales). The implementation gets its own copies of
    the inputs, so a component that writes into its arguments cannot change what
    torch sees or what the other quantities are compared against."""
    theirs = component.reference(case)
    scales = component.error_scale(case)
    mine = case.__class__(case.dtype, case.regime, dict(case.arrays))
    mine.arrays.update(copies(case, component.arguments))
    yours = component.run(impl_class, mine)
    return yours, theirs, scales


def verdicts(impl_class, component, case, quantities=None):
    yours, theirs, scales = run_both(impl_class, component, case)
    return [compare(component.name, q, yours[q], theirs[q], scales[q], case.dtype)
            for q in (quantities or component.quantities)]


def changed_arguments(impl_class, component, case):
    """Names of the arguments the implementation modified in place."""
    pristine = copies(case, component.arguments)
    given = copies(case, component.arguments)
    mine = case.__class__(case.dtype, case.regime, dict(case.arrays))
    mine.arrays.update(given)
    component.run(impl_class, mine)
    return [name for name in component.arguments
            if not np.array_equal(given[name], pristine[name], equal_nan=True)]
