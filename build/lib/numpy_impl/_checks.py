"""Input validation for every numpy_impl class, kept out of the formulas.

Each method of a class makes at most one call into this module, e.g.

    inputs = check.batch(self, "inputs", inputs)

and every message names the class, what it expected and what it received, so
a learner can fix the call without reading this file.
"""
import math

import numpy as np


def _name(obj):
    return type(obj).__name__


def _array(obj, name, array, expected):
    """`array` itself if it is a NumPy array; a Python list or anything else is
    refused: it has no dtype, so float32 in -> float32 out could not hold."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"{_name(obj)}: {name} must be a NumPy array ({expected}), received "
                        f"a {type(array).__name__}; convert it with np.array(...) first")
    return array


def _floating(obj, name, array):
    # issubclass on the scalar type is np.issubdtype without its Python layer;
    # long double is refused too (torch has none, so nothing could check it).
    if not issubclass(array.dtype.type, np.floating) or array.dtype.itemsize > 8:
        raise TypeError(f"{_name(obj)}: {name} must hold floating-point numbers (float16, "
                        f"float32 or float64), received dtype {array.dtype}")


# ----------------------------------------------------------------- batches and gradients
def batch(obj, name, array, width=None):
    """A 2-D floating-point array of shape (n_samples, width)."""
    columns = width if width is not None else "n_features"
    array = _array(obj, name, array, f"shape (n_samples, {columns})")
    if array.ndim != 2:
        raise ValueError(f"{_name(obj)}: {name} must be a 2-D batch of shape (n_samples, "
                         f"{columns}), received an array of shape {array.shape} "
                         f"({array.ndim}-D)")
    if width is not None and array.shape[1] != width:
        raise ValueError(f"{_name(obj)}: {name} must have {width} columns (one per "
                         f"{'input' if name == 'inputs' else 'unit'}), received shape "
                         f"{array.shape} with {array.shape[1]} columns")
    _floating(obj, name, array)
    return array


def layer_inputs(layer, inputs):
    """Layer_Dense.forward: inputs one column per row of weights, and parameters
    whose shapes fit together (a (n_neurons, 1) bias would broadcast silently)."""
    weights, biases = layer.weights, layer.biases
    for name, value in (("weights", weights), ("biases", biases)):
        _array(layer, name, value, "the layer's parameters")
    if weights.ndim != 2:
        raise ValueError(f"{_name(layer)}: weights must have shape (n_inputs, n_neurons), "
                         f"received shape {weights.shape}")
    if biases.shape != (1, weights.shape[1]):
        raise ValueError(f"{_name(layer)}: biases must have shape (1, {weights.shape[1]}), "
                         f"received shape {biases.shape}")
    return batch(layer, "inputs", inputs, width=weights.shape[0])


def gradient(obj, dvalues):
    """backward(dvalues): forward() has run, and dvalues has the shape of its output."""
    output = getattr(obj, "output", None)
    if output is None:
        raise RuntimeError(f"{_name(obj)}: call forward() before backward(); backward "
                           f"needs what forward remembers (received backward first)")
    dvalues = _array(obj, "dvalues", dvalues, f"shape {output.shape}")
    if dvalues.shape != output.shape:
        raise ValueError(f"{_name(obj)}: dvalues must have the shape of the forward output "
                         f"{output.shape}, received shape {dvalues.shape}")
    _floating(obj, "dvalues", dvalues)
    return dvalues


# ----------------------------------------------------------------------------- labels
def _labels(obj, y_true, n_samples, n_classes, dtype):
    """Sparse labels (1-D integer class indices in [0, n_classes)) as they are, or
    one-hot rows (2-D) converted to `dtype`, so that multiplying by them never
    changes the predictions' precision (uint8 or int64 rows included)."""
    y_true = _array(obj, "y_true", y_true, "1-D class indices or 2-D one-hot rows")
    if y_true.ndim == 1:
        if not issubclass(y_true.dtype.type, np.integer):
            raise TypeError(f"{_name(obj)}: sparse labels must be integer class indices, "
                            f"received dtype {y_true.dtype}")
        if y_true.shape[0] != n_samples:
            raise ValueError(f"{_name(obj)}: expected {n_samples} labels (one per sample), "
                             f"received {y_true.shape[0]}")
        # NumPy would read label -1 as the last class: refuse it.
        bad = (y_true < 0) | (y_true >= n_classes)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{_name(obj)}: label {int(y_true[i])} at position {i} is not a "
                             f"class index; expected integers in [0, {n_classes - 1}] for "
                             f"{n_classes} classes")
        return y_true
    if y_true.ndim == 2:
        if y_true.shape != (n_samples, n_classes):
            raise ValueError(f"{_name(obj)}: one-hot labels must have shape "
                             f"({n_samples}, {n_classes}), received shape {y_true.shape}")
        return y_true.astype(dtype, copy=False)
    raise ValueError(f"{_name(obj)}: labels must be 1-D class indices or 2-D one-hot rows, "
                     f"received an array of shape {y_true.shape}")


