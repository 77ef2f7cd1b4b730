"""Formatting for scripts/compare_gradients.py: one quantity, the implementation's
values next to torch's, in an 80-column terminal.

The verdict itself always comes from tests/compare.py (the suite's policy); this
module only recomputes the per-element differences it needs for display, with
the same rules (non-finite values must match exactly).
"""
import textwrap
from dataclasses import dataclass, field

import numpy as np

from . import tolerances
from .compare import Verdict, compare

PREVIEW = 3          # leading elements shown for every array
MAX_SHOWN_BAD = 3    # disagreeing elements shown, besides the worst one
SHOW_ALL_UP_TO = 6   # arrays this small are shown whole
VALUE_WIDTH = 22
ROW_INDENT = "   "


@dataclass
class Quantity:
    """One compared quantity of one section of the report."""
    section: str             # component name, "spiral network", "single neuron"
    name: str                # output, dweights, dense1.dinputs, loss per iteration, ...
    verdict: Verdict
    yours: object = None     # as returned by the implementation
    theirs: object = None    # torch's ndarray
    limit: object = None     # elementwise allowed |diff| (ndarray), None on a problem
    diff: object = None
    rel: object = None
    bad: object = None
    labels: object = None    # flat index -> row label; default: the array index
    always: tuple = ()       # flat indices always shown (e.g. the last iterations)
    notes: list = field(default_factory=list)   # diagnosis lines, shown when it disagrees

    @property
    def ok(self):
        return self.verdict.ok

    @property
    def plottable(self):
        return self.diff is not None and np.ndim(self.theirs) > 0


def judge(section, name, yours, theirs, error_scale, dtype, labels=None, always=()):
    """Compare with tests/compare.py and keep what the display needs."""
    verdict = compare(section, name, yours, theirs, error_scale, dtype)
    q = Quantity(section, name, verdict, yours, np.asarray(theirs), labels=labels,
                 always=tuple(always))
    e = np.asarray(theirs, dtype=np.float64)
    try:   # on a dtype problem the values are still worth showing
        a = np.asarray(yours, dtype=np.float64)
    except (TypeError, ValueError):
        return q
    if a.shape != e.shape and not (e.ndim == 0 and a.size == 1):
        return q
    a = a.reshape(e.shape)
    q.limit = np.broadcast_to(tolerances.allowed(dtype, error_scale), e.shape)
    finite = np.isfinite(e) & np.isfinite(a)
    same_special = (np.isnan(e) & np.isnan(a)) | (np.isinf(e) & (a == e))
    with np.errstate(invalid="ignore"):
        q.diff = np.where(finite, np.abs(a - e), np.where(same_special, 0.0, np.inf))
    q.bad = q.diff > q.limit
    # Relative difference; 0 where both are equal (also where torch's value is 0).
    with np.errstate(divide="ignore", invalid="ignore"):
        q.rel = np.where(q.diff == 0, 0.0, q.diff / np.abs(e))
    return q


def _ratio(q):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(q.diff / q.limit, nan=np.inf)


def worst_flat_index(q):
    """The element closest to (or furthest past) its tolerance."""
    if q.diff is None or q.diff.size == 0:
        return None
    if not q.ok and q.verdict.worst_index and not q.verdict.problem:
        return int(np.ravel_multi_index(q.verdict.worst_index, q.diff.shape))
    return int(np.argmax(_ratio(q).ravel()))


def short(x):
    """1.2e-16 style; exact 0 as 0; a tolerance that is only the underflow floor
    (the quantity must match bit for bit) as 'exact'."""
    if x == 0:
        return "0"
    if 0 < x < 1e-290:
        return "exact"
    if not np.isfinite(x):
        return str(x)
    return f"{x:.1e}"


def value_text(x, dtype):
    """The shortest text that gives back this exact value in its dtype."""
    if np.ndim(x):
        x = np.asarray(x).reshape(-1)[0]
    try:
        return str(np.dtype(dtype).type(x))
    except (TypeError, ValueError):
        return repr(x)


def default_label(shape, flat):
    if not shape:
        return "scalar"
    return "[" + ", ".join(str(i) for i in np.unravel_index(flat, shape)) + "]"


