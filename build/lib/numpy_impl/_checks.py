"""Input validation shared by the NumPy components.

Every message names the component, what it expected and what it received, so a
learner can fix the call without reading this file.
"""
import numpy as np


def as_batch(component, name, array, width=None):
    """Return `array` as an ndarray of shape (n_samples, width), or raise ValueError."""
    array = np.asarray(array)
    if array.ndim != 2:
        raise ValueError(
            f"{component}: {name} must be a 2-D batch of shape (n_samples, "
            f"{width if width is not None else 'n_features'}), "
            f"received an array of shape {array.shape} ({array.ndim}-D)")
    if width is not None and array.shape[1] != width:
        raise ValueError(
            f"{component}: {name} must have {width} columns (one per "
            f"{'input' if name == 'inputs' else 'unit'}), received shape {array.shape} "
            f"with {array.shape[1]} columns")
    # issubclass on the scalar type is what np.issubdtype does, minus its Python layer
    if not issubclass(array.dtype.type, np.floating):
        raise TypeError(f"{component}: {name} must hold floating-point numbers, "
                        f"received dtype {array.dtype}")
    return array


def same_shape(component, name, array, expected_shape):
    """Check that an upstream gradient has the shape of the output it belongs to."""
    array = np.asarray(array)
    if array.shape != tuple(expected_shape):
        raise ValueError(
            f"{component}: {name} must have the shape of the forward output "
            f"{tuple(expected_shape)}, received shape {array.shape}")
    return array


def after_forward(component, remembered):
    """backward() needs what forward() remembered; say so instead of an AttributeError."""
    if remembered is None:
        raise RuntimeError(f"{component}: call forward() before backward(); "
                           f"backward needs the inputs that forward remembers")


def check_labels(component, y_true, n_samples, n_classes, dtype):
    """Validate sparse or one-hot labels and return them ready to use.

    Sparse labels (1-D) come back as they are, after checking that they are
    integers in [0, n_classes): NumPy would silently read label -1 as the last
    class, so we refuse it. One-hot labels (2-D) come back in `dtype`, so that
    multiplying by them never changes the predictions' precision.
    """
    y_true = np.asarray(y_true)
    if y_true.ndim == 1:
        if not issubclass(y_true.dtype.type, np.integer):
            raise TypeError(
                f"{component}: sparse labels must be integer class indices, "
                f"received dtype {y_true.dtype}")
        if y_true.shape[0] != n_samples:
            raise ValueError(
                f"{component}: expected {n_samples} labels (one per sample), "
                f"received {y_true.shape[0]}")
        # Two reductions decide it; the position is looked up only for the message.
        if y_true.size and (np.minimum.reduce(y_true) < 0
                            or np.maximum.reduce(y_true) >= n_classes):
            bad = (y_true < 0) | (y_true >= n_classes)
            i = int(np.argmax(bad))
            raise ValueError(
                f"{component}: label {int(y_true[i])} at position {i} is not a class index; "
                f"expected integers in [0, {n_classes - 1}] for {n_classes} classes")
        return y_true
    if y_true.ndim == 2:
        if y_true.shape != (n_samples, n_classes):
            raise ValueError(
                f"{component}: one-hot labels must have shape ({n_samples}, {n_classes}), "
                f"received shape {y_true.shape}")
        return y_true.astype(dtype, copy=False)
    raise ValueError(
        f"{component}: labels must be 1-D class indices or 2-D one-hot rows, "
        f"received an array of shape {y_true.shape}")
