"""Run one component on one case: the implementation on copies of its arguments,
and torch."""
from dataclasses import dataclass

import numpy as np



def copies(case, names):
    return {name: np.array(case.arrays[name], copy=True) for name in names}


@dataclass
class Run:
    yours: dict       # quantity -> the implementation's value
    theirs: dict      # quantity -> torch's value
    scales: dict      # quantity -> error bound in eps (tests/tolerances.py)
    changed: list     # the arguments the implementation wrote into


def run_on_copies(impl_class, component, case):
    """(the implementation's quantities, the arguments it wrote into) on `case`.
    The implementation gets its own copies of the arguments: writing into them
    cannot change the case, and is what `changed` reports."""
    given = copies(case, component.arguments)
    mine = case.__class__(case.dtype, case.regime, dict(case.arrays))
    mine.arrays.update(given)
    yours = component.run(impl_class, mine)
    changed = [name for name in component.arguments
               if not np.array_equal(given[name], case.arrays[name], equal_nan=True)]
    return yours, changed


def run_full(impl_class, component, case):
    """Run torch and the implementation (run_on_copies) on `case`."""
    theirs = component.reference(case)
    scales = component.error_scale(case)
    yours, changed = run_on_copies(impl_class, component, case)
    return Run(yours, theirs, scales, changed)


def run_both(impl_class, component, case):
    """(yours, torch's, error scales) of run_full."""
    run = run_full(impl_class, component, case)
    return run.yours, run.theirs, run.scales
