"""Run one component on one case, on both sides, and judge each quantity."""
from dataclasses import dataclass

import numpy as np

from .compare import compare


def copies(case, names):
    return {name: np.array(case.arrays[name], copy=True) for name in names}


@dataclass
class Run:
    yours: dict       # quantity -> the implementation's value
    theirs: dict      # quantity -> torch's value
    scales: dict      # quantity -> error bound in eps (tests/tolerances.py)
    changed: list     # the arguments the implementation wrote into


def run_full(impl_class, component, case):
    """Run torch and the implementation on `case`. The implementation gets its own
    copies of the arguments: writing into them cannot change what torch sees or
    what the quantities are compared with, and is reported in `changed`."""
    theirs = component.reference(case)
    scales = component.error_scale(case)
    given = copies(case, component.arguments)
    mine = case.__class__(case.dtype, case.regime, dict(case.arrays))
    mine.arrays.update(given)
    yours = component.run(impl_class, mine)
    changed = [name for name in component.arguments
               if not np.array_equal(given[name], case.arrays[name], equal_nan=True)]
    return Run(yours, theirs, scales, changed)


def run_both(impl_class, component, case):
    """(yours, torch's, error scales) of run_full."""
    run = run_full(impl_class, component, case)
    return run.yours, run.theirs, run.scales


def verdicts(impl_class, component, case, quantities=None):
    run = run_full(impl_class, component, case)
    return [compare(component.name, q, run.yours[q], run.theirs[q], run.scales[q], case.dtype)
            for q in (quantities or component.quantities)]


def changed_arguments(impl_class, component, case):
    """Names of the arguments the implementation modified in place."""
    return run_full(impl_class, component, case).changed
