"""Layer_Dense: a fully connected layer, written as in the book but vectorized."""
import numpy as np

from ._checks import after_forward, as_batch, same_shape


def _strength(name, value):
    """A regularization strength: a real number >= 0, returned as a Python float."""
    try:
        strength = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"Layer_Dense: {name} must be a number >= 0, "
                        f"received {value!r}") from None
    if not strength >= 0 or strength == float("inf"):
        raise ValueError(f"Layer_Dense: {name} must be a finite number >= 0, "
                         f"received {value!r}")
    return strength


def _sign(values):
    """The derivative of |w|: +1 for w > 0, -1 for w < 0, and 0 at w == 0, where
    |w| has no derivative and torch's autograd uses 0 (as it does for NaN)."""
    return (values > 0).astype(values.dtype) - (values < 0).astype(values.dtype)


_MISSING = object()


class _DeferredDinputs:
    """Layer_Dense's dinputs from one backward() call, computed when first read.

    It costs a matrix product as large as the one for dweights, and the first
    layer of a network never reads it. The weights are copied when backward()
    runs, so an optimizer step taken before the first read cannot change it.
    dvalues is kept as given, not copied (that copy would cost as much again):
    writing into it in place before dinputs is read would change dinputs, which
    the book's training loop never does.
    """
    __slots__ = ("dvalues", "weights")

    def __init__(self, dvalues, weights):
        self.dvalues, self.weights = dvalues, weights.copy(order="K")

    def compute(self):
        dvalues = self.dvalues
        # Input i reaches output j through w_ij: dinputs = dvalues @ weights.T.
        return np.dot(dvalues, self.weights.T)


class Layer_Dense:
    """output = inputs @ weights + biases, for a batch of row vectors."""

    def __init__(self, n_inputs, n_neurons, weight_regularizer_l1=0, weight_regularizer_l2=0,
                 bias_regularizer_l1=0, bias_regularizer_l2=0):
        # Drawn from NumPy's global generator exactly as the book does, so that the
        # book's seeded figures (after nnfs.init()) reproduce.
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))
        self.inputs = None
        # Regularization strengths (chapter 14); 0 switches a term off. Kept as
        # Python floats so that they never change a float32 layer's dtype.
        self.weight_regularizer_l1 = _strength("weight_regularizer_l1", weight_regularizer_l1)
        self.weight_regularizer_l2 = _strength("weight_regularizer_l2", weight_regularizer_l2)
        self.bias_regularizer_l1 = _strength("bias_regularizer_l1", bias_regularizer_l1)
        self.bias_regularizer_l2 = _strength("bias_regularizer_l2", bias_regularizer_l2)

    def forward(self, inputs):
        n_inputs, n_neurons = self.weights.shape
        inputs = as_batch("Layer_Dense", "inputs", inputs, width=n_inputs)
        if self.biases.shape != (1, n_neurons):
            raise ValueError(f"Layer_Dense: biases must have shape (1, {n_neurons}), "
                             f"received shape {self.biases.shape}")
        self.inputs = inputs
        # weights are stored (n_inputs, n_neurons): no transpose needed.
        output = np.dot(inputs, self.weights)
        if np.result_type(output, self.biases) == output.dtype:
            output += self.biases    # in place: no second (n_samples, n_neurons) array
        else:
            output = output + self.biases    # wider biases: NumPy promotes the sum
        self.output = output

    def backward(self, dvalues):
        after_forward("Layer_Dense", self.inputs)
        dvalues = same_shape("Layer_Dense", "dvalues", dvalues, self.output.shape)
        # Each weight w_ij touches every sample's output j through input i:
        # sum over the batch of inputs_i * dvalues_j, i.e. inputs.T @ dvalues.
        self.dweights = np.dot(self.inputs.T, dvalues)
        # A bias is added to every sample, so its gradient sums over the batch.
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        # The penalties l1 * sum|w| + l2 * sum(w * w) belong to the loss, so their
        # derivatives l1 * sign(w) and 2 * l2 * w join the gradients.
        if self.weight_regularizer_l1 > 0:
            self.dweights = self.dweights + self.weight_regularizer_l1 * _sign(self.weights)
        if self.weight_regularizer_l2 > 0:
            self.dweights = self.dweights + 2 * self.weight_regularizer_l2 * self.weights
        if self.bias_regularizer_l1 > 0:
            self.dbiases = self.dbiases + self.bias_regularizer_l1 * _sign(self.biases)
        if self.bias_regularizer_l2 > 0:
            self.dbiases = self.dbiases + 2 * self.bias_regularizer_l2 * self.biases
        # dinputs is computed when first read (see _DeferredDinputs and the property
        # below); a mismatch the product would meet is reported now, as it was.
        if self.weights.shape[1:] != dvalues.shape[1:]:
            raise ValueError(f"Layer_Dense: weights must have {dvalues.shape[1]} columns "
                             f"(one per neuron) for these dvalues, received weights of "
                             f"shape {self.weights.shape}")
        self.dinputs = _DeferredDinputs(dvalues, self.weights)

    @property
    def dinputs(self):
        """The gradient for the inputs, dvalues @ weights.T, from the last backward()."""
        value = self.__dict__.get("dinputs", _MISSING)
        if value is _MISSING:     # no backward() yet: as for any attribute never set
            raise AttributeError(f"'{type(self).__name__}' object has no attribute 'dinputs'")
        if isinstance(value, _DeferredDinputs):
            value = self.__dict__["dinputs"] = value.compute()
        return value

    @dinputs.setter
    def dinputs(self, value):
        self.__dict__["dinputs"] = value

    @dinputs.deleter
    def dinputs(self):
        if self.__dict__.pop("dinputs", _MISSING) is _MISSING:
            raise AttributeError("dinputs")


