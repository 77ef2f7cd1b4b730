"""The third opinion on a gradient: central finite differences.

The user's backward pass gives one gradient, torch's autograd a second.
Differentiating the user's own forward pass numerically (the seed's central
differences, in float64) gives a third, independent of any backward code.
When the first two disagree, the third says which one the forward supports:

    opinion = third_opinion(check, target, case, "dinputs")
    opinion.sides_with      # "torch", "yours", "both", "neither", "kink" or "undecided"
    opinion.message()

Siding with torch: your backward is not the derivative of your forward.
Siding with yours: your backward differentiates your forward, so the
difference comes from the forward (or from torch's side). At a kink the two
one-sided derivatives differ and the numbers cannot vote; where their own
uncertainty is larger than the difference they cannot either: the message says
so, never more than its numbers show.

What is differentiated: the loss, for a check that has one; otherwise
sum(dvalues * output) (plus the regularization penalty for a regularized
layer), whose gradient is what backward(dvalues) gives. How close is close
enough, for element i with step s_i = h * max(1, |x_i|), h = eps^(1/3):
    truncation  s_i^2 / 6 * M3_i   (M3 from the record's third_derivative, or
                                    Richardson's estimate |D(2s) - D(s)| / 3)
    rounding    eps * E / s_i      (E: F's rounding-error bound, in eps)
    step        eps * |x_i| / s_i * |g_i|
times FD_SAFETY, plus the analytic gradient's own rounding allowance.
"""
from dataclasses import dataclass

import numpy as np

from .. import tolerances
from ..compare import NOT_SET
from ..strategies import Case

EPS = float(np.finfo(np.float64).eps)
H = EPS ** (1 / 3)
FD_SAFETY = 4.0