def header(q):
    shape = "scalar" if q.theirs.ndim == 0 else str(tuple(q.theirs.shape))
    label = f"{q.name} {shape}"
    verdict = "agree" if q.ok else "DISAGREE"
    if q.diff is None:
        return f"  {label:<24} {verdict}"
    worst = worst_flat_index(q)
    allowed = float(q.limit.reshape(-1)[worst]) if worst is not None else 0.0
    max_abs = float(q.diff.max(initial=0.0))
    max_rel = float(np.nan_to_num(q.rel, nan=np.inf, posinf=np.inf).max(initial=0.0))
    return (f"  {label:<24} |diff| {short(max_abs):>7}  rel {short(max_rel):>7}"
            f"  tol {short(allowed):>7}  {verdict}")


def rows_to_show(q):
    """Sorted flat indices: a few leading ones, the worst, some disagreeing ones."""
    n = q.diff.size
    if n <= SHOW_ALL_UP_TO:
        return list(range(n))
    shown = set(range(PREVIEW)) | {i for i in q.always if 0 <= i < n}
    shown.add(worst_flat_index(q))
    if not q.ok:
        shown.update(np.flatnonzero(q.bad.ravel())[:MAX_SHOWN_BAD].tolist())
    return sorted(shown)


def table(q, dtype):
    """The element rows under a quantity's header."""
    lines = _wrap(f"yours {q.verdict.problem}") if q.verdict.problem else []
    if q.diff is None:
        return lines
    w = VALUE_WIDTH
    shape = q.theirs.shape
    label = q.labels or (lambda flat: default_label(shape, flat))
    width = max(7, max(len(label(i)) for i in rows_to_show(q)))
    lines.append(f"{ROW_INDENT}{'element':>{width}} {'NumPy':>{w}} {'torch':>{w}} "
                 f"{'|diff|':>7} {'tol':>7}")
    yours = np.asarray(q.yours).reshape(-1)
    theirs = q.theirs.reshape(-1)
    diff, limit, bad = q.diff.reshape(-1), q.limit.reshape(-1), q.bad.reshape(-1)
    worst = worst_flat_index(q)
    previous = -1
    for i in rows_to_show(q):
        if i > previous + 1:
            lines.append(_gap(width, bad[previous + 1:i]))
        mark = ""
        if i == worst and theirs.size > 1 and diff[i] > 0:
            mark = " worst" if not bad[i] else " WORST"
        elif bad[i]:
            mark = " x"
        lines.append(f"{ROW_INDENT}{label(i):>{width}} {value_text(yours[i], yours.dtype):>{w}} "
                     f"{value_text(theirs[i], theirs.dtype):>{w}} {short(diff[i]):>7} "
                     f"{short(limit[i]):>7}{mark}")
        previous = i
    if previous < theirs.size - 1:
        lines.append(_gap(width, bad[previous + 1:]))
    return lines


def _gap(width, skipped_bad):
    n, n_bad = skipped_bad.size, int(skipped_bad.sum())
    what = "all within tol" if n_bad == 0 else f"{n_bad} of them DISAGREE"
    return f"{ROW_INDENT}{'...':>{width}}   {n} more element{'s' if n > 1 else ''}, {what}"


def block(q, dtype):
    """Header, rows, and (when it disagrees) the diagnosis lines."""
    lines = [header(q)]
    if not q.ok and q.diff is not None and q.bad.any():
        lines.append(f"{ROW_INDENT}{int(q.bad.sum())} of {q.bad.size} elements differ "
                     f"from torch by more than tol")
    lines += table(q, dtype)
    if not q.ok:
        for note in q.notes:
            lines += _wrap(f"diagnosis: {note}")
    return lines


def _wrap(text, width=79):
    return textwrap.wrap(text, width, initial_indent=ROW_INDENT,
                         subsequent_indent=ROW_INDENT + "  ", break_on_hyphens=False)


def load_compare_script():
    """scripts/compare_gradients.py as a module, to call its main(argv) in-process
    (the tests that need no process boundary skip a second torch import)."""
    import importlib.util
    import os
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "scripts", "compare_gradients.py")
    spec = importlib.util.spec_from_file_location("compare_gradients", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script
