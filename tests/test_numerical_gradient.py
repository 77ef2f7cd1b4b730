"""numpy_impl.numerical_gradient, the seed's numerical derivative: central
differences (f(x + s) - f(x - s)) / 2s of sum(upstream * f), one element of x
at a time, with the step s = h * max(1, |x_i|) and h = eps ** (1/3) by default.

Checked against torch's autograd on smooth functions, and against the central
difference of a cubic, which is known in closed form: for f(x) = x**3,
((x + s)**3 - (x - s)**3) / 2s = 3 x**2 + s**2 exactly, so the step itself
shows in the result.
"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from numpy_impl import numerical_gradient

DEFAULT_H = np.finfo(np.float64).eps ** (1 / 3)      # the documented default, ~6.1e-6
shapes = hnp.array_shapes(min_dims=2, max_dims=2, max_side=4)


def arrays(low, high, shape=shapes):
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high))


def central_difference_of_cubic(x, h):
    """3 x**2 + s**2, s = h * max(1, |x|): what the central difference of x**3 is."""
    step = h * np.maximum(1.0, np.abs(x))
    return 3 * x ** 2 + step ** 2


@settings(deadline=None)
@given(data=st.data(), x=arrays(-2, 2))
def test_matches_torch_autograd_with_and_without_upstream(data, x):
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(x.shape[1], 3))
    upstream = data.draw(arrays(0.25, 0.75, shape=(x.shape[0], 3)), label="upstream")
    t = torch.from_numpy(x).requires_grad_()
    (torch.tanh(t @ torch.from_numpy(weights)) * torch.from_numpy(upstream)).sum().backward()
    mine = numerical_gradient(lambda v: np.tanh(v @ weights), x, upstream=upstream)
    np.testing.assert_allclose(mine, t.grad.numpy(), rtol=1e-6, atol=1e-8)
    # a scalar f: no upstream
    t = torch.from_numpy(x).requires_grad_()
    (torch.sin(t) * t ** 2).sum().backward()
    mine = numerical_gradient(lambda v: np.sum(np.sin(v) * v ** 2), x)
    np.testing.assert_allclose(mine, t.grad.numpy(), rtol=1e-6, atol=1e-8)


@settings(deadline=None)
@given(x=arrays(-3, 3), h=st.sampled_from([1e-3, 1e-2]))
@example(x=np.array([[-2.5, -1.0, 0.0], [0.5, 1.5, 3.0]]), h=1e-3)
def test_the_step_is_h_times_the_larger_of_1_and_x(x, h):
    """Given h, each element's step is h * max(1, |x_i|) and the divisor twice it."""
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v ** 3), x, h=h),
                               central_difference_of_cubic(x, h), rtol=1e-12, atol=1e-9)


@settings(deadline=None)
@given(data=st.data(), x=arrays(-3, 3))
def test_upstream_weighs_each_output(data, x):
    upstream = data.draw(arrays(-2, 2, shape=x.shape), label="upstream")
    np.testing.assert_allclose(numerical_gradient(lambda v: v ** 3, x, upstream=upstream, h=1e-3),
                               upstream * central_difference_of_cubic(x, 1e-3),
                               rtol=1e-12, atol=1e-9)


def test_the_default_step_is_the_cube_root_of_epsilon():
    """h ~ 6e-6 balances truncation (s**2 here) and rounding (eps / s). On this
    cubic a step 10x larger is off by 3.6e-9, beyond the 1e-9 allowed; a step
    10x smaller is off by only ~2e-10 here, so this test pins the step from
    above (mutants of the exponent make it far larger or far smaller)."""
    x = np.array([[-1.0, -0.75, -0.3], [0.2, 0.5, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        numeric = numerical_gradient(lambda v: np.sum(v ** 3), x)
    np.testing.assert_allclose(numeric, central_difference_of_cubic(x, DEFAULT_H),
                               rtol=0, atol=1e-9)


@pytest.mark.parametrize("x", [np.array([[1, -2], [3, 0]]), np.array([[1, -2], [3, 0]],
                                                                       dtype=np.float32),
                               [[1.0, -2.0], [3.0, 0.0]]],
                         ids=["int64", "float32", "list"])
def test_any_numbers_are_differenced_in_float64_and_left_unchanged(x):
    before = np.array(x, copy=True)
    numeric = numerical_gradient(lambda v: np.sum(v ** 3), x, h=1e-3)
    assert numeric.dtype == np.float64
    np.testing.assert_allclose(numeric, central_difference_of_cubic(before.astype(np.float64),
                                                                    1e-3),
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(np.array(x), before)
