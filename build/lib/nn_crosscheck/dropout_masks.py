"""Make a dropout layer apply a given mask, whatever NumPy function draws it.

A correct layer keeps each input with probability keep = 1 - rate. It draws
np.random.binomial(1, keep, size), or uniforms u compared with a threshold
(u < keep, or u > rate), from the global generator or from a Generator. All of
these are functions of uniform numbers u, so handing out the right u gives the
case's mask in every correct form:

- "below keep": kept where u = keep - delta, dropped where u = keep + delta
  (binomial(1, keep), u < keep, u <= keep);
- "above rate": kept where u = rate + delta, dropped where u = rate - delta
  (u > rate, u >= rate, choice([0, 1], p=[rate, keep])).

Which one a layer class follows is found first on a throwaway instance given
inputs of ones (so every dropped input shows in its output). A layer that
draws the wrong probability (binomial(1, rate)) gets the wrong mask under both,
and disagrees. A layer that draws from something not supplied here (Python's
random, a generator made at import) gets its mask read back from its output,
and a note says so.
"""
from contextlib import contextmanager

import numpy as np

DELTA = 1e-9
CONVENTIONS = ("below keep", "above rate")


class _Generator:
    """What np.random.default_rng returns while the draws are supplied."""

    def __init__(self, draws):
        self._draws = draws

    def random(self, size=None, dtype=np.float64, out=None):
        return self._draws.uniform(size).astype(dtype)

    def uniform(self, low=0.0, high=1.0, size=None):
        return low + (high - low) * self._draws.uniform(size)

    def binomial(self, n, p, size=None):
        return self._draws.binomial(n, p, size)

    def choice(self, a, size=None, replace=True, p=None, **_):
        return self._draws.choice(a, size, p)


class DropoutDraws:
    def __init__(self, mask, rate, inputs):
        self.mask = np.asarray(mask).astype(bool)
        self.rate = float(rate)
        self.keep = 1.0 - self.rate
        self.inputs = inputs
        self.convention = CONVENTIONS[0]
        self.called = False
        self.notes = []

    # -------------------------------------------------------------- the numbers
    def uniform(self, size):
        self.called = True
        shape = () if size is None else tuple(np.atleast_1d(size))
        if shape != self.mask.shape:
            # Not the inputs' shape: nothing to align with the mask; plain numbers.
            return np.random.default_rng(0).random(shape)
        if self.convention == "below keep":
            u = np.where(self.mask, self.keep - DELTA, self.keep + DELTA)
        else:
            u = np.where(self.mask, self.rate + DELTA, self.rate - DELTA)
        return np.clip(u, 0.0, 1.0 - 1e-12)

    def binomial(self, n, p, size=None):
        u = self.uniform(size)
        if np.ndim(n) == 0 and n == 1:
            return (u < p).astype(np.int64)
        return np.random.default_rng(0).binomial(n, p, u.shape)

    def choice(self, a, size=None, p=None):
        u = self.uniform(size)
        options = np.arange(a) if np.ndim(a) == 0 else np.asarray(a)
        weights = np.full(len(options), 1 / len(options)) if p is None else np.asarray(p)
        index = np.searchsorted(np.cumsum(weights), u, side="right")
        return options[np.minimum(index, len(options) - 1)]

    # -------------------------------------------------------------- patching NumPy
    @contextmanager
    def patched(self, convention=CONVENTIONS[0]):
        self.convention = convention
        module = np.random
        saved = {name: getattr(module, name) for name in
                 ("random", "random_sample", "sample", "rand", "uniform", "binomial", "choice",
                  "default_rng")}
        module.random = module.random_sample = module.sample = (
            lambda size=None: self.uniform(size))
        module.rand = lambda *shape: self.uniform(shape if shape else None)
        module.uniform = lambda low=0.0, high=1.0, size=None: low + (high - low) * self.uniform(
            size)
        module.binomial = self.binomial
        module.choice = lambda a, size=None, replace=True, p=None: self.choice(a, size, p)
        module.default_rng = lambda *args, **kwargs: _Generator(self)
        try:
            yield self
        finally:
            for name, function in saved.items():
                setattr(module, name, function)

    # -------------------------------------------------------------- running a layer
    def convention_of(self, s):
        """Which convention gives the case's mask to this layer class, found on a
        throwaway instance given inputs of ones (every dropped input shows), or
        None when neither does (a wrong keep probability) or the layer draws from
        something not supplied here."""
        binding = s.binder.find("Layer_Dropout")
        ones = np.ones(self.mask.shape)
        for convention in CONVENTIONS:
            self.called = False
            try:
                with self.patched(convention), np.errstate(all="ignore"):
                    layer = binding.obj(self.rate)
                    name = s.binder.method(layer, "Layer_Dropout", "forward")
                    try:
                        returned = getattr(layer, name)(ones, training=True)
                    except TypeError:
                        returned = getattr(layer, name)(ones)
                    attribute = s.binder.attribute(layer, "Layer_Dropout", "output")
                    output = getattr(layer, attribute) if attribute else returned
            except Exception:
                return CONVENTIONS[0]          # the real call will say what raised
            if not self.called:
                return None
            if self._pattern_matches(output, ones):
                return convention
        return CONVENTIONS[0]

    def _pattern_matches(self, output, inputs):
        try:
            out = np.asarray(output, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        if out.shape != self.mask.shape:
            return False
        visible = (np.asarray(inputs) != 0) & np.isfinite(inputs)
        return bool(np.array_equal((out != 0)[visible], self.mask[visible]))

    def forward(self, s, inputs):
        """Construct the layer and run forward(inputs, training=True) with the
        draws that give the case's mask; returns the handle (for backward)."""
        from .session import Produced
        s.value("mask", np.asarray(s.case.arrays["mask"]))
        s.transcript.append("# the suite supplies np.random's draws so that the layer's mask "
                            "is `mask` (1 = kept)")
        convention = self.convention_of(s)
        self.called = False
        with self.patched(convention or CONVENTIONS[0]):
            layer = s.make("Layer_Dropout", self.rate)
            s.call(layer, "forward", inputs, training=True, produces=("output",))
        if convention is None and not self.called:
            self.notes.append("Layer_Dropout draws its random numbers from something this tool "
                              "does not supply (np.random.binomial, random, rand, uniform, choice "
                              "or a default_rng Generator made in the layer); the mask was read "
                              "back from its output")
            result = s.results.get("output")
            if isinstance(result, Produced) and result.value is not None:
                out = np.asarray(result.value, dtype=np.float64)
                if out.shape == self.mask.shape:
                    visible = np.asarray(self.inputs) != 0
                    mask = np.where(visible, out != 0, self.mask)
                    s.override("mask", mask.astype(np.asarray(s.case.arrays["mask"]).dtype))
        return layer
