"""Compare one quantity of an implementation with torch's, and explain the result."""
from dataclasses import dataclass

import numpy as np

from . import tolerances


@dataclass
class Verdict:
    component: str
    quantity: str
    dtype: str
    ok: bool
    shape: tuple = ()
    problem: str = ""        # a wrong type, shape, dtype or non-finite pattern
    n_bad: int = 0
    n_total: int = 0
    worst_index: tuple = ()
    yours: float = float("nan")
    torch: float = float("nan")
    abs_error: float = 0.0
    rel_error: float = 0.0
    allowed: float = 0.0
    max_abs_error: float = 0.0
    max_rel_error: float = 0.0

    def message(self):
        head = f"{self.component} {self.quantity} ({self.dtype}, shape {self.shape})"
        if self.ok:
            return (f"{head}: agrees with torch (max |diff| {self.max_abs_error:.2e}, "
                    f"max rel {self.max_rel_error:.2e})")
        if self.problem:
            return f"{head}: {self.problem}"
        where = "[" + ", ".join(map(str, self.worst_index)) + "]" if self.worst_index else "(scalar)"
        return (f"{head}: {self.n_bad} of {self.n_total} elements differ from torch\n"
                f"  worst at {where}: yours = {self.yours!r}, torch = {self.torch!r}\n"
                f"  |diff| = {self.abs_error:.3e} (relative {self.rel_error:.3e}), "
                f"allowed here = {self.allowed:.3e}")


def _value(array, index):
    return float(array[index]) if array.ndim else float(array)


def compare(component, quantity, yours, torch_value, error_scale, dtype):
    """Check `yours` against `torch_value` (an ndarray from torch) under the policy.

    Shapes and dtypes must match torch's exactly, except that a scalar loss may
    be returned as a Python float.
    """
    dtype = np.dtype(dtype)
    expected = np.asarray(torch_value)
    v = Verdict(component, quantity, str(dtype), ok=False, shape=expected.shape,
                n_total=expected.size)
    if yours is None:
        v.problem = f"was not set (expected an array of shape {expected.shape})"
        return v
    try:
        actual = np.asarray(yours)
    except Exception as exc:  # an object NumPy cannot read as an array
        v.problem = f"is not an array ({type(yours).__name__}: {exc})"
        return v
    scalar = expected.ndim == 0
    if not np.issubdtype(actual.dtype, np.number):
        v.problem = f"has dtype {actual.dtype}, expected {expected.dtype}"
        return v
    if scalar:
        if actual.size != 1:
            v.problem = f"should be a single number, got shape {actual.shape}"
            return v
        actual = actual.reshape(())
        if actual.dtype != expected.dtype and not isinstance(yours, float):
            v.problem = (f"has dtype {actual.dtype}, torch's is {expected.dtype}: "
                         f"the result should keep the input's dtype")
            return v
    else:
        if actual.shape != expected.shape:
            v.problem = f"has shape {actual.shape}, torch's is {expected.shape}"
            return v
        if actual.dtype != expected.dtype:
            v.problem = (f"has dtype {actual.dtype}, torch's is {expected.dtype}: "
                         f"the result should keep the input's dtype")
            return v
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    limit = np.broadcast_to(tolerances.allowed(dtype, error_scale), e.shape)

    finite = np.isfinite(e) & np.isfinite(a)
    same_special = (np.isnan(e) & np.isnan(a)) | (np.isinf(e) & (a == e))
    with np.errstate(invalid="ignore"):
        diff = np.where(finite, np.abs(a - e), np.where(same_special, 0.0, np.inf))
    bad = diff > limit
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rel = np.where(diff == 0, 0.0, np.where(finite, diff / np.abs(e), np.inf))
        excess = np.where(bad, diff / limit, 0.0)
    v.max_abs_error = float(diff.max(initial=0.0))
    v.max_rel_error = float(np.nan_to_num(rel, nan=np.inf, posinf=np.inf).max(initial=0.0))
    v.n_bad = int(bad.sum())
    v.ok = v.n_bad == 0
    if not v.ok:
        worst = np.unravel_index(int(np.argmax(excess)), e.shape) if e.ndim else ()
        v.worst_index = tuple(int(i) for i in worst)
        v.yours = _value(a, worst)
        v.torch = _value(e, worst)
        v.abs_error = float(diff[worst])
        v.rel_error = float(rel[worst])
        v.allowed = float(limit[worst])
    return v
