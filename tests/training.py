"""The book's spiral classifier trained twice from the same starting point: with
the implementation's NumPy classes and with the torch twins (autograd for the
gradients, reference/optimizers.py for the update). Used by
tests/test_training.py and scripts/train_compare.py.

Network (book, chapter 10): Dense(2, 64) -> ReLU -> Dense(64, 3) -> softmax
with cross-entropy, full batch, Adam(learning_rate=0.05, decay=5e-7). Each
epoch records the loss and accuracy of the forward pass that precedes that
epoch's update, as the book prints them.

Why runs are compared in windows: this training is chaotic. Two runs that
differ by one rounding drift apart by a factor of about e every 10 to 20
epochs (a NumPy run whose first-layer weights are moved by one ulp drifts from
the unmoved run exactly as the torch run does; scripts/train_compare.py plots
both). After a few hundred epochs the free-running curves of ANY two
implementations that round differently are only statistically alike. So
`run(..., resync_every=K)` copies the NumPy run's parameters and Adam state
into the torch run every K epochs: within each window both sides train freely
(forward, backward and update all matter), and the growth of rounding
differences is bounded by K epochs of drift instead of the whole run.
"""
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch

from reference.components import (activation_relu,
                                  activation_softmax_loss_categorical_crossentropy,
                                  layer_dense)
from reference.optimizers import reference_optimizer

BOOK_OPTIMIZER = ("Optimizer_Adam", dict(learning_rate=0.05, decay=5e-7))
HIDDEN = 64
CLASS_NAMES = ("Layer_Dense", "Activation_ReLU",
               "Activation_Softmax_Loss_CategoricalCrossentropy", BOOK_OPTIMIZER[0])
# Adam's state as the book stores it on each layer, and torch.optim.Adam's names.
ADAM_STATE = {"momentums": "exp_avg", "cache": "exp_avg_sq"}
# (torch name, layer index, attribute on the layer, prefix of its optimizer state)
PARAMETERS = (("W1", 0, "weights", "weight"), ("b1", 0, "biases", "bias"),
              ("W2", 1, "weights", "weight"), ("b2", 1, "biases", "bias"))


def spiral(seed, samples=100, classes=3):
    """nnfs's spiral data from a seeded NumPy global generator, leaving the
    generator's state as it was (nnfs.init() is never called here)."""
    from nnfs.datasets import spiral_data
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        X, y = spiral_data(samples=samples, classes=classes)
    finally:
        np.random.set_state(state)
    return X, y.astype(np.int64)


@dataclass
class Start:
    """Data and initial parameters, shared by both runs."""
    X: np.ndarray
    y: np.ndarray
    params: dict          # W1, b1, W2, b2


def start(seed, dtype, samples=100, classes=3):
    """Spiral data and the book's initialization (0.01 * N(0, 1) weights, zero
    biases), drawn from a local generator seeded with `seed`, in `dtype`."""
    X, y = spiral(seed, samples, classes)
    rng = np.random.default_rng(seed)
    params = {"W1": 0.01 * rng.standard_normal((2, HIDDEN)), "b1": np.zeros((1, HIDDEN)),
              "W2": 0.01 * rng.standard_normal((HIDDEN, classes)),
              "b2": np.zeros((1, classes))}
    return Start(X.astype(dtype), y, {k: v.astype(dtype) for k, v in params.items()})


