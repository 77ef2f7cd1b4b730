"""Hypothesis strategies: every generated input of the suite comes from here.

Inputs are drawn in *regimes*, each named, so that the hard cases are generated
on purpose and not by luck: exact zeros (ReLU's kink), tied logits, logits in
the hundreds and thousands (softmax overflow), probabilities at and next to the
clip bounds 1e-7 and 1 - 1e-7 and at 0 and 1. tests/test_strategies.py checks
that every regime really produces what it promises.

Dependent values are built constructively: labels are drawn from the class count
that was drawn, one-hot rows are made from them.
"""
from dataclasses import dataclass, field

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

DTYPES = (np.float32, np.float64)
MAX_BATCH = 64
MAX_WIDTH = 24
CLIP_LOW = 1e-7
CLIP_HIGH = 1 - 1e-7


@dataclass
class Case:
    """One generated example: the arrays a component is called with.

    Its repr is Python you can paste into a REPL (with `import numpy as np`):
    the values are written exactly, so the arrays are rebuilt bit for bit.
    """
    dtype: type
    regime: str
    arrays: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        lines = [f"# regime: {self.regime}"]
        for name, array in self.arrays.items():
            lines.append(f"{name} = np.array({array.tolist()!r}, dtype=np.{array.dtype})")
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


def array(dtype, shape, elements):
    return hnp.arrays(np.dtype(dtype), shape, elements=elements)


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
    if draw(st.booleans()):
        return "sparse", sparse
    return "one-hot", np.eye(n_classes, dtype=int_dtype)[sparse]
