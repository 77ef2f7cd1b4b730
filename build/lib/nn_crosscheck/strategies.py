"""Hypothesis strategies: every generated input of the suite comes from here.

Inputs are drawn in *regimes*, each named, so that the hard cases are generated
on purpose and not by luck: exact zeros (ReLU's kink), tied logits, logits in
the hundreds and thousands (softmax overflow), probabilities at and next to the
clip bounds 1e-7 and 1 - 1e-7 and at 0 and 1. tests/test_strategies.py checks
that every regime really produces what it promises.

Dependent values are built constructively: labels are drawn from the class count
that was drawn, one-hot rows are made from them.
"""
from dataclasses import dataclass, field, replace

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from .constants import CLIP_HIGH, CLIP_LOW, DTYPES, KINK_MARGIN, MAX_BATCH, MAX_WIDTH


@dataclass
class Case:
    """One generated example: the arrays a component is called with.

    Its repr is Python you can paste into a REPL (with `import numpy as np`):
    the values are written exactly, so the arrays are rebuilt bit for bit.
    """
    dtype: type
    regime: str
    arrays: dict = field(default_factory=dict)
    poison: tuple = None      # (array name, index) of a planted NaN or inf, if any

    def __getattr__(self, name):
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    def with_value(self, name, index, value):
        """A copy with arrays[name][index] = value (and no poison mark)."""
        array = np.array(self.arrays[name], copy=True)
        array[index] = value
        return replace(self, arrays={**self.arrays, name: array}, poison=None)

    def _repr_pretty_(self, printer, cycle):
        # Hypothesis prints failing examples with its pretty-printer: use our repr.
        printer.text(repr(self))

    def __repr__(self):
        from .session import array_text
        lines = [f"# regime: {self.regime}"]
        for name, array in self.arrays.items():
            lines.append(f"{name} = {array_text(array)}")
        return "\n" + "\n".join(lines) + "\n"


def _width(dtype):
    return 32 if np.dtype(dtype) == np.float32 else 64


def reals(dtype, low=-10.0, high=10.0):
    """Finite floats in [low, high] (bounds rounded inward to `dtype`), no subnormals."""
    low, high = float(np.dtype(dtype).type(low)), float(np.dtype(dtype).type(high))
    return st.floats(low, high, width=_width(dtype), allow_subnormal=False)


def nonzero_array(dtype, shape, low=0.125, high=8.0):
    """Values with magnitudes in [low, high] and either sign: never 0, so that
    nothing they multiply can hide. (Drawn as plain floats and pushed out of
    (-low, low): one draw per element keeps generation fast.)"""
    def push_out(x):
        return np.where(np.abs(x) < low, np.copysign(low, x), x).astype(dtype)
    return array(dtype, shape, reals(dtype, -high, high)).map(push_out)


def with_zeros_array(dtype, shape):
    """Ordinary values of which about a fifth (and always at least one) are exact
    zeros, +0.0 or -0.0."""
    def zero_small(x):
        x = np.where(np.abs(x) < 2, np.copysign(0.0, x), x).astype(dtype)
        if x.size:  # at least one zero in every array, whatever was drawn
            i = np.argmin(np.abs(x))
            x.flat[i] = np.copysign(0.0, x.flat[i])
        return x
    return array(dtype, shape, reals(dtype)).map(zero_small)


def batch_sizes():
    return st.integers(1, MAX_BATCH)


def widths(minimum=1):
    return st.integers(minimum, MAX_WIDTH)


POOL = 4     # distinct values drawn for a large array


@st.composite
def array(draw, dtype, shape, elements):
    """An array of `dtype` whose values come from `elements`. Small arrays have
    every element drawn; a larger one draws a pool of up to POOL values and a
    seed that places them: drawing every element of a 64 x 24 batch one by one
    would cost most of the suite's time, and shrinking still works (fewer
    values, a smaller shape)."""
    size = int(np.prod(shape))
    if size <= POOL:
        return draw(hnp.arrays(np.dtype(dtype), shape, elements=elements))
    pool = np.array(draw(st.lists(elements, min_size=1, max_size=POOL)), dtype=dtype)
    seed = draw(st.integers(0, 2 ** 32 - 1), label="placement seed")
    return pool[np.random.default_rng(seed).integers(0, len(pool), size=shape)]


