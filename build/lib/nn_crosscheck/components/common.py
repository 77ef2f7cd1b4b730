"""What the records of every family share: moving arrays between NumPy and
torch, float64 helpers for error bounds, and the usual steps of a run."""
import numpy as np
import torch

from ..constants import CLIP_HIGH, CLIP_LOW
from ..strategies import Case

__all__ = ["Case", "tensor", "numpy", "f64", "softmax64", "softmax_rel_error", "one_hot64",
           "sigmoid64", "clip_bounds", "forward_backward", "CLIP_LOW", "CLIP_HIGH"]


def tensor(array, grad=False):
    """A torch tensor with a copy of `array` (same dtype)."""
    return torch.from_numpy(np.array(array, copy=True)).requires_grad_(grad)


def numpy(t):
    return t.detach().numpy().copy()


def f64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def softmax64(x):
    """Softmax and shifted logits in float64, for error bounds."""
    d = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        d = d - d.max(axis=1, keepdims=True)
        e = np.exp(d)
        return e / e.sum(axis=1, keepdims=True), d


def softmax_rel_error(x):
    """Bound (in eps) on the relative rounding error of each softmax element:
    exp(x_i - max) amplifies the rounding of the subtraction by |x_i - max|; the
    row sum adds K roundings, exp and the division a few more."""
    s, d = softmax64(x)
    k = d.shape[1]
    with np.errstate(invalid="ignore"):
        return s, np.abs(d) + np.sum(s * np.abs(d), axis=1, keepdims=True) + k + 4


def one_hot64(y_true, n_classes):
    y = np.asarray(y_true)
    return np.eye(n_classes)[y] if y.ndim == 1 else y.astype(np.float64)


def sigmoid64(x):
    """sigma(x) in float64, without overflow, for error bounds."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        z = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def clip_bounds(dtype):
    return np.dtype(dtype).type(CLIP_LOW), np.dtype(dtype).type(CLIP_HIGH)


def forward_backward(s, handle, inputs, dvalues, gradients=("dinputs",)):
    """The usual pair of calls: forward(inputs) (training=True where taken),
    reading .output, then backward(dvalues), reading the gradients."""
    s.call(handle, "forward", inputs, training=True, produces=("output",))
    s.call(handle, "backward", dvalues, produces=gradients)
