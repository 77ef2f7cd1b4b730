"""The tolerance policy: the one place that decides how close is "equal".

Every comparison in the suite allows, element by element,

    allowed = SAFETY * eps(dtype) * error_scale + floor(dtype)

`error_scale` comes from the component's record in the registry. It is a
first-order rounding-error bound in units of eps, derived from the arithmetic
that produces the element: for a sum of k terms t_j it is about k * sum |t_j|
(the classic bound for recursive summation), for exp it grows with |x|, and so
on. Each record writes its bound next to the formula it bounds.

Why this shape:
- A correct float32 or float64 implementation and torch both round, each within
  that bound of the exact value, so their difference is within twice it. SAFETY
  covers the factor 2 and the slack of a first-order bound; the thorough profile
  (thousands of examples per property, several seeds) calibrates it.
- It stays tight: for float64 it is ~1e-16 relative per summed term, so a float64
  result that was computed in float32 (error ~1e-7 relative) fails by orders of
  magnitude, and so does any formula mistake (a dropped bias, a missing 1/N).
- The floor only absorbs results that underflow (below the smallest normal
  number), where rounding is no longer relative.

Elements that are not finite must match exactly: NaN where torch has NaN, and
the same infinity where torch has one.
"""
import numpy as np

SAFETY = 4.0


def eps(dtype):
    return float(np.finfo(dtype).eps)


def floor(dtype):
    return 4 * float(np.finfo(dtype).tiny)


def allowed(dtype, error_scale):
    """Elementwise allowed |impl - torch| for results of `dtype`."""
    return SAFETY * eps(dtype) * np.asarray(error_scale, dtype=np.float64) + floor(dtype)
