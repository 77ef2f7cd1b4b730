"""The one comparison: a value from the implementation against torch's, under
the tolerance policy (nn_crosscheck/tolerances.py), with its undefined points.

    c = compare(yours, torch_value, error_scale, dtype,
                unjudged=mask, kinks=Kinks(mask, low, high), clipped=mask)
    c.ok, c.what, c.regime, c.worst, c.n_bad, ...

`yours` may be anything the implementation produced (None when it set nothing);
the result says what is wrong with it: not set, not a number, another shape or
dtype, or values (and then where: everywhere, or only at a kink, at the clip
bounds). The element arrays (diff, allowed, bad) are kept for the report and
the plot.
"""
from dataclasses import dataclass, field

import numpy as np

from . import tolerances
from .verdicts import Worst

NOT_SET = object()     # the quantity was never produced (no attribute, no return value)


@dataclass
class Kinks:
    """Points where the derivative is not unique, for one gradient quantity:
    `mask` marks them; there any value in [low, high] is a valid subgradient."""
    mask: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass
class Comparison:
    ok: bool
    what: str = ""               # not set | not a number | shape | dtype | values
    detail: str = ""             # for shape and dtype
    regime: str = ""             # for values: where the bad elements are
    n_bad: int = 0
    n_total: int = 0
    shape: tuple = ()
    worst: Worst = None
    worst_ratio: float = 0.0     # max diff / allowed over the judged elements
    notes: list = field(default_factory=list)
    # element arrays (float64, torch's shape) for the report; None on a problem
    yours: np.ndarray = None
    torch: np.ndarray = None
    diff: np.ndarray = None
    allowed: np.ndarray = None
    bad: np.ndarray = None


def _as_array(yours):
    try:
        return np.asarray(yours)
    except Exception:          # an object NumPy cannot read as an array
        return None


def compare(yours, torch_value, error_scale, dtype, *, unjudged=None, kinks=None, clipped=None,
            scalar_may_be_float=True):
    """Compare one quantity (see the module docstring)."""
    dtype = np.dtype(dtype)
    expected = np.asarray(torch_value)
    c = Comparison(ok=False, n_total=int(expected.size), shape=tuple(expected.shape))
    if yours is NOT_SET or yours is None:
        c.what = "not set"
        c.detail = f"expected an array of shape {expected.shape}" if expected.ndim else \
            "expected a number"
        return c
    actual = _as_array(yours)
    if actual is None or not (np.issubdtype(actual.dtype, np.number)
                              or actual.dtype == np.bool_):
        c.what = "not a number"
        c.detail = f"received {type(yours).__name__}" + (
            f" of dtype {actual.dtype}" if actual is not None else "")
        return c
    if expected.ndim == 0:
        if actual.size != 1:
            c.what = "shape"
            c.detail = f"shape {actual.shape} where torch's is a single number"
            return c
        actual = actual.reshape(())
        # A Python number (not np.float64, which is a float subclass) has no dtype
        # of its own: only its value counts.
        python_number = type(yours) in (float, int) and scalar_may_be_float
        if actual.dtype != expected.dtype and not python_number:
            c.what = "dtype"
            c.detail = f"dtype {actual.dtype} where torch's is {expected.dtype}"
            return c
    else:
        if actual.shape != expected.shape:
            c.what = "shape"
            c.detail = f"shape {actual.shape} where torch's is {expected.shape}"
            if actual.shape == expected.T.shape and expected.ndim == 2:
                c.detail += " (its transpose)"
            return c
        if actual.dtype != expected.dtype:
            c.what = "dtype"
            c.detail = f"dtype {actual.dtype} where torch's is {expected.dtype}"
            return c
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    limit = np.broadcast_to(tolerances.allowed(dtype, error_scale), e.shape)
    diff = element_difference(a, e)
    # Identical values (the same NaN, the same infinity) always agree; any other
    # difference must be within a bound that is itself a number.
    identical = (a == e) | (np.isnan(a) & np.isnan(e))
    bad = ~identical & ~tolerances.within(diff, limit)
    judged = np.ones(e.shape, bool) if unjudged is None else ~np.broadcast_to(unjudged, e.shape)
    ignored = bad & ~judged
    bad = bad & judged
    c.yours, c.torch, c.diff, c.allowed, c.bad = a, e, diff, limit, bad
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(diff == 0, 0.0, diff / limit)
    ratio = np.nan_to_num(ratio, nan=np.inf)
    c.worst_ratio = float(np.where(judged, ratio, 0.0).max(initial=0.0))
    if ignored.any():
        c.notes.append(f"{int(ignored.sum())} element(s) differ where an input is NaN or "
                       f"infinite; the derivative is undefined there, so they are not judged")
    c.n_bad = int(bad.sum())
    c.ok = c.n_bad == 0
    if c.ok:
        return c
    c.what = "values"
    index = np.unravel_index(int(np.argmax(np.where(bad, ratio, -1.0))), e.shape) \
        if e.ndim else ()
    index = tuple(int(i) for i in index)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = float(diff[index] / abs(e[index])) if e[index] != 0 else float("inf")
    c.worst = Worst(index=index, yours=float(a[index]), torch=float(e[index]),
                    diff=float(diff[index]), rel=rel, allowed=float(limit[index]))
    c.regime = regime(bad, a, limit, kinks, clipped)
    return c


def element_difference(a, e):
    """|a - e| where both are finite; 0 where both are the same NaN/inf; inf
    where only one of them is finite or they are different infinities."""
    finite = np.isfinite(e) & np.isfinite(a)
    same_special = (np.isnan(e) & np.isnan(a)) | (np.isinf(e) & (a == e))
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(finite, np.abs(a - e), np.where(same_special, 0.0, np.inf))


CLIP_REGIME = "only where the clip is active (at or beyond its bounds)"


def regime(bad, yours, limit, kinks, clipped):
    """Where the bad elements are: only at kinks, only where a clip is active,
    or (any of them elsewhere) everywhere."""
    at_kink = np.zeros(bad.shape, bool) if kinks is None else np.broadcast_to(
        kinks.mask, bad.shape)
    at_clip = np.zeros(bad.shape, bool) if clipped is None else np.broadcast_to(
        clipped, bad.shape)
    if (bad & ~at_kink & ~at_clip).any() or not bad.any():
        return "everywhere"
    if not (bad & ~at_kink).any():
        low = np.broadcast_to(kinks.low, bad.shape)
        high = np.broadcast_to(kinks.high, bad.shape)
        lo, hi = np.minimum(low, high), np.maximum(low, high)
        with np.errstate(invalid="ignore"):      # within rounding of the interval
            valid = (yours >= lo - limit) & (yours <= hi + limit)
        if valid[bad].all():
            return "only at a kink (both are subgradients)"
        return "only at a kink"
    if not (bad & ~at_clip).any():
        return CLIP_REGIME
    return "only at kinks and where the clip is active"
