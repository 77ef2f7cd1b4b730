"""The third opinion on a gradient: central finite differences.

The implementation's backward pass gives one gradient, torch's autograd a
second. Differentiating the implementation's own forward pass numerically (the
seed's `numerical_gradient`, in float64) gives a third, independent of any
backward code. When the first two disagree, the third says which one the
forward pass supports:

    opinion = third_opinion(cls, component, case, "dinputs")
    opinion.sides_with      # "torch", "numpy", "both", "neither" or "kink"
    print(opinion.message())

"numpy" means the implementation under test (numpy_impl or an --impl file).
Siding with torch means: your backward is not the derivative of your forward.
Siding with numpy means: your backward does differentiate your forward, so the
difference from torch comes from the forward (or from torch's side).

Which scalar is differentiated: the loss, for a component that has one;
otherwise sum(dvalues * output), whose gradient is what backward(dvalues)
returns. Which array: dweights -> weights, dbiases -> biases, dinputs -> the
component's first argument (inputs, or y_pred for a loss).

How close is close enough, for element i with step s_i = h * max(1, |x_i|) and
h = eps^(1/3) (numerical_gradient's choice):
    truncation  s_i^2 / 6 * M3_i     M3_i bounds |d^3 F / dx_i^3| on [x_i - s_i, x_i + s_i]
    rounding    eps * E / s_i        E bounds F's rounding error in units of eps
                                     (from the record's error_scale, plus the sum)
    step        eps * |x_i| / s_i * |g_i|   x_i + s_i itself is rounded
times FD_SAFETY for the first-order slack, plus the analytic gradient's own
rounding allowance (tests/tolerances.py). M3 comes from THIRD_DERIVATIVE, one
bound per component written next to its formula; a component without an entry
gets the Richardson estimate |D(2s) - D(s)| / 3 of the truncation error instead.
"""
from dataclasses import dataclass

import numpy as np

from numpy_impl.numerical import numerical_gradient

from . import tolerances
from .check import run_both
from .compare import compare
from .strategies import CLIP_HIGH, CLIP_LOW, Case

EPS = float(np.finfo(np.float64).eps)
H = EPS ** (1 / 3)
FD_SAFETY = 4.0
GRADIENTS = ("dinputs", "dweights", "dbiases")
_OF = {"dweights": "weights", "dbiases": "biases"}


# ---------------------------------------------------------------- what is differentiated
def gradient_quantities(component):
    return tuple(q for q in component.quantities if q in GRADIENTS)


def variable_of(component, quantity):
    """The argument whose gradient `quantity` is."""
    return _OF.get(quantity, component.arguments[0])


def _one_hot(case, n_classes):
    y = np.asarray(case.y_true)
    return np.eye(n_classes)[y] if y.ndim == 1 else y.astype(np.float64)


def _regularization_penalty(case):
    """l1 * sum|w| + l2 * sum(w^2) for weights and biases, written here (not taken
    from the implementation): the scalar whose gradient the regularized layer's
    dweights and dbiases include."""
    l1w, l2w, l1b, l2b = (float(s) for s in case.regularizers)
    w, b = np.asarray(case.weights, np.float64), np.asarray(case.biases, np.float64)
    return (l1w * np.abs(w).sum() + l2w * (w * w).sum()
            + l1b * np.abs(b).sum() + l2b * (b * b).sum())


def _penalty_rounding(case):
    l1w, l2w, l1b, l2b = (float(s) for s in case.regularizers)
    w, b = np.asarray(case.weights, np.float64), np.asarray(case.biases, np.float64)
    return ((w.size + 4) * (l1w * np.abs(w).sum() + l2w * (w * w).sum())
            + (b.size + 4) * (l1b * np.abs(b).sum() + l2b * (b * b).sum()))


def objective(component, case, quantities, scales):
    """(F, E): the scalar F the gradients belong to, from the implementation's
    forward quantities, and a bound E on its rounding error in units of eps."""
    if "loss" in component.quantities:
        return float(quantities["loss"]), float(np.sum(scales["loss"]))
    g = np.asarray(case.dvalues, np.float64)
    out = np.asarray(quantities["output"], np.float64)
    # sum(g * out): out's own rounding weighted by |g|, then the products and the sum.
    F = float(np.sum(g * out))
    E = float(np.sum(np.abs(g) * scales["output"]) + (g.size + 1) * np.sum(np.abs(g * out)))
    if component.name == "Layer_Dense+regularizers":
        F += _regularization_penalty(case)
        E += _penalty_rounding(case)
    return F, E


# ---------------------------------------------------------------- third derivatives
def _zero(case, variable, step):
    return 0.0


