"""The book's data sets and its training loop, once: with the user's classes
(through a Session) and with the torch twins. The network checks
(components/networks.py) and scripts/train_compare.py use these.

The loop is the book's, chapters 10 to 17, for any network of Dense, ReLU,
Sigmoid, Linear and Dropout layers ending in softmax + cross-entropy, sigmoid +
binary cross-entropy or linear + mean squared error:

    dense1.forward(X); activation1.forward(dense1.output); ...
    data_loss = loss_activation.forward(dense2.output, y)        # or loss.calculate
    regularization_loss = loss.regularization_loss(dense1) + ...  # chapter 14 on
    loss_activation.backward(loss_activation.output, y); dense2.backward(...); ...
    optimizer.pre_update_params(); optimizer.update_params(dense1); ...

It adapts to what the user's classes have: forward(inputs, training) from
chapter 18, a combined softmax + cross-entropy with only backward (then
Activation_Softmax and Loss_CategoricalCrossentropy compute the loss), or no
combined class at all (the separate backward passes of chapter 9).
"""
from dataclasses import dataclass, field

import numpy as np
import torch

import reference
from reference.optimizers import reference_optimizer

from .dropout_masks import DropoutDraws
from .session import NotApplicable

DENSE, RELU, SOFTMAX = "Layer_Dense", "Activation_ReLU", "Activation_Softmax"
COMBINED = "Activation_Softmax_Loss_CategoricalCrossentropy"
CCE = "Loss_CategoricalCrossentropy"
ACTIVATIONS = {"relu": RELU, "sigmoid": "Activation_Sigmoid", "linear": "Activation_Linear",
               "softmax": SOFTMAX}
LOSSES = {"cce": CCE, "bce": "Loss_BinaryCrossentropy", "mse": "Loss_MeanSquaredError"}
# Adam's state as the book keeps it on each layer, and torch.optim.Adam's names.
ADAM_STATE = {"momentums": "exp_avg", "cache": "exp_avg_sq"}


def tensor(array):
    return torch.from_numpy(np.array(array, copy=True))


# ---------------------------------------------------------------- data
def spiral(samples=100, classes=3, seed=0):
    """nnfs's spiral data, from a seeded global generator left as it was."""
    from nnfs.datasets import spiral_data
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        X, y = spiral_data(samples=samples, classes=classes)
    finally:
        np.random.set_state(state)
    return X, y.astype(np.int64)


def sine(samples=1000):
    from nnfs.datasets import sine_data
    return sine_data(samples=samples)


# ---------------------------------------------------------------- the network
@dataclass(frozen=True)
class Network:
    """A network of the book: layers ("dense", n_in, n_out, regularizers),
    ("relu",), ("dropout", rate), ..., then a loss: "cce" (after a final
    ("softmax",)), "bce" (after ("sigmoid",)) or "mse" (after ("linear",))."""
    layers: tuple
    loss: str
    optimizer: tuple = ("Optimizer_Adam", dict(learning_rate=0.05, decay=5e-7))

    def dense(self):
        return [spec for spec in self.layers if spec[0] == "dense"]

    def roles(self):
        roles = {DENSE, self.optimizer[0], LOSSES[self.loss]}
        roles |= {ACTIVATIONS[s[0]] for s in self.layers if s[0] in ACTIVATIONS}
        if any(s[0] == "dropout" for s in self.layers):
            roles.add("Layer_Dropout")
        return roles

    def regularized(self):
        return any(len(s) > 3 and any(s[3].values()) for s in self.dense())


def initial_parameters(network, dtype, seed):
    """The book's initialization (0.01 * N(0, 1) weights, zero biases), from a
    local generator: {W1, b1, W2, b2, ...}."""
    rng = np.random.default_rng(seed)
    params = {}
    for i, (_, n_in, n_out, *_) in enumerate(network.dense(), start=1):
        params[f"W{i}"] = (0.01 * rng.standard_normal((n_in, n_out))).astype(dtype)
        params[f"b{i}"] = np.zeros((1, n_out), dtype=dtype)
    return params


