"""Name the mistake: when a quantity disagrees with torch, say which classic
error the wrong value looks like, and how to fix it.

Two kinds of evidence, both checked on the failing input itself (a diagnosis is
never claimed without being verified there):
- the catalogue (tests/mutants/catalogue.py): every catalogued mistake is applied
  to a copy of numpy_impl and run on the same case; a mistake is named when its
  result differs from torch's and reproduces yours within the tolerance;
- simple relations that need no catalogue entry: a constant factor (the batch
  size, 2, -1, ...), a transpose, a missing keepdims, float32 precision in a
  float64 result, the wrong dtype, NaN/inf where torch is finite.
When nothing matches, it says so.
"""
import tempfile
from functools import lru_cache

import numpy as np

from .check import run_on_copies
from .compare import compare
from .mutants.apply import load_mistake
from .mutants.catalogue import Mistake, all_mistakes

NOTHING = "no known mistake matches"


@lru_cache(maxsize=None)
def loaded_mistakes():
    """Every catalogued mistake, loaded once per process: [(mistake, Implementation)]."""
    folder = tempfile.mkdtemp(prefix="crosscheck-mistakes-")
    loaded = []
    for mistake in all_mistakes():
        try:
            loaded.append((mistake, load_mistake(mistake, folder)))
        except Exception:  # a stale catalogue entry; the kill test reports those
            continue
    return loaded


def _mistake_implementations():
    """The loaded mistakes in the registry's components (not the optimizers')."""
    return [(m, impl) for m, impl in loaded_mistakes() if m.file != "optimizers.py"]


@lru_cache(maxsize=None)
def _unpatched():
    """numpy_impl copied by the same machinery, with no mistake applied: what each
    mistake is measured against."""
    return load_mistake(Mistake("unpatched", "", "", None, None, "", ""),
                        tempfile.mkdtemp(prefix="crosscheck-unpatched-"))


def _close(a, b, scale, dtype):
    try:
        return compare("", "", a, b, scale, dtype).ok
    except Exception:
        return False


def catalogue_matches(component, quantity, case, yours, theirs, scale):
    """The catalogued mistakes whose result, on this case, is wrong the way yours is."""
    found = []
    for mistake, result, unpatched in _run_mistakes(component, case):
        if isinstance(result, Exception) or result[0].get(quantity) is None:
            continue
        value = result[0][quantity]
        if _same(value, theirs, scale, case.dtype) or (
                not isinstance(unpatched, Exception)
                and _same(value, unpatched[0].get(quantity), scale, case.dtype)):
            continue  # this mistake does not show on this input: no evidence either way
        if _same(yours, value, scale, case.dtype):
            found.append(_named(mistake))
    return found


def _same(a, b, scale, dtype):
    """a and b agree: same shape and dtype, equal within the tolerance (NaN = NaN)."""
    try:
        a, b = np.asarray(a), np.asarray(b)
    except Exception:
        return False
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    try:
        scale = np.broadcast_to(scale, b.shape)
    except ValueError:  # b has another shape than torch's: bound by its own size
        scale = 16 * np.abs(b.astype(np.float64))
    return _close(a, b, scale, dtype)


def _attempt(cls, component, case):
    """run_on_copies's (quantities, changed arguments), or the exception it raised."""
    try:
        with np.errstate(all="ignore"):
            return run_on_copies(cls, component, case)
    except Exception as exc:
        return exc


def _run_mistakes(component, case):
    """(mistake, its result, the unpatched copy's result) for every catalogued
    mistake in this component; a result is _attempt's. A mistake is evidence only
    where its result differs from the unpatched copy's: every copy also carries the
    rest of numpy_impl, so what they share (even a fault of numpy_impl itself)
    says nothing about the mistake."""
    unpatched = None
    for mistake, impl in _mistake_implementations():
        cls = impl.find(component.class_names)
        if cls is None or mistake.component != component.name:
            continue
        if unpatched is None:
            unpatched = _attempt(_unpatched().find(component.class_names), component, case)
        yield mistake, _attempt(cls, component, case), unpatched


def _named(mistake):
    return f"looks like: {mistake.description} (fix: {mistake.fix}) [{mistake.name}]"


def diagnose_exception(component, case, error):
    """Catalogued mistakes that raise the same error on this case."""
    def same_error(result):
        return (isinstance(result, Exception) and type(result) is type(error)
                and str(result) == str(error))
    found = [_named(mistake) for mistake, result, unpatched in _run_mistakes(component, case)
             if same_error(result) and not same_error(unpatched)]
    return found or [NOTHING]