class Layer_Dropout:
    """Inverted dropout (the book's chapter 15): while training, each input is
    zeroed with probability `rate` and the survivors are divided by 1 - rate.

    The mask is drawn from NumPy's global generator, as in the book:
    np.random.binomial(1, 1 - rate, size). To make a torch twin apply the very
    same mask, either pass one in, forward(inputs, mask=m) with m an array of 0s
    (dropped) and 1s (kept) shaped like the inputs, or let forward draw it and
    read it back from .mask afterwards. forward(inputs, training=False) is the
    identity (inference; the later chapters' Model passes `training`).
    """

    def __init__(self, rate):
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            raise TypeError(f"Layer_Dropout: rate must be a number in [0, 1), "
                            f"received {rate!r}") from None
        if not 0 <= rate < 1:
            raise ValueError(f"Layer_Dropout: rate is the fraction of inputs dropped and "
                             f"must be in [0, 1), received {rate!r}")
        # As in the book, self.rate holds the probability of KEEPING an input.
        self.rate = 1 - rate
        self.inputs = None

    def forward(self, inputs, training=True, mask=None):
        inputs = as_batch("Layer_Dropout", "inputs", inputs)
        self.inputs = inputs
        if not training:
            self.mask = self.binary_mask = None
            self.output = inputs.copy()
            return
        if mask is None:
            mask = np.random.binomial(1, self.rate, size=inputs.shape)
        else:
            mask = np.asarray(mask)
            if mask.shape != inputs.shape:
                raise ValueError(f"Layer_Dropout: mask must have the shape of the inputs "
                                 f"{inputs.shape} (one 0/1 per input), received shape "
                                 f"{mask.shape}")
            if not ((mask == 0) | (mask == 1)).all():
                raise ValueError("Layer_Dropout: mask must hold only 0 (dropped) and "
                                 f"1 (kept), received values {np.unique(mask)[:5]!r}")
        self.mask = mask
        # Scaling the survivors by 1 / keep-probability keeps every output's
        # expected value equal to its input, so inference needs no rescaling.
        self.binary_mask = mask.astype(inputs.dtype) / self.rate
        self.output = inputs * self.binary_mask

    def backward(self, dvalues):
        after_forward("Layer_Dropout", self.inputs)
        dvalues = same_shape("Layer_Dropout", "dvalues", dvalues, self.output.shape)
        if self.binary_mask is None:      # the last forward was inference: identity
            self.dinputs = dvalues.copy()
        else:
            # output = inputs * binary_mask, so the gradient is scaled the same way.
            self.dinputs = dvalues * self.binary_mask
