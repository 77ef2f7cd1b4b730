"""Name the optimizer mistake: when a parameter trajectory disagrees with torch's
(tests/test_optimizers.py), say which classic optimizer error it looks like.

The evidence is the failing run itself, as in tests/diagnosis.py: every
catalogued optimizer mistake (the catalogue's entries that patch
numpy_impl/optimizers.py, see tests/mutants/optimizers.py) is applied to a copy
of numpy_impl and driven through the same run. A mistake is named when its
trajectory differs from torch's and reproduces yours, every parameter at every
step, within the tolerance the comparison with torch used. When none does, it
says so.
"""

import numpy as np

from .diagnosis import NOTHING, _named, _same, loaded_mistakes
from .mutants.catalogue import all_mistakes


def optimizer_mistakes():
    """The catalogued mistakes that patch the optimizers."""
    return [m for m in all_mistakes() if m.file == "optimizers.py"]


def _mistake_implementations():
    """Every catalogued optimizer mistake, loaded (once per process)."""
    return [(m, impl) for m, impl in loaded_mistakes() if m.file == "optimizers.py"]


def _agree(a, b, scales, dtype):
    """Two trajectories ({name: array}) agree at every step of every parameter."""
    return set(a) == set(b) and all(_same(a[n], b[n], scales[n], dtype) for n in b)


def diagnose_trajectory(class_name, yours, theirs, scales, dtype, book_trajectory):
    """Diagnosis lines (never empty) for a disagreeing optimizer run.

    yours, theirs: {parameter name: (steps, *shape) array} of the implementation
    and of torch; scales: the error scales the comparison used; book_trajectory:
    (optimizer class) -> the same kind of dict, for the failing run.
    """
    found = []
    for mistake, impl in _mistake_implementations():
        cls = impl.find((class_name,))
        if cls is None:
            continue
        try:
            with np.errstate(all="ignore"):
                mistaken = book_trajectory(cls)
        except Exception:
            continue
        if _agree(mistaken, theirs, scales, dtype):
            continue  # this mistake does not show on this run: no evidence either way
        if _agree(yours, mistaken, scales, dtype):
            found.append(_named(mistake))
    return found or [NOTHING]
