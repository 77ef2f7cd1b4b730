"""The tolerance policy: the one place that decides how close is "equal".

Every comparison allows, element by element,

    allowed = SAFETY * eps(dtype) * error_scale + floor(dtype)

`error_scale` comes from the check's record (nn_crosscheck/components). It is a
first-order rounding-error bound in units of eps, derived from the arithmetic
that produces the element: for a sum of k terms t_j it is about k * sum |t_j|
(the classic bound for recursive summation), for exp it grows with |x|, and so
on. Each record writes its bound next to the formula it bounds.

Why this shape:
- A correct float32 or float64 implementation and torch both round, each within
  that bound of the exact value, so their difference is within twice it. SAFETY
  covers the factor 2 and the slack of a first-order bound; the thorough profile
  (thousands of examples per check, several seeds) calibrates it.
- It stays tight: for float64 it is ~1e-16 relative per summed term, so a float64
  result that was computed in float32 (error ~1e-7 relative) fails by orders of
  magnitude, and so does any formula mistake (a dropped bias, a missing 1/N).
- The floor only absorbs results that underflow (below the smallest normal
  number), where rounding is no longer relative.

Undefined points (the policy, applied by nn_crosscheck.compare everywhere):
- A NaN or infinite bound never accepts anything: an element is accepted only
  where `|yours - torch| <= allowed` is True, and that comparison is False for NaN.
- Elements that are not finite in torch's result must match exactly: NaN where
  torch has NaN, the same infinity where torch has one.
- Non-finite INPUTS (one generated case in four has a NaN or an infinity
  planted in it): every element of a result that does not depend on the
  planted value must come out exactly as torch's, so a NaN or inf that leaks
  into other elements is a disagreement. An element that depends on it (found
  by putting two finite values in its place, nn_crosscheck.engine.influence)
  is not judged: its value is undefined or a limit that correct code may or may
  not reach (np.where(x > 0, d, 0) gives 0 at a NaN input where torch passes d;
  np.fmax(x, 0) gives 0 at NaN; sum(log_p * one_hot) is NaN at a -inf logit
  where torch's cross_entropy gives the limit 0). A gradient element is not
  judged either where a same-shaped argument is NaN or infinite. A difference
  there is reported as a note, never as a disagreement.
- At a kink (ReLU at 0, |x| at 0, the clip bounds), torch's choice is the
  reference. A different value is a disagreement, labelled "at a kink (both are
  subgradients)" when it is another valid subgradient.
- Learning rates are numbers, compared with an ulp-scaled bound like any
  other quantity (never as strings).
"""
import numpy as np

SAFETY = 4.0


def eps(dtype):
    return float(np.finfo(dtype).eps)


def floor(dtype):
    return 4 * float(np.finfo(dtype).tiny)


def allowed(dtype, error_scale):
    """Elementwise allowed |impl - torch| for results of `dtype`. NaN where the
    scale is NaN: such a bound accepts nothing (see the module docstring)."""
    return SAFETY * eps(dtype) * np.asarray(error_scale, dtype=np.float64) + floor(dtype)


def within(difference, bound):
    """Accepted elements: |difference| <= bound, False wherever either is NaN."""
    with np.errstate(invalid="ignore"):
        return np.asarray(difference) <= np.asarray(bound)