# ---------------------------------------------------------------- real inputs
REAL_REGIMES = ("ordinary", "exact zeros")


@st.composite
def real_batch(draw, dtype, shape, regime=None):
    """A batch of real inputs (features, upstream gradients), by regime."""
    regime = regime or draw(st.sampled_from(REAL_REGIMES))
    if regime == "exact zeros":
        return regime, draw(with_zeros_array(dtype, shape))
    return regime, draw(array(dtype, shape, reals(dtype)))


# ---------------------------------------------------------------- logits
LOGIT_REGIMES = ("ordinary", "ties", "large offset", "extreme spread")


@st.composite
def logits(draw, dtype, shape, regime=None):
    """Logits for softmax. 'large offset': every row shifted by hundreds to
    thousands (exp overflows without the max shift); 'extreme spread': values
    thousands apart (probabilities underflow to exactly 0 and 1); 'ties': rows
    drawn from a few values, so maxima and probabilities tie."""
    regime = regime or draw(st.sampled_from(LOGIT_REGIMES))
    if regime == "ties":
        x = draw(array(dtype, shape, st.sampled_from([-1.5, 0.0, 0.0, 2.0])))
    elif regime == "large offset":
        spread = draw(array(dtype, shape, reals(dtype, -20, 20)))
        offsets = draw(nonzero_array(dtype, (shape[0], 1), 100.0, 5000.0))
        x = (spread + offsets).astype(dtype)
    elif regime == "extreme spread":
        x = draw(array(dtype, shape, reals(dtype, -3000, 3000)))
    else:
        x = draw(array(dtype, shape, reals(dtype)))
    return regime, x


# ---------------------------------------------------------------- probabilities
PROBABILITY_REGIMES = ("softmax rows", "clip bounds", "near 0 and 1")


def clip_points(dtype):
    """0, 1, the two clip bounds as `dtype` sees them, and their neighbours."""
    dtype = np.dtype(dtype)
    low, high = dtype.type(CLIP_LOW), dtype.type(CLIP_HIGH)
    one, zero = dtype.type(1), dtype.type(0)
    points = [zero, one, low, high,
              np.nextafter(low, zero), np.nextafter(low, one),
              np.nextafter(high, zero), np.nextafter(high, one),
              dtype.type(1e-12), dtype.type(0.5)]
    return sorted({float(p) for p in points})


@st.composite
def probabilities(draw, dtype, shape, regime=None):
    regime = regime or draw(st.sampled_from(PROBABILITY_REGIMES))
    if regime == "clip bounds":
        elements = st.one_of(st.sampled_from(clip_points(dtype)), reals(dtype, 0, 1))
        p = draw(array(dtype, shape, elements))
        # and the clip points themselves at a few places, whatever the pool held
        points = clip_points(dtype)
        for _ in range(min(p.size, 4)):
            p.flat[draw(st.integers(0, p.size - 1))] = draw(st.sampled_from(points))
    elif regime == "near 0 and 1":
        small = reals(dtype, 0, 1e-6)
        p = draw(array(dtype, shape, st.one_of(small, small.map(lambda v: 1.0 - v))))
        p = p.astype(dtype)
    else:
        z = draw(array(np.float64, shape, reals(np.float64, -8, 8)))
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = (e / e.sum(axis=1, keepdims=True)).astype(dtype)
    return regime, p


# ---------------------------------------------------------------- labels
@st.composite
def labels(draw, n_samples, n_classes):
    """Sparse class indices (of a drawn integer dtype) or their one-hot rows."""
    int_dtype = draw(st.sampled_from([np.int64, np.int32, np.uint8] if n_classes <= 255
                                     else [np.int64, np.int32]))
    sparse = draw(array(int_dtype, (n_samples,), st.integers(0, n_classes - 1)))
    name = np.dtype(int_dtype).name
    if draw(st.booleans()):
        return f"sparse {name}", sparse
    return f"one-hot {name}", np.eye(n_classes, dtype=int_dtype)[sparse]


