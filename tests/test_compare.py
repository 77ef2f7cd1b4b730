"""The one comparison and its policy (nn_crosscheck/tolerances.py): a NaN bound
accepts nothing, identical NaN and inf agree, dtype and shape are torch's,
positions not judged are noted, and a disagreement says where it is."""
import numpy as np
import pytest

from nn_crosscheck import tolerances
from nn_crosscheck.compare import NOT_SET, Kinks, compare


def test_a_nan_bound_accepts_no_difference():
    """The false negative this replaced: with a NaN bound, |diff| > NaN is False, so
    anything passed. Now only identical values pass where the bound is NaN."""
    torch = np.array([[0.0, -2.0, 0.0]])
    yours = np.array([[0.0, np.nan, np.nan]])
    c = compare(yours, torch, np.full((1, 3), np.nan), np.float64)
    assert not c.ok and c.n_bad == 2 and c.worst.index == (0, 1)
    assert compare(torch.copy(), torch, np.full((1, 3), np.nan), np.float64).ok


def test_identical_non_finite_values_agree_and_different_ones_do_not():
    torch = np.array([np.nan, np.inf, -np.inf, 1.0])
    assert compare(torch.copy(), torch, np.ones(4), np.float64).ok
    assert not compare(np.array([np.nan, -np.inf, -np.inf, 1.0]), torch, np.ones(4),
                       np.float64).ok
    assert not compare(np.array([0.0, np.inf, -np.inf, 1.0]), torch, np.ones(4), np.float64).ok


def test_the_tolerance_is_the_policys():
    e = np.array([1.0, 0.75])
    allowed = tolerances.allowed(np.float64, [10.0, 10.0])
    assert np.allclose(allowed, 4 * np.finfo(np.float64).eps * 10 + 4 * np.finfo(
        np.float64).tiny)
    inside = e + 0.9 * allowed
    outside = e + 1.1 * allowed
    assert compare(inside, e, [10.0, 10.0], np.float64).ok
    c = compare(outside, e, [10.0, 10.0], np.float64)
    assert not c.ok and c.n_bad == 2 and c.regime == "everywhere"


@pytest.mark.parametrize("yours,what,detail", [
    (None, "not set", "expected an array of shape (2, 2)"),
    (NOT_SET, "not set", "expected an array of shape (2, 2)"),
    ("text", "not a number", "received str"),
    (np.zeros((2, 2), np.float32), "dtype", "dtype float32 where torch's is float64"),
    (np.zeros((2, 3)), "shape", "shape (2, 3) where torch's is (2, 2)"),
])
def test_what_is_wrong_is_said(yours, what, detail):
    c = compare(yours, np.zeros((2, 2)), 1.0, np.float64)
    assert not c.ok and c.what == what and detail in c.detail


def test_a_transposed_shape_is_named():
    c = compare(np.zeros((3, 2)), np.zeros((2, 3)), 1.0, np.float64)
    assert c.what == "shape" and "(its transpose)" in c.detail


def test_a_scalar_may_be_a_python_number_but_not_another_dtype():
    torch = np.float32(2.5)
    assert compare(2.5, torch, 1.0, np.float32).ok
    c = compare(np.float64(2.5), torch, 1.0, np.float32)
    assert c.what == "dtype"


def test_positions_not_judged_are_a_note_not_a_failure():
    torch = np.array([1.0, 2.0, 3.0])
    yours = np.array([1.0, 0.0, 3.0])
    c = compare(yours, torch, 1.0, np.float64, unjudged=np.array([False, True, False]))
    assert c.ok and c.notes and "not judged" in c.notes[0]
    assert not compare(yours, torch, 1.0, np.float64).ok


def test_a_difference_at_a_kink_says_so_and_whether_it_is_a_subgradient():
    torch = np.array([0.0, 5.0])
    kinks = Kinks(mask=np.array([True, False]), low=np.array([0.0, 0.0]),
                  high=np.array([2.0, 0.0]))
    c = compare(np.array([2.0, 5.0]), torch, 0.0, np.float64, kinks=kinks)
    assert not c.ok and c.regime == "only at a kink (both are subgradients)"
    c = compare(np.array([7.0, 5.0]), torch, 0.0, np.float64, kinks=kinks)
    assert c.regime == "only at a kink"
    c = compare(np.array([2.0, 6.0]), torch, 0.0, np.float64, kinks=kinks)
    assert c.regime == "everywhere"


def test_a_difference_where_the_clip_is_active_says_so():
    c = compare(np.array([-1e7, -2.0]), np.array([0.0, -2.0]), 1.0, np.float64,
                clipped=np.array([True, False]))
    assert c.regime.startswith("only where the clip is active")


def test_the_worst_element_is_the_furthest_past_its_tolerance():
    torch = np.array([1.0, 1000.0, 5.0])
    yours = np.array([1.5, 1001.0, 5.0])
    c = compare(yours, torch, np.array([1e12, 1.0, 1.0]), np.float64)
    assert c.worst.index == (1,) and c.worst.yours == 1001.0 and c.worst.torch == 1000.0