def dropout_masks(network, n_samples, seed, epochs):
    """One 0/1 mask per epoch and dropout layer, drawn here so both sides use it."""
    rng = np.random.default_rng(seed + 1000)
    masks = []
    for spec in network.layers:
        if spec[0] == "dropout":
            width = masks_width(network, spec)
            masks.append((rng.random((epochs, n_samples, width)) >= spec[1]).astype(np.int64))
    return masks


def masks_width(network, dropout_spec):
    """The width of the layer before a dropout: the last dense's n_out before it."""
    width = None
    for spec in network.layers:
        if spec is dropout_spec:
            return width
        if spec[0] == "dense":
            width = spec[2]
    return width


class UserNet:
    """The user's classes in the book's loop, driven through a Session `s`."""

    def __init__(self, s, network, params):
        self.s, self.network = s, network
        self.layers = []              # (kind, handle)
        self.draws = {}               # id(dropout handle) -> its DropoutDraws
        state = np.random.get_state()
        try:
            for i, spec in enumerate(network.layers):
                if spec[0] == "dense":
                    settings = {k: v for k, v in (spec[3] if len(spec) > 3 else {}).items() if v}
                    handle = s.make(DENSE, spec[1], spec[2], settings=settings)
                    k = len([l for l in self.layers if l[0] == "dense"]) + 1
                    s.set(handle, "weights", params[f"W{k}"].copy())
                    s.set(handle, "biases", params[f"b{k}"].copy())
                elif spec[0] == "dropout":
                    # made while the draws are supplied: a Generator the layer makes
                    # for itself now (np.random.default_rng(seed) in __init__) draws
                    # the epoch's mask later too
                    draws = DropoutDraws(np.zeros((0, 0), bool), spec[1], None)
                    with draws.patched():
                        handle = s.make("Layer_Dropout", spec[1])
                    self.draws[id(handle)] = draws
                elif spec[0] == "softmax" and network.loss == "cce":
                    continue               # the combined class or the loss path below
                else:
                    handle = s.make(ACTIVATIONS[spec[0]])
                self.layers.append((spec[0], handle, spec))
        finally:
            np.random.set_state(state)
        self._loss_path(network)
        self.optimizer = None
        if network.optimizer is not None:
            self.optimizer = s.make(network.optimizer[0], settings=network.optimizer[1])
        self.dense = [h for kind, h, _ in self.layers if kind == "dense"]
        kinds = [kind for kind, _, _ in self.layers]
        self.names = [f"{kind}{kinds[:i + 1].count(kind)}" if kinds.count(kind) > 1 else kind
                      for i, kind in enumerate(kinds)]
        self.record = {}       # "dense1.output", "relu.dinputs", ...: what the last pass gave

    def _loss_path(self, network):
        s = self.s
        self.combined = self.softmax = None
        if network.loss == "cce":
            combined = s.binder.find(COMBINED)
            if combined is not None:
                self.combined = s.make(COMBINED)
                if not s.has(self.combined, "forward"):       # chapter 18+
                    self.softmax = s.make(SOFTMAX)
                    self.loss = s.make(CCE)
                else:
                    self.loss = s.make(CCE) if s.binder.find(CCE) else None
            else:                                             # chapter 9's separate classes
                self.softmax = s.make(SOFTMAX)
                self.loss = s.make(CCE)
        else:
            self.loss = s.make(LOSSES[network.loss])

    def forward(self, X, y, masks=(), epoch=0, produces=()):
        """(data loss, regularization loss or None, output probabilities)."""
        s = self.s
        out = X
        mask_index = 0
        for name, (kind, handle, spec) in zip(self.names, self.layers):
            if kind == "dropout":
                draws = self.draws[id(handle)]
                draws.mask = np.asarray(masks[mask_index][epoch]).astype(bool)
                draws.inputs = np.asarray(out)
                mask_index += 1
                with draws.patched():
                    s.call(handle, "forward", out, training=True,
                           raising=_own(produces, f"{name}.output"))
            else:
                s.call(handle, "forward", out, training=True,
                       raising=_own(produces, f"{name}.output"))
            out = self.record[f"{name}.output"] = self._output(handle)
        if self.combined is not None and self.softmax is None:
            data_loss = s.call(self.combined, "forward", out, y, training=True,
                               raising=_own(produces, "softmax.output", "loss"))
            probabilities = self._output(self.combined)
        else:
            s.call(self.softmax, "forward", out, training=True,
                   raising=_own(produces, "softmax.output")) \
                if self.softmax is not None else None
            probabilities = self._output(self.softmax) if self.softmax is not None else out
            if self.loss is not None and s.has(self.loss, "new_pass"):
                s.call(self.loss, "new_pass", stateful=False, optional=True)
            if self.network.loss == "cce":
                self.record["softmax.output"] = probabilities
            data_loss = s.call(self.loss, "calculate", probabilities, y,
                               raising=_own(produces, "loss"))
        if self.network.loss == "cce":
            self.record["softmax.output"] = probabilities
        self.record["loss"] = data_loss
        regularization = None
        if self.network.regularized():
            regularization = self._regularization(produces)
        return data_loss, regularization, probabilities

    def _regularization(self, produces):
        s = self.s
        loss = self.loss if self.loss is not None else s.make("Loss")
        name = s.binder.method(loss.obj, loss.role, "regularization_loss")
        if name is None:
            raise NotApplicable(f"{loss.cls_name} has no regularization_loss()")
        from .binding import signature_parameters
        parameters = signature_parameters(getattr(loss.obj, name)) or {}
        takes_layer = any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                          for p in parameters.values())     # chapter 14's (layer)
        if takes_layer:
            return sum(s.call(loss, "regularization_loss", d, raising=produces)
                       for d in self.dense)
        s.call(loss, "remember_trainable_layers", list(self.dense), raising=produces)
        return s.call(loss, "regularization_loss", raising=produces)

    def _output(self, handle):
        return self._read(handle, "output")

    def _read(self, handle, attribute):
        """The object's book attribute under the user's name, or what its last
        call returned (for code that returns its results instead)."""
        s = self.s
        name = s.binder.attribute(handle.obj, handle.role, attribute)
        if name is not None:
            return getattr(handle.obj, name)
        return s.last_return

    def backward(self, probabilities, y, produces=()):
        s = self.s
        if self.combined is not None:
            s.call(self.combined, "backward", probabilities, y,
                   raising=_own(produces, "loss.dinputs"))
            dvalues = self._gradient(self.combined)
        else:
            s.call(self.loss, "backward", probabilities, y,
                   raising=_own(produces, "loss.dinputs"))
            dvalues = self._gradient(self.loss)
            if self.softmax is not None:
                s.call(self.softmax, "backward", dvalues,
                       raising=_own(produces, "loss.dinputs"))
                dvalues = self._gradient(self.softmax)
        self.record["loss.dinputs"] = dvalues
        for name, (kind, handle, spec) in reversed(list(zip(self.names, self.layers))):
            s.call(handle, "backward", dvalues, raising=_own(
                produces, f"{name}.dinputs", f"{name}.dweights", f"{name}.dbiases"))
            dvalues = self.record[f"{name}.dinputs"] = self._gradient(handle)
            if kind == "dense":
                self.record[f"{name}.dweights"] = s.get(handle, "dweights")
                self.record[f"{name}.dbiases"] = s.get(handle, "dbiases")

    def _gradient(self, handle):
        return self._read(handle, "dinputs")

    def step(self, epoch, produces=()):
        s = self.s
        s.call(self.optimizer, "pre_update_params", optional=True, stateful=False)
        rate = self.network.optimizer[1]["learning_rate"] / (
            1 + self.network.optimizer[1].get("decay", 0.0) * epoch)
        for handle in self.dense:
            s.call(self.optimizer, "update_params", handle, raising=produces,
                   extras={"learning_rate": rate, "iteration": epoch})
        s.call(self.optimizer, "post_update_params", optional=True, stateful=False)

    def parameters(self):
        out = {}
        for i, handle in enumerate(self.dense, start=1):
            out[f"W{i}"] = np.array(self.s.get(handle, "weights"), copy=True)
            out[f"b{i}"] = np.array(self.s.get(handle, "biases"), copy=True)
        return out

    def state(self):
        """Parameters and Adam state by torch's names, or None when the optimizer
        keeps no state on the layers under the book's names."""
        out = {}
        for i, handle in enumerate(self.dense, start=1):
            for name, attribute, prefix in ((f"W{i}", "weights", "weight"),
                                            (f"b{i}", "biases", "bias")):
                entry = {"param": np.array(self.s.get(handle, attribute), copy=True)}
                for book, theirs in ADAM_STATE.items():
                    value = getattr(handle.obj, f"{prefix}_{book}", None)
                    if value is None:
                        return None
                    entry[theirs] = np.array(value, copy=True)
                out[name] = entry
        return out