# ================================================================ optimizer runs
# (tests/test_optimizers.py) A run is a starting point for two small layers, a
# sequence of gradients for each, and the optimizer's settings. The gradient
# sequences come from a drawn seed (tens of steps of arrays would make
# element-by-element drawing slow); the regime decides their shape of values,
# and the run's repr prints every array exactly, so a failure is pasteable.
GRADIENT_REGIMES = ("ordinary", "exact zeros", "constant sign", "tiny", "varied scales")


@dataclass
class OptimizerRun(Case):
    """Arrays weights_i, biases_i (start) and dweights_i, dbiases_i (one row per
    step) for layers i = 0, 1, and the optimizer's keyword settings."""
    settings: dict = field(default_factory=dict)

    @property
    def n_layers(self):
        return sum(name.startswith("weights_") for name in self.arrays)

    @property
    def steps(self):
        return len(self.arrays["dweights_0"])

    def __repr__(self):
        return f"\n# settings = {self.settings!r}" + super().__repr__()


def gradient_sequence(rng, regime, shape, dtype):
    """Gradients for shape = (steps, *parameter_shape), by regime:
    'exact zeros': a third of the entries and a quarter of the steps are 0
    (Adagrad's and Adam's caches stay 0 there: only epsilon keeps the step
    finite); 'constant sign': every parameter is always pushed the same way,
    so momentum builds up; 'tiny': magnitudes 1e-6 to 1e-4, where epsilon is
    not negligible next to sqrt(cache); 'varied scales': magnitudes 1e-3 to
    1e2 within one array."""
    g = rng.standard_normal(shape)
    if regime == "exact zeros":
        g[rng.random(shape) < 1 / 3] = 0.0
        g[rng.random(shape[0]) < 1 / 4] = 0.0
    elif regime == "constant sign":
        g = np.abs(g) + 0.1
        g *= rng.choice([-1.0, 1.0], size=shape[1:])
    elif regime == "tiny":
        g = np.sign(g) * 10.0 ** rng.uniform(-6, -4, shape)
    elif regime == "varied scales":
        g *= 10.0 ** rng.uniform(-3, 2, shape)
    return g.astype(dtype)


@st.composite
def optimizer_runs(draw, dtype, settings, min_steps=20, max_steps=50, n_layers=2):
    """An OptimizerRun of `dtype` whose settings are drawn from `settings`."""
    regime = draw(st.sampled_from(GRADIENT_REGIMES))
    steps = draw(st.integers(min_steps, max_steps))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    arrays = {}
    for i in range(n_layers):
        n_inputs, n_neurons = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        arrays[f"weights_{i}"] = draw(array(dtype, (n_inputs, n_neurons), reals(dtype, -2, 2)))
        arrays[f"biases_{i}"] = draw(array(dtype, (1, n_neurons), reals(dtype, -2, 2)))
        arrays[f"dweights_{i}"] = gradient_sequence(rng, regime, (steps, n_inputs, n_neurons),
                                                    dtype)
        arrays[f"dbiases_{i}"] = gradient_sequence(rng, regime, (steps, 1, n_neurons), dtype)
    return OptimizerRun(dtype, f"{regime} gradients, {steps} steps, seed {seed}", arrays,
                        settings=draw(settings))


def log_uniform(low, high):
    """Positive floats spread evenly over the decades from low to high."""
    return st.floats(np.log10(low), np.log10(high)).map(lambda e: float(10.0 ** e))


def decays():
    """No decay, or decay from 1e-4 (the book's range) up to 1 (strong)."""
    return st.one_of(st.just(0.0), log_uniform(1e-4, 1.0))


def epsilons():
    return st.one_of(st.just(1e-7), log_uniform(1e-9, 1e-3))