def class_labels(obj, name, y_pred, y_true):
    """(y_pred, y_true) for a classification loss: a batch and its labels."""
    y_pred = batch(obj, name, y_pred)
    return y_pred, _labels(obj, y_true, *y_pred.shape, y_pred.dtype)


def gradient_and_labels(obj, dvalues, y_true):
    """(dvalues, y_true) for backward(dvalues, y_true) of the combined softmax loss."""
    dvalues = gradient(obj, dvalues)
    return dvalues, _labels(obj, y_true, *dvalues.shape, dvalues.dtype)


def targets(obj, name, y_pred, y_true, unit_interval=False):
    """(y_pred, y_true) for a regression or binary loss: one target per prediction,
    returned in the predictions' dtype (0/1 integer labels would otherwise promote
    float32 predictions to float64)."""
    y_pred = batch(obj, name, y_pred)
    y_true = _array(obj, "y_true", y_true, f"shape {y_pred.shape}")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{_name(obj)}: y_true must have the shape of the predictions "
                         f"{y_pred.shape} (one target per output), received shape "
                         f"{y_true.shape}")
    if not (np.issubdtype(y_true.dtype, np.number) or y_true.dtype == np.bool_):
        raise TypeError(f"{_name(obj)}: y_true must hold numbers, received dtype "
                        f"{y_true.dtype}")
    if unit_interval:
        outside = (y_true < 0) | (y_true > 1)
        if outside.any():
            where = tuple(int(i) for i in np.argwhere(outside)[0])
            raise ValueError(f"{_name(obj)}: targets must lie in [0, 1] (0/1 labels or "
                             f"probabilities), received {y_true[where].item()!r} at "
                             f"position {list(where)}")
    return y_pred, y_true.astype(y_pred.dtype, copy=False)


# --------------------------------------------------------------------------- settings
# name: (low, high, low excluded, high excluded, integer)
_SETTINGS = {
    "n_inputs": (1, math.inf, False, True, True),
    "n_neurons": (1, math.inf, False, True, True),
    "weight_regularizer_l1": (0, math.inf, False, True, False),
    "weight_regularizer_l2": (0, math.inf, False, True, False),
    "bias_regularizer_l1": (0, math.inf, False, True, False),
    "bias_regularizer_l2": (0, math.inf, False, True, False),
    "rate": (0, 1, False, True, False),
    "learning_rate": (0, math.inf, True, True, False),
    "decay": (0, math.inf, False, True, False),
    "momentum": (0, math.inf, False, True, False),
    "epsilon": (0, math.inf, True, True, False),
    "rho": (0, 1, False, True, False),
    "beta_1": (0, 1, False, True, False),
    "beta_2": (0, 1, False, True, False),
    "epochs": (1, math.inf, False, True, True),
    "batch_size": (1, math.inf, False, True, True),
    "print_every": (1, math.inf, False, True, True),
}
_MEANING = {"rate": " (the fraction of inputs dropped)"}


def settings(obj, **values):
    """Validate constructor-style settings by name and return them in order, as
    Python ints or floats. Python floats on purpose: NumPy treats them as "weak",
    so lr * float32_array stays float32, where an np.float64 learning rate would
    silently turn every float32 update into float64."""
    checked = []
    for name, value in values.items():
        low, high, low_open, high_open, integer = _SETTINGS[name]
        kind = "an integer" if integer else "a real number"
        if isinstance(value, bool) or not isinstance(
                value, (int, np.integer) if integer else (int, float, np.integer, np.floating)):
            raise TypeError(f"{_name(obj)}: {name} must be {kind}{_MEANING.get(name, '')}, "
                            f"received {type(value).__name__} {value!r}")
        value = int(value) if integer else float(value)
        too_low = value <= low if low_open else value < low
        too_high = value >= high if high_open else value > high
        if math.isnan(value) or too_low or too_high:
            interval = ("(" if low_open else "[") + f"{low:g}, " + (
                f"{high:g}" + (")" if high_open else "]") if math.isfinite(high) else "inf)")
            raise ValueError(f"{_name(obj)}: {name} must be in {interval}"
                             f"{_MEANING.get(name, '')}, received {value!r}")
        checked.append(value)
    return checked[0] if len(checked) == 1 else tuple(checked)