class NumpyNet:
    """The book's training loop with the implementation's classes (`classes`
    maps each name of CLASS_NAMES to a class)."""

    def __init__(self, classes, start, optimizer=BOOK_OPTIMIZER):
        state = np.random.get_state()   # Layer_Dense draws weights we replace:
        try:                            # leave the global generator untouched
            self.layers = [classes["Layer_Dense"](2, HIDDEN),
                           classes["Layer_Dense"](HIDDEN, start.params["W2"].shape[1])]
        finally:
            np.random.set_state(state)
        for name, i, attribute, _ in PARAMETERS:
            setattr(self.layers[i], attribute, start.params[name].copy())
        self.relu = classes["Activation_ReLU"]()
        self.loss_activation = classes["Activation_Softmax_Loss_CategoricalCrossentropy"]()
        self.optimizer = classes[optimizer[0]](**optimizer[1])
        self.X, self.y = start.X, start.y

    def epoch(self):
        dense1, dense2 = self.layers
        dense1.forward(self.X)
        self.relu.forward(dense1.output)
        dense2.forward(self.relu.output)
        loss = self.loss_activation.forward(dense2.output, self.y)
        accuracy = np.mean(np.argmax(self.loss_activation.output, axis=1) == self.y)
        self.loss_activation.backward(self.loss_activation.output, self.y)
        dense2.backward(self.loss_activation.dinputs)
        self.relu.backward(dense2.dinputs)
        dense1.backward(self.relu.dinputs)
        self.optimizer.pre_update_params()
        for layer in self.layers:
            self.optimizer.update_params(layer)
        self.optimizer.post_update_params()
        return float(loss), float(accuracy)

    def state(self):
        """Parameters and Adam state, by torch's names: {name: {"param": ...,
        "exp_avg": ..., "exp_avg_sq": ...}} (state absent before the first step)."""
        out = {}
        for name, i, attribute, prefix in PARAMETERS:
            layer = self.layers[i]
            entry = {"param": getattr(layer, attribute)}
            for book, theirs in ADAM_STATE.items():
                value = getattr(layer, f"{prefix}_{book}", None)
                if value is not None:
                    entry[theirs] = value
            out[name] = entry
        return out


class TorchNet:
    """The same network with the torch twins, autograd and torch.optim.Adam +
    LambdaLR (reference_optimizer)."""

    def __init__(self, start, optimizer=BOOK_OPTIMIZER):
        self.X, self.y = torch.from_numpy(start.X), torch.from_numpy(start.y)
        self.params = {k: torch.tensor(v, requires_grad=True) for k, v in start.params.items()}
        self.optimizer = reference_optimizer(optimizer[0], list(self.params.values()),
                                             **optimizer[1])

    def epoch(self):
        p = self.params
        hidden = activation_relu(layer_dense(self.X, p["W1"], p["b1"]))
        logits = layer_dense(hidden, p["W2"], p["b2"])
        probabilities, loss = activation_softmax_loss_categorical_crossentropy(logits, self.y)
        accuracy = (probabilities.argmax(dim=1) == self.y).double().mean()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item(), accuracy.item()

    @torch.no_grad()
    def load(self, state):
        """Take over the NumPy run's parameters and Adam moments."""
        for name, entry in state.items():
            param = self.params[name]
            param.copy_(torch.from_numpy(np.asarray(entry["param"])))
            mine = self.optimizer.optimizer.state.get(param, {})
            for key in ADAM_STATE.values():
                if key in mine:
                    if key not in entry:
                        raise RuntimeError(f"the optimizer keeps no {key} on the layer under "
                                           f"the book's names; cannot resynchronize")
                    mine[key].copy_(torch.from_numpy(np.asarray(entry[key])))


@dataclass
class Curves:
    loss: np.ndarray          # per epoch
    accuracy: np.ndarray      # per epoch, fraction of samples classified right


@contextmanager
def one_torch_thread():
    """Tiny tensors: a second thread only adds contention (10x slower on a
    busy 2-core machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run(classes, start, epochs, resync_every=None):
    """(NumPy curves, torch curves). With resync_every=K the torch run takes
    over the NumPy run's parameters and Adam state at every K-th epoch."""
    mine, theirs = NumpyNet(classes, start), TorchNet(start)
    curves = [Curves(np.empty(epochs), np.empty(epochs)) for _ in range(2)]
    with one_torch_thread():
        for epoch in range(epochs):
            if resync_every and epoch and epoch % resync_every == 0:
                theirs.load(mine.state())
            for net, c in zip((mine, theirs), curves):
                c.loss[epoch], c.accuracy[epoch] = net.epoch()
    return tuple(curves)


def relative_difference(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(a - b) / np.abs(b)