# One settings strategy per family of book settings (see reference/optimizers.py
# for which of them torch.optim has).
OPTIMIZER_SETTINGS = {
    "SGD": st.fixed_dictionaries({"learning_rate": log_uniform(1e-3, 2.0),
                                  "decay": decays()}),
    "SGD momentum": st.fixed_dictionaries({"learning_rate": log_uniform(1e-3, 2.0),
                                           "momentum": st.floats(0.05, 0.99)}),
    "SGD momentum decay": st.fixed_dictionaries({"learning_rate": log_uniform(1e-3, 2.0),
                                                 "decay": log_uniform(1e-3, 1.0),
                                                 "momentum": st.floats(0.05, 0.99)}),
    "Adagrad": st.fixed_dictionaries({"learning_rate": log_uniform(1e-3, 2.0),
                                      "decay": decays(), "epsilon": epsilons()}),
    "RMSprop": st.fixed_dictionaries({"learning_rate": log_uniform(1e-4, 0.1),
                                      "decay": decays(), "epsilon": epsilons(),
                                      "rho": st.floats(0.5, 0.999)}),
    "Adam": st.fixed_dictionaries({"learning_rate": log_uniform(1e-4, 0.1),
                                   "decay": decays(), "epsilon": epsilons(),
                                   "beta_1": st.one_of(st.just(0.9), st.floats(0.0, 0.99)),
                                   "beta_2": st.one_of(st.just(0.999),
                                                       st.floats(0.9, 0.9999))}),
}


# ================================================================ later chapters
# Inputs of the book's later components (sigmoid, binary and regression losses,
# L1/L2 regularization, dropout), each regime named after the hard case it forces.

# ---------------------------------------------------------------- sigmoid inputs
SIGMOID_REGIMES = ("ordinary", "exact zeros", "saturation")


def exp_overflow_points(dtype):
    """Where exp(-x) in the book's 1 / (1 + exp(-x)) overflows for `dtype`, and
    where sigma(x) leaves the normal range: saturation's landmarks, both signs."""
    points = (88.7, 89.0, 103.0, 709.7, 710.0, 745.1) if np.dtype(dtype) == np.float64 \
        else (17.0, 87.3, 88.7, 89.0, 103.0)
    return sorted({float(np.dtype(dtype).type(s * p)) for p in points for s in (-1, 1)})


@st.composite
def sigmoid_inputs(draw, dtype, shape, regime=None):
    """'saturation': every |x| between 15 and 1000, with the overflow landmarks of
    exp_overflow_points among them: sigma(x) rounds to exactly 1, or falls to
    subnormals and 0, and exp(-x) overflows in the book's formula."""
    regime = regime or draw(st.sampled_from(SIGMOID_REGIMES))
    if regime == "saturation":
        elements = st.one_of(reals(dtype, -1000, 1000),
                             st.sampled_from(exp_overflow_points(dtype)))
        x = draw(array(dtype, shape, elements))
        x = np.where(np.abs(x) < 15, np.copysign(15.0, x), x).astype(dtype)
        return regime, x
    return draw(real_batch(dtype, shape, regime))


# ---------------------------------------------------------------- binary cross-entropy
BINARY_PREDICTION_REGIMES = ("sigmoid outputs", "clip bounds", "near 0 and 1")
BINARY_TARGET_KINDS = ("0/1 integers", "0/1 floats", "soft targets")


@st.composite
def binary_predictions(draw, dtype, shape, regime=None):
    """Independent probabilities, one per output. 'clip bounds' and 'near 0 and 1'
    are the categorical loss's regimes (exact 0 and 1, the clip bounds and their
    neighbours; values within 1e-6 of 0 and 1)."""
    regime = regime or draw(st.sampled_from(BINARY_PREDICTION_REGIMES))
    if regime == "sigmoid outputs":
        z = draw(array(np.float64, shape, reals(np.float64, -8, 8)))
        return regime, (1 / (1 + np.exp(-z))).astype(dtype)
    return draw(probabilities(dtype, shape, regime))


@st.composite
def binary_targets(draw, dtype, shape):
    """0/1 labels as the book builds them (integers, of a drawn integer dtype), as
    floats of the predictions' dtype, or soft targets anywhere in [0, 1]."""
    kind = draw(st.sampled_from(BINARY_TARGET_KINDS))
    if kind == "0/1 integers":
        int_dtype = draw(st.sampled_from([np.int64, np.int32, np.uint8]))
        return kind, draw(array(int_dtype, shape, st.integers(0, 1)))
    if kind == "0/1 floats":
        return kind, draw(array(dtype, shape, st.sampled_from([0.0, 1.0])))
    return kind, draw(array(dtype, shape, reals(dtype, 0, 1)))


# ---------------------------------------------------------------- regression targets
REGRESSION_REGIMES = ("ordinary", "exact ties")