# ---------------------------------------------------------------------- optimizers
def trainable(optimizer, layer):
    """update_params(layer): a layer with float parameters and gradients of their
    shapes, and optimizer state (if any yet) of their shapes too."""
    for parameter, gradient_name in (("weights", "dweights"), ("biases", "dbiases")):
        if not hasattr(layer, parameter):
            raise TypeError(f"{_name(optimizer)}: update_params expects a layer with "
                            f".weights, .biases, .dweights and .dbiases; "
                            f"received a {type(layer).__name__}, which has no .{parameter}")
        value = getattr(layer, parameter)
        if not isinstance(value, np.ndarray) or not issubclass(value.dtype.type, np.floating):
            raise TypeError(f"{_name(optimizer)}: layer.{parameter} must be a floating-point "
                            f"NumPy array (it is updated in place), received "
                            f"{type(value).__name__} {getattr(value, 'dtype', '')}".rstrip())
        grad = getattr(layer, gradient_name, None)
        if grad is None:
            raise RuntimeError(f"{_name(optimizer)}: the layer has no .{gradient_name}; call "
                               f"the layer's backward() before update_params(layer)")
        if not isinstance(grad, np.ndarray) or grad.shape != value.shape:
            raise ValueError(f"{_name(optimizer)}: layer.{gradient_name} must have the shape "
                             f"of layer.{parameter} {value.shape}, received shape "
                             f"{np.shape(grad)}")
        prefix = "weight" if parameter == "weights" else "bias"
        for state in (f"{prefix}_momentums", f"{prefix}_cache"):
            if np.shape(getattr(layer, state, value)) != value.shape:
                raise ValueError(f"{_name(optimizer)}: layer.{state} has shape "
                                 f"{np.shape(getattr(layer, state))} but layer.{parameter} "
                                 f"has shape {value.shape}; was the layer resized after "
                                 f"training started?")


# ------------------------------------------------------------------------- losses
def regularized_layers(loss, layer):
    """The layers whose penalties regularization_loss sums: the one given
    (chapter 14) or those remembered by remember_trainable_layers (chapter 18)."""
    layers = [layer] if layer is not None else getattr(loss, "trainable_layers", None)
    if layers is None:
        raise RuntimeError(f"{_name(loss)}: regularization_loss() needs a layer, "
                           f"regularization_loss(layer), or the model's layers from "
                           f"remember_trainable_layers(layers); received neither")
    for each in layers:
        missing = [a for a in ("weights", "biases", "weight_regularizer_l1",
                               "weight_regularizer_l2", "bias_regularizer_l1",
                               "bias_regularizer_l2") if not hasattr(each, a)]
        if missing:
            raise TypeError(f"{_name(loss)}: regularization_loss expects layers with weights, "
                            f"biases and regularizer strengths; received "
                            f"{type(each).__name__}, which has no .{missing[0]}")
    return layers


def accumulated(obj):
    """calculate_accumulated(): something was accumulated since new_pass()."""
    if obj.accumulated_count == 0:
        raise RuntimeError(f"{_name(obj)}: calculate_accumulated() averages what calculate() "
                           f"added since new_pass(); expected at least one calculate() call, "
                           f"received none")


def trainable_layers(loss, layers):
    """remember_trainable_layers(layers): a list of layers."""
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"{_name(loss)}: remember_trainable_layers expects a list of layers, "
                        f"received a {type(layers).__name__}")
    return list(layers)