def _own(produces, *quantities):
    """What a call's exception makes an ERROR: its own quantities when the run
    records them one by one (what comes after is then 'not run'), else all."""
    own = tuple(q for q in quantities if q in produces)
    return own or tuple(produces)


class TorchNet:
    """The same network with the torch twins, autograd and torch.optim (or the
    book's rule in torch) from reference/optimizers.py."""

    def __init__(self, network, params):
        self.network = network
        self.params = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
        self.optimizer = reference_optimizer(network.optimizer[0], list(self.params.values()),
                                             **network.optimizer[1])

    def forward(self, X, y, masks=(), epoch=0):
        p = self.params
        out = tensor(X)
        k, m = 0, 0
        for spec in self.network.layers:
            kind = spec[0]
            if kind == "dense":
                k += 1
                out = reference.layer_dense(out, p[f"W{k}"], p[f"b{k}"])
            elif kind == "relu":
                out = reference.activation_relu(out)
            elif kind == "sigmoid":
                out = reference.activation_sigmoid(out)
            elif kind == "linear":
                out = reference.activation_linear(out)
            elif kind == "dropout":
                out = reference.layer_dropout(out, tensor(masks[m][epoch]), spec[1])
                m += 1
        yt = torch.from_numpy(np.asarray(y))
        if self.network.loss == "cce":
            probabilities, data_loss = reference.activation_softmax_loss_categorical_crossentropy(
                out, yt)
        elif self.network.loss == "bce":
            probabilities, data_loss = out, reference.loss_binary_crossentropy(out, yt)
        else:
            probabilities, data_loss = out, reference.loss_mean_squared_error(out, yt)
        regularization = None
        if self.network.regularized():
            regularization = sum(reference.regularization_loss(
                p[f"W{i}"], p[f"b{i}"], **spec[3]) for i, spec in enumerate(
                    self.network.dense(), start=1) if len(spec) > 3)
        return data_loss, regularization, probabilities

    def step(self, data_loss, regularization):
        self.optimizer.zero_grad()
        total = data_loss if regularization is None else data_loss + regularization
        total.backward()
        self.optimizer.step()

    @torch.no_grad()
    def load(self, state):
        """Take over the user's parameters and Adam moments."""
        inner = getattr(self.optimizer, "optimizer", self.optimizer)
        for name, entry in state.items():
            param = self.params[name]
            param.copy_(torch.from_numpy(np.asarray(entry["param"])))
            mine = inner.state.get(param, {})
            for key in ADAM_STATE.values():
                if key in mine:
                    mine[key].copy_(torch.from_numpy(np.asarray(entry[key])))


def accuracy(network, probabilities, y):
    """The book's accuracy of a batch, from output probabilities."""
    p = np.asarray(probabilities.detach() if isinstance(probabilities, torch.Tensor)
                   else probabilities, dtype=np.float64)
    if network.loss == "cce":
        return float(np.mean(np.argmax(p, axis=1) == y))
    if network.loss == "bce":
        return float(np.mean((p > 0.5) * 1 == y))
    return float(np.mean(np.abs(p - y) < np.std(y) / 250))


@dataclass
class Curves:
    data_loss: list = field(default_factory=list)
    regularization: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
