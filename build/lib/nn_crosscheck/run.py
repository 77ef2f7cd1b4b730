"""Run the cross-check of one implementation: every check of the registry (or
some), in the dtypes asked for. Both commands and the pytest plugin use this.

    target = make_target("my_nn.py")
    for check, dtype in units(checks):
        check_run = run_check(check, dtype, target, max_examples=100)
"""
import numpy as np

from .binding import Binder, ROLES
from .components import ORDER, REGISTRY
from .constants import DTYPES
from .engine import Target, run_check
from .loader import load


def make_target(spec=None, *, run_module_code=False, declared=None, cwd=None):
    """Load the implementation and bind its names (loader, then binding)."""
    implementation = load(spec, run_module_code=run_module_code, cwd=cwd)
    binder = Binder(implementation.module, implementation.label, declared)
    return Target(implementation, binder)


def select(checks=REGISTRY, only=None):
    """The checks named `only` (a book class or scenario name, any case), or all."""
    if not only:
        return list(checks)
    wanted = only.lower()
    chosen = [c for c in checks if c.name.lower() == wanted or c.id.lower() == wanted]
    if not chosen:
        names = sorted({c.name for c in checks}, key=lambda n: ORDER.get(n, 0))
        raise ValueError(f"unknown component {only!r}; the checks are: {', '.join(names)}")
    return chosen


def units(checks, dtypes=DTYPES):
    """(check, dtype) for every check and each of its dtypes asked for."""
    return [(c, d) for c in checks for d in c.dtypes
            if np.dtype(d) in [np.dtype(x) for x in dtypes]]


def run_all(target, checks, dtypes=DTYPES, *, max_examples, user_seed=0, progress=None):
    """[(check, dtype, CheckRun)] for every unit, in the book's order."""
    results = []
    for check, dtype in units(checks, dtypes):
        if progress:
            progress(check, dtype)
        results.append((check, dtype, run_check(check, dtype, target,
                                                max_examples=max_examples,
                                                user_seed=user_seed)))
    return results


def did_you_mean(target):
    """Lines for a file in which nothing was checked: its classes, the closest
    book names."""
    return target.binder.unbound_classes(list(ROLES))