# ----------------------------------------------------------------------- accuracy
def comparable(accuracy, predictions, y, one_hot=False):
    """compare(predictions, y): arrays with one prediction per target; with
    `one_hot`, y may also be one-hot rows (one row per prediction). An accuracy
    with a precision (Accuracy_Regression) needs it set by init(y) first."""
    if getattr(accuracy, "precision", False) is None:
        raise RuntimeError(f"{_name(accuracy)}: call init(y) before calculate(); compare "
                           f"needs the precision init sets (received precision None)")
    predictions = _array(accuracy, "predictions", predictions, "one per target")
    y = _array(accuracy, "y", y, "the targets, one per prediction")
    expected = predictions.shape
    if one_hot and y.ndim == 2 and predictions.ndim == 1:
        matches = y.shape[0] == predictions.shape[0]
        expected = f"({predictions.shape[0]}, n_classes)"
    else:
        matches = y.shape == predictions.shape
    if not matches:
        raise ValueError(f"{_name(accuracy)}: y must have the shape of the predictions "
                         f"{expected} (one target per prediction), received shape {y.shape}")
    return predictions, y


def regression_targets(accuracy, y):
    """Accuracy_Regression.init(y): numeric targets."""
    y = _array(accuracy, "y", y, "the regression targets")
    if not np.issubdtype(y.dtype, np.number) or y.size == 0:
        raise ValueError(f"{_name(accuracy)}: init(y) needs numeric targets to set its "
                         f"precision, received dtype {y.dtype} and shape {y.shape}")
    return y


# -------------------------------------------------------------------------- model
def model_layer(model, layer):
    """Model.add(layer): anything with forward() and backward()."""
    if not (callable(getattr(layer, "forward", None))
            and callable(getattr(layer, "backward", None))):
        raise TypeError(f"{_name(model)}: add expects a layer or activation with forward() "
                        f"and backward(), received a {type(layer).__name__}")


def model_parts(model, loss, optimizer, accuracy):
    """Model.set(loss=..., optimizer=..., accuracy=...)."""
    for name, part, needs in (("loss", loss, "calculate"),
                              ("optimizer", optimizer, "update_params"),
                              ("accuracy", accuracy, "calculate")):
        if part is not None and not callable(getattr(part, needs, None)):
            raise TypeError(f"{_name(model)}: {name} must be an object with {needs}(), "
                            f"received a {type(part).__name__}")


def finalizable(model):
    """Model.finalize(): at least one layer."""
    if not model.layers:
        raise RuntimeError(f"{_name(model)}: finalize() needs layers; expected at least one "
                           f"add(layer) call first, received none")


def model_data(model, X, y=None, batch_size=None, *, needs=()):
    """Model.evaluate/predict/forward/backward: a finalized model, set with what
    the call needs, an array X, and as many targets y as samples."""
    if not hasattr(model, "input_layer"):
        raise RuntimeError(f"{_name(model)}: call finalize() after add() and set() and before "
                           f"training, evaluating or predicting (received no finalize())")
    for part in needs:
        if getattr(model, part, None) is None:
            raise RuntimeError(f"{_name(model)}: this call needs the model's {part}; expected "
                               f"set({part}=...) before finalize(), received none")
    _array(model, "X", X, "one sample per row")
    if y is not None:
        _array(model, "y", y, "one target per sample")
        if len(y) != len(X):
            raise ValueError(f"{_name(model)}: expected one target per sample ({len(X)}), "
                             f"received {len(y)} targets")
    if batch_size is not None:
        settings(model, batch_size=batch_size)


def training(model, X, y, epochs, batch_size, print_every, validation_data):
    """Model.train: everything model_data checks, the training settings, and
    validation data as a pair (X_val, y_val)."""
    model_data(model, X, y, batch_size, needs=("loss", "optimizer", "accuracy"))
    settings(model, epochs=epochs, print_every=print_every)
    if validation_data is not None:
        if not isinstance(validation_data, tuple) or len(validation_data) != 2:
            raise TypeError(f"{_name(model)}: validation_data must be a tuple (X_val, y_val), "
                            f"received a {type(validation_data).__name__}")
        model_data(model, *validation_data)


def parameters(model, parameters):
    """Model.set_parameters: one (weights, biases) pair per trainable layer."""
    if len(parameters) != len(model.trainable_layers):
        raise ValueError(f"{_name(model)}: expected one (weights, biases) pair per trainable "
                         f"layer ({len(model.trainable_layers)}), received {len(parameters)}")


def layer_parameters(layer, weights, biases):
    """Layer_Dense.set_parameters: arrays of the layer's parameter shapes."""
    for name, value, current in (("weights", weights, layer.weights),
                                 ("biases", biases, layer.biases)):
        _array(layer, name, value, f"shape {current.shape}")
        if value.shape != current.shape:
            raise ValueError(f"{_name(layer)}: {name} must have shape {current.shape}, "
                             f"received shape {value.shape}")
        _floating(layer, name, value)