@st.composite
def regression_pairs(draw, dtype, shape, regime=None):
    """(regime, y_pred, y_true). 'exact ties': y_true equals y_pred at about half
    the positions and always at least one (the kink of |y - p|), with +0.0 and
    -0.0 predictions among them (their difference is a zero of either sign)."""
    regime = regime or draw(st.sampled_from(REGRESSION_REGIMES))
    y_true = draw(array(dtype, shape, reals(dtype)))
    if regime == "exact ties":
        y_pred = draw(with_zeros_array(dtype, shape))
        ties = draw(array(np.bool_, shape, st.booleans()))
        ties.flat[draw(st.integers(0, ties.size - 1))] = True
        y_true = np.where(ties, y_pred, y_true)
        if draw(st.booleans()):             # ties at zero as +0 vs -0
            y_true = np.where(ties & (y_pred == 0), -y_pred, y_true)
        y_true = y_true.astype(dtype)
        return regime, y_pred, y_true
    return regime, draw(array(dtype, shape, reals(dtype))), y_true


# ---------------------------------------------------------------- L1 / L2 regularization
REGULARIZER_REGIMES = ("all on", "some off")


def strengths():
    """A regularization strength > 0, exactly representable in float32 (so that
    NumPy and torch cannot round it differently in float32 arithmetic): the
    book's 5e-4, round values, or anything in [1e-4, 4]."""
    book = st.sampled_from([5e-4, 1e-3, 0.01, 0.1, 0.5, 1.0, 2.0])
    return st.one_of(book, reals(np.float32, 1e-4, 4)).map(lambda s: float(np.float32(s)))


@st.composite
def regularizers(draw, regime=None):
    """(regime, [weight_l1, weight_l2, bias_l1, bias_l2]) as a float64 array.
    'some off': each strength is 0 (the book's default) or not."""
    regime = regime or draw(st.sampled_from(REGULARIZER_REGIMES))
    if regime == "all on":
        values = [draw(strengths()) for _ in range(4)]
    else:
        values = [draw(st.one_of(st.just(0.0), strengths())) for _ in range(4)]
    return regime, np.array(values, dtype=np.float64)


PARAMETER_REGIMES = ("ordinary", "exact zero weights", "book init")


@st.composite
def dense_parameters(draw, dtype, n_inputs, n_neurons, regime=None):
    """(regime, weights, biases). 'exact zero weights': weights and biases with
    exact zeros of both signs (the kink of |w|). 'book init': weights of size
    0.01, biases all exactly 0 as Layer_Dense creates them."""
    regime = regime or draw(st.sampled_from(PARAMETER_REGIMES))
    if regime == "exact zero weights":
        return (regime, draw(with_zeros_array(dtype, (n_inputs, n_neurons))),
                draw(with_zeros_array(dtype, (1, n_neurons))))
    if regime == "book init":
        weights = draw(array(dtype, (n_inputs, n_neurons), reals(dtype, -0.04, 0.04)))
        return regime, weights, np.zeros((1, n_neurons), dtype=dtype)
    return (regime, draw(nonzero_array(dtype, (n_inputs, n_neurons))),
            draw(nonzero_array(dtype, (1, n_neurons))))


# ---------------------------------------------------------------- dropout
DROPOUT_REGIMES = ("mixed mask", "all dropped", "all kept")


def dropout_rates():
    """The fraction dropped: 0 (nothing dropped), the book's 0.1, or any in [0.01, 0.9]
    (not smaller: 1 - rate must differ from 1, or no mask but all-ones is possible)."""
    return st.one_of(st.sampled_from([0.0, 0.1, 0.5]), reals(np.float64, 0.01, 0.9))


@st.composite
def dropout_masks(draw, shape, regime=None):
    """(regime, 0/1 mask). The mask is integer, as np.random.binomial draws it,
    or boolean. 'mixed mask' always holds at least one 0 and, when there is
    room, one 1."""
    regime = regime or draw(st.sampled_from(DROPOUT_REGIMES))
    mask_dtype = draw(st.sampled_from([np.int64, np.bool_]))
    if regime == "all dropped":
        mask = np.zeros(shape, dtype=mask_dtype)
    elif regime == "all kept":
        mask = np.ones(shape, dtype=mask_dtype)
    else:
        mask = draw(array(np.int64, shape, st.integers(0, 1)))
        dropped = draw(st.integers(0, mask.size - 1))
        mask.flat[dropped] = 0
        if mask.size > 1:
            kept = draw(st.integers(0, mask.size - 2))
            mask.flat[kept + (kept >= dropped)] = 1
        mask = mask.astype(mask_dtype)
    return regime, mask