def _softmax_m3(case, variable, step):
    # Along one logit x_ab the rest of its row is fixed, so sum_j g_aj s_aj is
    # const + (g_ab - mean of the other g, weighted by s) * sigma(x_ab - c): its
    # third derivative is at most 2 max_j |g_aj| * max|sigma'''| = 2 max|g| / 8.
    g = np.abs(np.asarray(case.dvalues, np.float64))
    return np.max(g, axis=1, keepdims=True) / 4


def _sigmoid_m3(case, variable, step):
    # sigma''' = sigma (1 - sigma) (1 - 6 sigma (1 - sigma)), at most 1/8 in size.
    return np.abs(np.asarray(case.dvalues, np.float64)) / 8


def _cce_m3(case, variable, step):
    # F = -(1/N) log clip(p) at the correct class: F''' = -2 / (N p^3), largest at
    # the window's low end; the clip keeps p >= CLIP_LOW (and is flat beyond it).
    p = np.asarray(case.y_pred, np.float64)
    n, k = p.shape
    low = np.maximum(p - step, CLIP_LOW)
    return 2 * _one_hot(case, k) / (n * low ** 3)


def _combined_m3(case, variable, step):
    # F = (1/N) sum_i (logsumexp(x_i) - x_i,y): along one logit the derivative of
    # logsumexp is sigma(x - c), so F''' = sigma'' / N with |sigma''| <= 1/sqrt(108).
    x = np.asarray(case.inputs, np.float64)
    n, k = x.shape
    return np.broadcast_to(_one_hot(case, k).sum(axis=1, keepdims=True) / np.sqrt(108) / n,
                           x.shape)


def _bce_m3(case, variable, step):
    # F = -(1/(N K)) sum (y log c + (1 - y) log(1 - c)), c = clip(p):
    # |F'''| = (2/(N K)) (|y| / c^3 + |1 - y| / (1 - c)^3), largest at the window's ends.
    p = np.asarray(case.y_pred, np.float64)
    y = np.asarray(case.y_true, np.float64)
    low = np.maximum(p - step, CLIP_LOW)
    high = np.minimum(p + step, CLIP_HIGH)
    return 2 * (np.abs(y) / low ** 3 + np.abs(1 - y) / (1 - high) ** 3) / p.size


THIRD_DERIVATIVE = {
    "Layer_Dense": _zero,                  # linear in each argument
    "Layer_Dense+regularizers": _zero,     # plus l1 |w| (linear off 0) and l2 w^2
    "Activation_ReLU": _zero,              # linear off the kink
    "Activation_Linear": _zero,
    "Layer_Dropout": _zero,                # a fixed mask times the inputs
    "Loss_MeanSquaredError": _zero,        # quadratic
    "Loss_MeanAbsoluteError": _zero,       # linear off the kink
    "Activation_Softmax": _softmax_m3,
    "Activation_Sigmoid": _sigmoid_m3,
    "Loss_CategoricalCrossentropy": _cce_m3,
    "Activation_Softmax_Loss_CategoricalCrossentropy": _combined_m3,
    "Loss_BinaryCrossentropy": _bce_m3,
}


# ---------------------------------------------------------------- finite differences
def as_float64(case):
    arrays = {n: (np.asarray(a, np.float64) if np.issubdtype(np.asarray(a).dtype, np.floating)
                  and np.asarray(a).ndim else a) for n, a in case.arrays.items()}
    return Case(np.float64, case.regime, arrays)


def forward_scalar(cls, component, case, variable):
    """x -> F with `variable` set to x, from the implementation's forward pass."""
    scales = component.error_scale(case)

    def F(x):
        arrays = {n: np.array(a, copy=True) for n, a in case.arrays.items()}
        arrays[variable] = np.array(x, dtype=np.float64)
        trial = Case(np.float64, case.regime, arrays)
        with np.errstate(all="ignore"):
            return objective(component, trial, component.run(cls, trial), scales)[0]
    return F


@dataclass
class FiniteDifference:
    gradient: np.ndarray      # the central differences
    allowed: np.ndarray       # |analytic - numerical| allowed per element (without
    #                           the analytic gradient's own rounding allowance)
    step: np.ndarray


def finite_difference(cls, component, case, quantity):
    """Central differences of the implementation's forward for `quantity`, with the
    allowed error per element (see the module docstring). `case` is read in float64."""
    case = as_float64(case)
    variable = variable_of(component, quantity)
    x = np.asarray(case.arrays[variable], np.float64)
    F = forward_scalar(cls, component, case, variable)
    numeric = numerical_gradient(F, x)
    step = H * np.maximum(1.0, np.abs(x))
    with np.errstate(all="ignore"):
        _, E = objective(component, case, component.run(cls, case),
                         component.error_scale(case))
    bound = THIRD_DERIVATIVE.get(component.name)
    if bound is not None:
        truncation = step ** 2 / 6 * bound(case, variable, step)
    else:   # no analytic bound: Richardson's estimate from a second, doubled step
        truncation = np.abs(numerical_gradient(F, x, h=2 * H) - numeric) / 3
    rounding = EPS * E / step
    step_rounding = EPS * np.abs(x) / step * np.abs(numeric)
    allowed = FD_SAFETY * (truncation + rounding + step_rounding)
    return FiniteDifference(numeric, np.broadcast_to(allowed, x.shape), step)