def numerical_gradient(f, x, h=H):
    """Gradient of the scalar f at x by central differences (x is not modified)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step.reshape(-1)[i] = h * max(1.0, abs(x.reshape(-1)[i]))
        width = 2 * step.reshape(-1)[i]
        grad.reshape(-1)[i] = (f(x + step) - f(x - step)) / width
    return grad


def as_float64(case):
    arrays = {n: (np.asarray(a, np.float64) if np.issubdtype(np.asarray(a).dtype, np.floating)
                  and np.asarray(a).ndim else a) for n, a in case.arrays.items()}
    return Case(np.float64, case.regime, arrays)


def _produced(ev, quantity):
    result = ev.session.results.get(quantity)
    return getattr(result, "value", None)


def objective(check, ev):
    """(F, E): the scalar the gradients belong to, from the user's forward
    quantities on ev.case, and a bound on its rounding error in units of eps."""
    case, scales = ev.case, ev.scales
    if "loss" in check.quantities:
        return float(np.asarray(_produced(ev, "loss"))), float(np.sum(scales["loss"]))
    g = np.asarray(case.dvalues, np.float64)
    out = np.asarray(_produced(ev, "output"), np.float64)
    F = float(np.sum(g * out))
    E = float(np.sum(np.abs(g) * scales["output"]) + (g.size + 1) * np.sum(np.abs(g * out)))
    if "regularizers" in case.arrays:
        from ..components.layers import strengths_of
        s = strengths_of(case)
        w, b = np.asarray(case.weights, np.float64), np.asarray(case.biases, np.float64)
        terms = (s["weight_regularizer_l1"] * np.abs(w).sum()
                 + s["weight_regularizer_l2"] * (w * w).sum()
                 + s["bias_regularizer_l1"] * np.abs(b).sum()
                 + s["bias_regularizer_l2"] * (b * b).sum())
        F += float(terms)
        E += float((w.size + b.size + 4) * terms)
    return F, E


def forward_scalar(check, target, case, variable):
    """x -> F with the case's `variable` set to x, through the user's forward."""
    from ..engine import evaluate

    def F(x):
        arrays = dict(case.arrays, **{variable: np.array(x, dtype=np.float64)})
        trial = Case(np.float64, case.regime, arrays)
        with np.errstate(all="ignore"):
            return objective(check, evaluate(check, target, trial))[0]
    return F


@dataclass
class Opinion:
    check: str
    quantity: str
    sides_with: str        # torch | yours | both | neither | kink | undecided | none
    index: tuple = ()
    yours: float = float("nan")
    torch: float = float("nan")
    numerical: float = float("nan")
    allowed: float = float("nan")
    forward_agrees: bool = True
    reason: str = ""       # why there is no opinion

    def message(self):
        head = f"{self.check} {self.quantity}: "
        if self.sides_with == "none":
            return head + f"no third opinion ({self.reason})"
        where = "[" + ", ".join(map(str, self.index)) + "]" if self.index else "the value"
        numbers = (f"at {where}: yours {self.yours:.10g}, torch {self.torch:.10g}, finite "
                   f"differences of your forward {self.numerical:.10g} "
                   + (f"(+/- {self.allowed:.2g})" if self.allowed >= 1e-290
                      else "(exact)"))
        verdict = {
            "torch": "finite differences side with torch: your backward is not the "
                     "derivative of your forward",
            "yours": "finite differences side with yours: your backward differentiates your "
                     "forward, so the difference comes from the forward"
                     + (" (whose output matches torch's here: check torch's side)"
                        if self.forward_agrees else ""),
            "both": "finite differences agree with both (the two differ by less than the "
                    "numbers can tell)",
            "neither": "finite differences agree with neither",
            "kink": "the input sits on a kink (the one-sided derivatives differ): finite "
                    "differences cannot decide; the convention there is torch's",
            "undecided": "finite differences cannot decide here: their uncertainty is larger "
                         "than the difference between yours and torch's",
        }[self.sides_with]
        note = "" if self.forward_agrees or self.sides_with == "yours" else \
            " (note: your forward output differs from torch's too)"
        return f"{head}{verdict}{note}; {numbers}"


def finite_difference(check, target, case, quantity, base):
    """(numerical gradient, allowed error per element) for `quantity`."""
    variable = check.gradients[quantity]
    x = np.asarray(case.arrays[variable], np.float64)
    F = forward_scalar(check, target, case, variable)
    numeric = numerical_gradient(F, x)
    step = H * np.maximum(1.0, np.abs(x))
    _, E = objective(check, base)
    if check.third_derivative is not None:
        truncation = step ** 2 / 6 * np.asarray(check.third_derivative(case, variable, step))
    else:
        truncation = np.abs(numerical_gradient(F, x, h=2 * H) - numeric) / 3
    rounding = EPS * E / step
    step_rounding = EPS * np.abs(x) / step * np.abs(numeric)
    allowed = FD_SAFETY * (truncation + rounding + step_rounding)
    return numeric, np.broadcast_to(allowed, x.shape)


def one_sided(check, target, case, quantity, index):
    """(right, left) one-sided differences at one element."""
    variable = check.gradients[quantity]
    x = np.asarray(case.arrays[variable], np.float64)
    F = forward_scalar(check, target, case, variable)
    s = H * max(1.0, abs(float(x[index])))
    plus, minus = x.copy(), x.copy()
    plus[index] += s
    minus[index] -= s
    f0 = F(x)
    return (F(plus) - f0) / s, (f0 - F(minus)) / s


def third_opinion(check, target, case, quantity):
    """Which of the user's and torch's `quantity` the finite differences of the
    user's forward side with, on `case` (read in float64)."""
    from ..engine import evaluate
    if quantity not in check.gradients:
        return Opinion(check.name, quantity, "none", reason="not a gradient")
    case = as_float64(case)
    base = evaluate(check, target, case)
    yours = _produced(base, quantity)
    theirs = np.asarray(base.reference[quantity], np.float64)
    try:
        mine = np.asarray(yours, np.float64)
    except (TypeError, ValueError):
        mine = None
    if yours is None or yours is NOT_SET or mine is None:
        return Opinion(check.name, quantity, "none", reason="your value was not set")
    if mine.shape != theirs.shape:
        return Opinion(check.name, quantity, "none",
                       reason=f"yours has shape {mine.shape}, torch's {theirs.shape}: not "
                              f"compared element by element")
    forward = [q for q in ("output", "loss") if q in check.quantities]
    if any(_produced(base, q) is None for q in forward):
        return Opinion(check.name, quantity, "none", reason="your forward gave no output")
    if not (np.isfinite(mine).all() and np.isfinite(theirs).all()):
        return Opinion(check.name, quantity, "none", reason="NaN or inf in the gradients")
    try:
        numeric, fd_allowed = finite_difference(check, target, case, quantity, base)
    except Exception as exc:          # the forward raised on a nudged input
        return Opinion(check.name, quantity, "none", reason=f"{type(exc).__name__}: {exc}")
    rounding = np.broadcast_to(tolerances.allowed(np.float64, base.scales[quantity]),
                               theirs.shape)
    limit = fd_allowed + rounding
    with np.errstate(invalid="ignore", divide="ignore"):
        mine_off = np.abs(mine - numeric) / limit
        torch_off = np.abs(theirs - numeric) / limit
        # how far apart the two are, against what rounding allows (the verdict's bound)
        gap = np.nan_to_num(np.abs(mine - theirs) / rounding, nan=np.inf)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape) if gap.ndim else ()
    mine_ok, torch_ok = bool(np.all(mine_off <= 1)), bool(np.all(torch_off <= 1))
    sides_with = {(True, True): "both", (True, False): "yours",
                  (False, True): "torch", (False, False): "neither"}[(mine_ok, torch_ok)]
    if sides_with == "both" and gap[index] > 1:
        sides_with = "undecided"      # the numbers are too coarse to tell the two apart
    if sides_with == "neither":
        index = np.unravel_index(int(np.argmax(np.nan_to_num(
            np.minimum(mine_off, torch_off), nan=np.inf))), mine.shape) if mine.ndim else ()
        right, left = one_sided(check, target, case, quantity, index)
        if abs(right - left) > 0.1 * max(abs(right), abs(left)) + limit[index]:
            sides_with = "kink"
    forward_agrees = all(base.results[q].outcome.value == "agrees" for q in forward)
    index = tuple(int(i) for i in index)
    return Opinion(check.name, quantity, sides_with, index, float(mine[index]),
                   float(theirs[index]), float(numeric[index]), float(limit[index]),
                   forward_agrees)