# ================================================================ away from kinks
# For finite differences and torch.autograd.gradcheck (tests/test_numerical.py,
# tests/test_reference_gradcheck.py, tests/third_opinion.py): inputs at least
# KINK_MARGIN from every point where a component is not differentiable.

# ReLU, |x| (MAE, L1) and the clip bounds (cross-entropy) have their kinks here,
# and 0 and 1 are where probabilities end. Every variable is moved out of these
# neighbourhoods (moving an ordinary weight or logit off 0 or 1 costs nothing).
KINKS = (0.0, CLIP_LOW, CLIP_HIGH, 1.0)
# Arrays that are data, not variables: never differentiated, never moved.
HELD_CONSTANT = frozenset({"dvalues", "y_true", "mask"})
# Kinks that sit where two arrays meet: component -> ((moved, other), ...) keeps
# moved - other away from 0 by moving `moved` (MAE: |y_true - y_pred|).
RELATIONAL_KINKS = {
    "Loss_MeanAbsoluteError": (("y_pred", "y_true"),),
}


def kink_variables(arguments, arrays):
    """The arguments a gradient is taken for: real arrays that are not held constant."""
    return [n for n in arguments if n not in HELD_CONSTANT
            and np.issubdtype(np.asarray(arrays[n]).dtype, np.floating)]


def push_away(values, points=KINKS, margin=KINK_MARGIN):
    """`values` with every element inside (p - margin, p + margin), for any p in
    `points`, moved out to margin beyond the edge of that neighbourhood
    (overlapping neighbourhoods count as one). An element goes away from its
    nearest point; one exactly on a point goes toward 0.5 (inward, for a
    probability). Elements already clear, and NaN, are left as they are."""
    x = np.array(values, dtype=np.float64)
    points = np.sort(np.asarray(points, dtype=np.float64))
    intervals = []
    for p in points:
        if intervals and p - margin <= intervals[-1][1]:
            intervals[-1][1] = p + margin
        else:
            intervals.append([p - margin, p + margin])
    with np.errstate(invalid="ignore"):
        nearest = points[np.argmin(np.abs(x[..., None] - points), axis=-1)]
        up = np.where(x != nearest, x > nearest, nearest < 0.5)
        for _ in range(len(intervals) + 1):     # a move can land in a neighbour
            moved = x.copy()
            for lo, hi in intervals:
                inside = (moved > lo) & (moved < hi)
                moved = np.where(inside, np.where(up, hi + margin, lo - margin), moved)
            if np.array_equal(moved, x, equal_nan=True):
                break
            x = moved
    return x.astype(np.asarray(values).dtype)


def away_from_kinks(case, component_name, arguments, margin=KINK_MARGIN):
    """A copy of `case` whose variables keep at least `margin` from every kink."""
    arrays = dict(case.arrays)
    for name in kink_variables(arguments, arrays):
        arrays[name] = push_away(arrays[name], margin=margin)
    for moved, other in RELATIONAL_KINKS.get(component_name, ()):
        difference = np.asarray(arrays[moved], np.float64) - np.asarray(arrays[other], np.float64)
        arrays[moved] = (np.asarray(arrays[other], np.float64)
                         + push_away(difference, (0.0,), margin)).astype(arrays[moved].dtype)
    return Case(case.dtype, f"{case.regime}, away from kinks", arrays)


@st.composite
def smooth_cases(draw, demo, component_name, arguments, dtype=np.float64):
    """Small cases for finite differences (at most a few dozen elements per array):
    the component's demo, with its shapes and its deliberate hard spots (extreme
    logits, saturated sigmoids, clipped probabilities), its values drawn from a
    generator seeded by Hypothesis, then moved away from every kink."""
    seed = draw(st.integers(0, 2 ** 32 - 1), label="demo seed")
    case = demo(np.random.default_rng(seed), dtype)
    smooth = away_from_kinks(case, component_name, arguments)
    smooth.regime = f"demo seed {seed}, away from kinks"
    return smooth