def relations(component, quantity, case, yours, theirs, scale):
    """Relations between your value and torch's that explain the difference."""
    dtype = np.dtype(case.dtype)
    theirs = np.asarray(theirs)
    try:
        yours = np.asarray(yours)
    except Exception:
        return []
    if not np.issubdtype(yours.dtype, np.number):
        return []
    found = []
    scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), theirs.shape)
    if yours.dtype != theirs.dtype and yours.shape == theirs.shape:
        found.append(f"your {quantity} has dtype {yours.dtype} where torch's is "
                     f"{theirs.dtype}: an array of another dtype was mixed in (np.zeros, "
                     f"np.eye and np.ones make float64 arrays, integer labels promote "
                     f"float32 to float64; cast with astype to the inputs' dtype)")
    if yours.shape != theirs.shape:
        if yours.shape == theirs.T.shape and theirs.ndim == 2:
            if _close(yours.T.astype(theirs.dtype), theirs, scale, dtype):
                found.append(f"your {quantity} is TRANSPOSED: it equals torch's .T "
                             f"(swap the operands of the product, or transpose)")
        elif yours.size == theirs.size and _close(yours.reshape(theirs.shape).astype(
                theirs.dtype), theirs, scale, dtype):
            found.append(f"your {quantity} has the right values but shape {yours.shape}, "
                         f"torch's is {theirs.shape} (keepdims=True keeps the summed axis)")
        return found
    a = yours.astype(np.float64)
    e = theirs.astype(np.float64)
    if (~np.isfinite(a) & np.isfinite(e)).any():
        found.append(f"your {quantity} has NaN or inf where torch's is finite: an "
                     f"overflow (exp of a large number), log(0), or 0/0")
        return found
    n = case.arrays[component.arguments[0]].shape[0] if case.arrays else 1
    factors = [(-1.0, "has the wrong SIGN (it is -1 times torch's)"),
               (2.0, "is 2 times torch's"), (0.5, "is half of torch's"),
               (float(n), f"is N = {n} (the batch size) times torch's: not divided by the "
                          f"batch size"),
               (1.0 / n, f"is torch's divided by N = {n} (the batch size): divided once "
                         f"too often, or a mean where torch sums")]
    for name, array in case.arrays.items():
        if np.issubdtype(array.dtype, np.unsignedinteger):
            wrapped = -float(np.iinfo(array.dtype).max)   # -x of an unsigned 1 is max
            factors.append((wrapped, f"is {wrapped:g} times torch's: negating the unsigned "
                                     f"{array.dtype} {name} wrapped around (-1 became "
                                     f"{-wrapped:g}); cast them to the predictions' dtype "
                                     f"first"))
    if np.any(e != 0):
        for factor, words in factors:
            if factor != 1.0 and _close(a, factor * e, abs(factor) * scale, dtype):
                found.append(f"your {quantity} {words}")
    if dtype == np.float64 and _computed_in_float32(component, quantity, case, a, e, scale):
        found.append(f"your float64 {quantity} agrees with torch only to float32 precision "
                     f"(~1e-7 relative): part of it was computed in float32 (nnfs.init() "
                     f"makes np.dot do that; so does astype(np.float32))")
    return found


def _computed_in_float32(component, quantity, case, a, e, scale):
    """Your float64 result equals torch's result computed in float32 from the same
    inputs, and that float32 result is measurably different from float64's."""
    arrays = {k: v.astype(np.float32) if v.dtype == np.float64 else v
              for k, v in case.arrays.items()}
    try:
        e32 = np.asarray(component.reference(
            case.__class__(np.float32, case.regime, arrays))[quantity], dtype=np.float64)
    except Exception:
        return False
    return _close(a, e32, scale, np.float32) and not _close(e32, e, scale, np.float64)


def diagnose(component, quantity, case, yours, theirs, scale):
    """Diagnosis lines for one disagreeing quantity (never empty)."""
    lines = catalogue_matches(component, quantity, case, yours, theirs, scale)
    lines += relations(component, quantity, case, yours, theirs, scale)
    return lines or [NOTHING]


def diagnose_in_place(component, case, changed):
    """Catalogued mistakes that write into the same arguments on this case."""
    def writes(result):
        return not isinstance(result, Exception) and result[1] == changed
    found = [_named(mistake) for mistake, result, unpatched in _run_mistakes(component, case)
             if changed and writes(result) and not writes(unpatched)]
    return found or [NOTHING]