def one_sided(cls, component, case, quantity, index):
    """(right, left) one-sided differences at one element: at a kink they differ
    by the jump in the derivative; elsewhere by about step * |F''|."""
    case = as_float64(case)
    variable = variable_of(component, quantity)
    x = np.asarray(case.arrays[variable], np.float64)
    F = forward_scalar(cls, component, case, variable)
    s = H * max(1.0, abs(float(x[index])))
    plus, minus = x.copy(), x.copy()
    plus[index] += s
    minus[index] -= s
    f0 = F(x)
    return (F(plus) - f0) / s, (f0 - F(minus)) / s


# ---------------------------------------------------------------- the opinion
@dataclass
class Opinion:
    component: str
    quantity: str
    sides_with: str           # "torch", "numpy", "both", "neither" or "kink"
    index: tuple              # the element shown: the worst disagreement
    numpy: float
    torch: float
    numerical: float
    allowed: float
    forward_agrees: bool      # does the implementation's forward match torch's?

    def message(self):
        where = "[" + ", ".join(map(str, self.index)) + "]"
        values = (f"at {where}: numpy {self.numpy:.10g}, torch {self.torch:.10g}, "
                  f"finite differences {self.numerical:.10g} (+/- {self.allowed:.2g})")
        head = f"{self.component} {self.quantity}: "
        verdicts = {
            "torch": "finite differences side with torch: the backward pass is not the "
                     "derivative of the forward pass",
            "numpy": "finite differences side with numpy: the backward pass differentiates "
                     "the forward pass, so the difference comes from the forward" +
                     ("" if not self.forward_agrees else " (whose output matches torch's "
                      "here: check torch's side)"),
            "both": "finite differences agree with both",
            "neither": "finite differences agree with neither",
            "kink": "the input sits on a kink (the one-sided derivatives differ): finite "
                    "differences cannot decide; the convention there is torch's",
        }
        note = "" if self.forward_agrees else " (note: the forward output differs from torch's too)"
        return head + verdicts[self.sides_with] + note + "\n  " + values


def third_opinion(cls, component, case, quantity):
    """Which of the implementation's and torch's `quantity` the finite differences
    of the implementation's forward side with, on `case` (any dtype)."""
    yours, theirs, scales = run_both(cls, component, case)
    fd = finite_difference(cls, component, case, quantity)
    rounding = tolerances.allowed(case.dtype, scales[quantity])
    limit = fd.allowed + rounding
    torch_ = np.asarray(theirs[quantity], np.float64)
    try:
        mine = np.asarray(yours[quantity], np.float64)
    except (TypeError, ValueError):      # not set, or not numbers: nothing to agree with
        mine = np.full(torch_.shape, np.nan)
    if mine.shape != torch_.shape:
        mine = np.full(torch_.shape, np.nan)
    with np.errstate(invalid="ignore"):
        mine_off = np.abs(mine - fd.gradient) / limit
        torch_off = np.abs(torch_ - fd.gradient) / limit
    mine_ok, torch_ok = bool(np.all(mine_off <= 1)), bool(np.all(torch_off <= 1))
    sides_with = {(True, True): "both", (True, False): "numpy",
                  (False, True): "torch", (False, False): "neither"}[(mine_ok, torch_ok)]
    disagreement = np.nan_to_num(np.abs(mine - torch_) / limit, nan=np.inf)
    index = np.unravel_index(int(np.argmax(disagreement)), disagreement.shape)
    if sides_with == "neither":
        index = np.unravel_index(int(np.argmax(np.nan_to_num(
            np.minimum(mine_off, torch_off), nan=np.inf))), mine.shape)
        right, left = one_sided(cls, component, case, quantity, index)
        if abs(right - left) > 0.1 * max(abs(right), abs(left)) + limit[index]:
            sides_with = "kink"
    forward = [q for q in ("output", "loss") if q in component.quantities]
    forward_agrees = all(compare(component.name, q, yours[q], theirs[q], scales[q],
                                 case.dtype).ok for q in forward)
    index = tuple(int(i) for i in index)
    return Opinion(component.name, quantity, sides_with, index, float(mine[index]),
                   float(torch_[index]), float(fd.gradient[index]), float(limit[index]),
                   forward_agrees)
