"""Numerical differentiation: the seed's third opinion on every gradient.

The central difference (f(x + h) - f(x - h)) / 2h has error O(h^2) from the
curvature of f and O(eps / h) from rounding; h ~ eps^(1/3) balances the two.
"""
import numpy as np


def numerical_gradient(f, x, upstream=None, h=None):
    """Gradient of sum(upstream * f(x)) with respect to x, by central differences.

    f maps an array shaped like x to an array (or a scalar). `upstream` is the
    gradient flowing into f's output (None for a scalar f, meaning 1). x is not
    modified; f is evaluated on perturbed copies. Use float64.
    """
    x = np.array(x, dtype=np.float64)
    if h is None:
        h = np.finfo(np.float64).eps ** (1 / 3)
    grad = np.zeros_like(x)
    flat = grad.reshape(-1)
    for i in range(x.size):
        step = np.zeros_like(x)
        step.reshape(-1)[i] = h * max(1.0, abs(x.reshape(-1)[i]))
        width = 2 * step.reshape(-1)[i]
        plus = np.asarray(f(x + step), dtype=np.float64)
        minus = np.asarray(f(x - step), dtype=np.float64)
        difference = plus - minus
        if upstream is not None:
            difference = difference * upstream
        flat[i] = np.sum(difference) / width
    return grad
