"""The hard cases are generated on purpose: each regime of
nn_crosscheck/strategies.py really produces what it promises (exact zeros, ties, overflowing logits,
probabilities at the clip bounds, both label kinds, both dtypes)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nn_crosscheck import strategies as S
from nn_crosscheck.components import BY_ID as BY_NAME
from nn_crosscheck.engine import cases


CLIP_LOW32, CLIP_HIGH32 = np.float32(S.CLIP_LOW), np.float32(S.CLIP_HIGH)


def draws(strategy, n=30):
    """n examples of a strategy, drawn the way the suite draws them."""
    seen = []

    @settings(max_examples=n, database=None, derandomize=True)
    @given(strategy)
    def collect(value):
        seen.append(value)

    collect()
    return seen


@pytest.mark.parametrize("dtype", S.DTYPES, ids=lambda d: np.dtype(d).name)
def test_regimes_produce_their_hard_cases(dtype):
    zeros = draws(S.real_batch(dtype, (4, 5), "exact zeros"))
    assert all((x == 0).any() for _, x in zeros)
    assert any(np.signbit(x[x == 0]).any() for _, x in zeros), "-0.0 never drawn"

    large = draws(S.logits(dtype, (3, 4), "large offset"))
    limit = np.log(np.finfo(dtype).max)
    assert any((np.abs(x) > limit).any() for _, x in large), "no logit overflows exp"
    assert all((np.abs(x) >= 80).all() for _, x in large)

    spread = draws(S.logits(dtype, (3, 4), "extreme spread"))
    assert any((np.ptp(x, axis=1) > 2000).any() for _, x in spread)

    ties = draws(S.logits(dtype, (3, 4), "ties"))
    assert any(any(len(set(row)) < len(row) for row in x) for _, x in ties)

    clip = draws(S.probabilities(dtype, (4, 3), "clip bounds"))
    flat = np.concatenate([p.ravel() for _, p in clip])
    low, high = np.dtype(dtype).type(S.CLIP_LOW), np.dtype(dtype).type(S.CLIP_HIGH)
    for point in (0, 1, low, high, np.nextafter(low, 0), np.nextafter(high, 1)):
        assert (flat == point).any(), f"{point!r} never drawn"

    near = draws(S.probabilities(dtype, (4, 3), "near 0 and 1"))
    flat = np.concatenate([p.ravel() for _, p in near])
    assert (flat < 1e-6).any() and (flat > 1 - 1e-6).any()


def test_every_registry_strategy_draws_every_regime_and_both_label_kinds():
    for name in ("Activation_Softmax", "Activation_Softmax_Loss_CategoricalCrossentropy",
                 "Loss_CategoricalCrossentropy", "Activation_ReLU", "Layer_Dense"):
        cases = draws(BY_NAME[name].cases(np.float64), n=40)
        regimes = {c.regime for c in cases}
        assert len(regimes) >= 2, (name, regimes)
        if "labels" in " ".join(regimes):
            assert any("sparse" in r for r in regimes) and any("one-hot" in r for r in regimes)


def test_dense_cases_have_nonzero_weights_and_biases():
    for dtype in S.DTYPES:
        for c in draws(BY_NAME["Layer_Dense"].cases(dtype)):
            assert (c.weights != 0).all() and (c.biases != 0).all()
            assert c.inputs.dtype == c.weights.dtype == c.dvalues.dtype == dtype


def test_batch_sizes_and_widths_cover_the_range():
    sizes = draws(st.tuples(S.batch_sizes(), S.widths(), S.widths(minimum=2)), n=200)
    assert min(s[0] for s in sizes) == 1 and max(s[0] for s in sizes) >= 32
    assert min(s[1] for s in sizes) == 1 and min(s[2] for s in sizes) == 2


def test_case_repr_rebuilds_the_arrays_exactly():
    case = draws(BY_NAME["Layer_Dense"].cases(np.float32), n=5)[-1]
    namespace = {"np": np}
    exec(repr(case), namespace)
    for name, array in case.arrays.items():
        assert np.array_equal(namespace[name], array) and namespace[name].dtype == array.dtype


def test_one_case_in_four_carries_a_planted_nan_or_infinity():
    drawn = draws(cases(BY_NAME["Activation_ReLU"], np.float64), n=150)
    planted = [c for c in drawn if "non-finite" in c.regime]
    assert 10 <= len(planted) <= 75
    for c in planted:
        values = np.concatenate([a.ravel() for a in c.arrays.values()])
        assert (~np.isfinite(values)).sum() == 1
    kinds = {str(v) for c in planted for a in c.arrays.values() for v in a.ravel()
             if not np.isfinite(v)}
    assert kinds <= {"nan", "inf", "-inf"} and len(kinds) >= 2
