"""Whole networks of the book, through the user's classes and through torch:
the spiral network's forward and backward pass (chapter 9), and training runs
(chapters 10 to 17: the spiral classifier with Adam, regression on sine data,
binary logistic regression, L2 regularization with dropout)."""
from dataclasses import replace

import numpy as np
import torch
from hypothesis import strategies as st

import reference
from .. import book, tolerances
from ..compare import compare
from ..records import Check
from ..session import NotApplicable
from .common import Case, numpy, tensor

DENSE, RELU = "Layer_Dense", "Activation_ReLU"


def loss_path_applies(binder):
    """Softmax + cross-entropy: the combined class, or Softmax and the loss (and a
    Layer_Dense that reads the parameters the run sets)."""
    from .layers import probe_parameters
    unreadable = probe_parameters(binder)
    if unreadable:
        return unreadable
    if binder.find(book.COMBINED) is None and not (
            binder.find(book.SOFTMAX) and binder.find(book.CCE)):
        return (f"{binder.label} has no {book.COMBINED} (nor Activation_Softmax with "
                f"Loss_CategoricalCrossentropy)")
    return ""


# ---------------------------------------------------------------- the spiral network
SPIRAL = book.Network(layers=(("dense", 2, 3), ("relu",), ("dense", 3, 3), ("softmax",)),
                      loss="cce", optimizer=None)
SPIRAL_QUANTITIES = ("dense1.output", "relu.output", "dense2.output", "softmax.output", "loss",
                     "loss.dinputs", "dense2.dweights", "dense2.dbiases", "dense2.dinputs",
                     "relu.dinputs", "dense1.dweights", "dense1.dbiases", "dense1.dinputs")
# Errors compound along the chain: a quantity of the network may carry the
# rounding of every layer it passed through (4 forward, 4 backward).
DEPTH = 8


def spiral_case(seed, dtype):
    """nnfs spiral data (100 per class, 3 classes) and book-sized weights with
    deliberately non-zero biases, from the seed."""
    X, y = book.spiral(100, 3, seed)
    rng = np.random.default_rng(seed)
    return Case(dtype, f"spiral_data(samples=100, classes=3), seed {seed}", dict(
        X=X.astype(dtype), y=y,
        W1=(0.5 * rng.standard_normal((2, 3))).astype(dtype),
        b1=(0.1 * rng.standard_normal((1, 3))).astype(dtype),
        W2=(0.5 * rng.standard_normal((3, 3))).astype(dtype),
        b2=(0.1 * rng.standard_normal((1, 3))).astype(dtype)))


def spiral_run(s, c):
    net = book.UserNet(s, SPIRAL, {k: c.arrays[k] for k in ("W1", "b1", "W2", "b2")})
    try:
        _, _, probabilities = net.forward(s.arg("X"), s.arg("y"), produces=SPIRAL_QUANTITIES)
        net.backward(probabilities, s.arg("y"), produces=SPIRAL_QUANTITIES)
    finally:        # what was computed before a call raised is still judged
        for q in SPIRAL_QUANTITIES:
            if q in net.record:
                s.produce(q, net.record[q])


def spiral_reference(c):
    x = tensor(c.X, True)
    w1, b1, w2, b2 = (tensor(c.arrays[k], True) for k in ("W1", "b1", "W2", "b2"))
    h1 = reference.layer_dense(x, w1, b1)
    a1 = reference.activation_relu(h1)
    h2 = reference.layer_dense(a1, w2, b2)
    softmax, loss = reference.activation_softmax_loss_categorical_crossentropy(
        h2, torch.from_numpy(c.y))
    for t in (h1, a1, h2):
        t.retain_grad()
    loss.backward()
    return {"dense1.output": numpy(h1), "relu.output": numpy(a1), "dense2.output": numpy(h2),
            "softmax.output": numpy(softmax), "loss": numpy(loss),
            "loss.dinputs": numpy(h2.grad), "dense2.dweights": numpy(w2.grad),
            "dense2.dbiases": numpy(b2.grad), "dense2.dinputs": numpy(a1.grad),
            "relu.dinputs": numpy(h1.grad), "dense1.dweights": numpy(w1.grad),
            "dense1.dbiases": numpy(b1.grad), "dense1.dinputs": numpy(x.grad)}


def spiral_error_scale(c):
    """First-order error bounds (in eps) per quantity, from the magnitudes of the
    terms each one sums (as the component records do), times DEPTH for the chain."""
    t = spiral_reference(c)
    a = lambda v: np.abs(np.asarray(v, dtype=np.float64))  # noqa: E731
    x, w1, b1, w2, b2 = (a(c.arrays[k]) for k in ("X", "W1", "b1", "W2", "b2"))
    n = x.shape[0]
    g2 = a(t["loss.dinputs"])
    s = a(t["softmax.output"])
    h1 = x @ w1 + b1
    h2 = a(t["relu.output"]) @ w2 + b2
    k = s.shape[1]
    spread = 2 * np.abs(t["dense2.output"]).max()
    scales = {"dense1.output": 4 * h1, "relu.output": 4 * h1,
              "dense2.output": 5 * h2 + 4 * (h1 @ w2),
              "softmax.output": s * (k + 4 + spread),
              "loss": (n + k + 4) * (1 + spread / 2),
              "loss.dinputs": (s * (k + 4 + spread) + g2) / n,
              "dense2.dweights": (n + 1) * (a(t["relu.output"]).T @ g2),
              "dense2.dbiases": (n + 1) * g2.sum(axis=0, keepdims=True),
              "dense2.dinputs": 4 * (g2 @ w2.T), "relu.dinputs": 4 * (g2 @ w2.T),
              "dense1.dweights": (n + 4) * (x.T @ (g2 @ w2.T)),
              "dense1.dbiases": (n + 4) * (g2 @ w2.T).sum(axis=0, keepdims=True),
              "dense1.dinputs": 8 * ((g2 @ w2.T) @ w1.T)}
    return {q: DEPTH * v for q, v in scales.items()}


SPIRAL_NETWORK = Check(
    name="spiral network", chapter=9.5, roles=(DENSE, RELU), quantities=SPIRAL_QUANTITIES,
    cases=lambda dtype: st.sampled_from([0, 1, 2]).map(lambda seed: spiral_case(seed, dtype)),
    demo=lambda rng, dtype: spiral_case(0, dtype), run=spiral_run, reference=spiral_reference,
    error_scale=spiral_error_scale, applies=loss_path_applies, poison=False, shrink=False,
    examples=0.03)


# ---------------------------------------------------------------- training runs
# Training is chaotic: one ulp anywhere grows by about e every 10 to 20 epochs,
# so two implementations that round differently agree to machine precision only
# for the first ~100 free-running epochs (a NumPy run moved by one ulp drifts
# from itself just as much). So the long run is checked in windows: every
# RESYNC epochs torch takes over the user's parameters and Adam state, and
# within each window both train freely (forward, backward and update all matter).
# Tolerances (relative, per epoch, on the data loss), from the measured worst
# case over seeds 0-5 and 1000 epochs of the spiral classifier with RESYNC = 5:
# float64 worst 7.7e-15: allowed 1e-12, accuracy identical at every epoch;
# float32 worst 2.1e-5: allowed 5e-4, accuracy off by one sample in at most 1%
# of the epochs. Free-running float64: the first 100 epochs within 1e-8; the
# check runs the first 40. The runs are short (60-100 epochs, 12-20 windows):
# a wrong loop, update or decay shows from the first windows, and the compare
# command has a time budget.
RESYNC = 5
LOSS_TOLERANCE = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 5e-4}
FREE_RUNNING = (40, 1e-8)


def training_case(network, data, epochs, seed, dtype):
    X, y = data(seed)
    arrays = dict(X=np.asarray(X).astype(dtype), y=np.asarray(y))
    arrays.update(book.initial_parameters(network, dtype, seed))
    for i, mask in enumerate(book.dropout_masks(network, len(X), seed, epochs)):
        arrays[f"mask{i}"] = mask
    return Case(dtype, f"seed {seed}, {epochs} epochs", arrays)


def _masks(c):
    return [c.arrays[k] for k in sorted(k for k in c.arrays if k.startswith("mask"))]


def _params(c):
    return {k: v for k, v in c.arrays.items() if k[0] in "Wb" and k[1:].isdigit()}


def training_run(network, epochs):
    def run(s, c):
        wanted = ("loss per epoch", "accuracy per epoch", "loss, free-running")
        if network.regularized():
            wanted += ("regularization loss per epoch",)
        X, y = c.arrays["X"], c.arrays["y"]
        masks = _masks(c)

        def resynchronized():
            net = book.UserNet(s, network, _params(c))
            twin = book.TorchNet(network, _params(c))
            curves = {q: [] for q in ("loss", "accuracy", "regularization", "torch loss",
                                      "torch accuracy", "torch regularization")}
            with s.quiet():
                for epoch in range(epochs):
                    if epoch and epoch % RESYNC == 0:
                        state = net.state()
                        if state is None:
                            raise NotApplicable(
                                f"{net.optimizer.cls_name} keeps no Adam state on the layers "
                                f"under the book's names (weight_momentums, weight_cache): "
                                f"the resynchronized run needs it; the free-running run is "
                                f"checked instead")
                        twin.load(state)
                    data_loss, regularization, probabilities = net.forward(
                        X, y, masks, epoch, produces=wanted)
                    net.backward(probabilities, y, produces=wanted)
                    net.step(epoch, produces=wanted)
                    curves["loss"].append(float(np.asarray(data_loss)))
                    curves["accuracy"].append(book.accuracy(network, probabilities, y))
                    if regularization is not None:
                        curves["regularization"].append(float(np.asarray(regularization)))
                    t_loss, t_reg, t_prob = twin.forward(X, y, masks, epoch)
                    curves["torch loss"].append(t_loss.item())
                    curves["torch accuracy"].append(book.accuracy(network, t_prob, y))
                    if t_reg is not None:
                        curves["torch regularization"].append(t_reg.item())
                    twin.step(t_loss, t_reg)
            s.produce("loss per epoch", np.array(curves["loss"], dtype=np.float64))
            s.produce("accuracy per epoch", np.array(curves["accuracy"]))
            s.override("torch_loss", np.array(curves["torch loss"]))
            s.override("torch_accuracy", np.array(curves["torch accuracy"]))
            if network.regularized():
                s.produce("regularization loss per epoch",
                          np.array(curves["regularization"], dtype=np.float64))
                s.override("torch_regularization", np.array(curves["torch regularization"]))

        def free_running():
            if np.dtype(c.dtype) != np.float64:
                raise NotApplicable("checked in float64 only (in float32 rounding dominates "
                                    "within a few dozen epochs)")
            net = book.UserNet(s, network, _params(c))
            losses = []
            with s.quiet():
                for epoch in range(FREE_RUNNING[0]):
                    data_loss, _, probabilities = net.forward(X, y, masks, epoch,
                                                              produces=("loss, free-running",))
                    net.backward(probabilities, y, produces=("loss, free-running",))
                    net.step(epoch, produces=("loss, free-running",))
                    losses.append(float(np.asarray(data_loss)))
            s.produce("loss, free-running", np.array(losses))
        s.step(tuple(q for q in wanted if q != "loss, free-running"), resynchronized)
        s.step(("loss, free-running",), free_running)
        s.transcript.append(f"# the book's training loop, {epochs} epochs (see "
                            f"nn_crosscheck/book.py)")
    return run


def free_running_torch(network, c):
    twin = book.TorchNet(network, _params(c))
    losses = []
    for epoch in range(FREE_RUNNING[0]):
        loss, regularization, _ = twin.forward(c.arrays["X"], c.arrays["y"], _masks(c), epoch)
        losses.append(loss.item())
        twin.step(loss, regularization)
    return np.array(losses)


def training_reference(network, epochs):
    def run_reference(c):
        placeholder = np.full(epochs, np.nan)
        out = {"loss per epoch": c.arrays.get("torch_loss", placeholder),
               "accuracy per epoch": c.arrays.get("torch_accuracy", placeholder),
               "loss, free-running": (free_running_torch(network, c)
                                      if np.dtype(c.dtype) == np.float64
                                      else np.full(FREE_RUNNING[0], np.nan))}
        if network.regularized():
            out["regularization loss per epoch"] = c.arrays.get("torch_regularization",
                                                                placeholder)
        return out
    return run_reference


def training_error_scale(c):
    """The measured relative tolerances, as error scales in units of eps."""
    dtype = np.dtype(c.dtype)
    unit = tolerances.SAFETY * tolerances.eps(dtype)
    scale = {}
    for q, key, tolerance in (("loss per epoch", "torch_loss", LOSS_TOLERANCE[dtype]),
                              ("regularization loss per epoch", "torch_regularization",
                               LOSS_TOLERANCE[dtype]),
                              ("loss, free-running", None, FREE_RUNNING[1])):
        values = np.abs(np.asarray(c.arrays.get(key, 1.0), np.float64)) if key else 1.0
        scale[q] = tolerance / unit * values
    scale["accuracy per epoch"] = 0.0
    scale["loss, free-running"] = FREE_RUNNING[1] / tolerances.SAFETY / tolerances.eps(
        np.float64)
    return scale


def judge_training(n_samples):
    def judge(quantity, yours, theirs, scale, case, unjudged):
        if quantity == "loss, free-running":
            # relative to each epoch's loss, in float64
            return compare(yours, theirs, scale * np.abs(np.asarray(theirs, np.float64)),
                           np.float64)
        if quantity != "accuracy per epoch":
            return None
        # Accuracy counts samples: in float64 it must be identical; in float32 a
        # near-tie in argmax may flip one sample in at most 1% of the epochs.
        if np.dtype(case.dtype) == np.float64:
            return compare(yours, theirs, 0.0, np.float64)
        a, e = np.asarray(yours, np.float64), np.asarray(theirs, np.float64)
        if a.shape != e.shape:
            return compare(yours, theirs, 0.0, np.float64)
        samples = np.rint(np.abs(a - e) * n_samples)
        if samples.max(initial=0) <= 1 and np.mean(samples > 0) <= 0.01:
            return compare(e, e, 0.0, np.float64)
        return compare(yours, theirs, 1.0 / n_samples / tolerances.SAFETY
                       / tolerances.eps(np.float64), np.float64)
    return judge


def _spiral_data(seed):
    return book.spiral(100, 3, seed)


def _binary_data(seed):
    X, y = book.spiral(100, 2, seed)
    return X, y.reshape(-1, 1)


def _sine_data(seed):
    return book.sine(250)


L2 = dict(weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4)
TRAINING_RUNS = (
    # variant, chapter, network, data, samples, epochs, dtypes
    ("spiral classifier, Adam", 10,
     book.Network(layers=(("dense", 2, 64), ("relu",), ("dense", 64, 3), ("softmax",)),
                  loss="cce", optimizer=("Optimizer_Adam", dict(learning_rate=0.05,
                                                                decay=5e-7))),
     _spiral_data, 300, 100, (np.float64, np.float32)),
    ("L2 regularization and dropout", 15,
     book.Network(layers=(("dense", 2, 64, L2), ("relu",), ("dropout", 0.1),
                          ("dense", 64, 3), ("softmax",)),
                  loss="cce", optimizer=("Optimizer_Adam", dict(learning_rate=0.05,
                                                                decay=5e-5))),
     _spiral_data, 300, 100, (np.float64,)),
    ("binary logistic regression", 16,
     book.Network(layers=(("dense", 2, 64, L2), ("relu",), ("dense", 64, 1), ("sigmoid",)),
                  loss="bce", optimizer=("Optimizer_Adam", dict(decay=5e-7,
                                                                learning_rate=0.001))),
     _binary_data, 200, 100, (np.float64,)),
    ("regression", 17,
     book.Network(layers=(("dense", 1, 64), ("relu",), ("dense", 64, 64), ("relu",),
                          ("dense", 64, 1), ("linear",)),
                  loss="mse", optimizer=("Optimizer_Adam", dict(learning_rate=0.005,
                                                                decay=1e-3))),
     _sine_data, 250, 60, (np.float64,)),
)


def training_applies(network):
    def applies(binder):
        # softmax + cross-entropy may be the combined class: loss_path_applies says
        missing = [r for r in sorted(network.roles()) if r not in (book.CCE, book.SOFTMAX)
                   and binder.find(r) is None]
        if missing:
            return f"{binder.label} has no {', '.join(missing)}"
        from .layers import probe_parameters
        unreadable = probe_parameters(binder)
        if unreadable:
            return unreadable
        if network.loss == "cce":
            return loss_path_applies(binder)
        return ""
    return applies


def training_checks():
    checks = []
    for variant, chapter, network, data, n, epochs, dtypes in TRAINING_RUNS:
        quantities = ("loss per epoch", "accuracy per epoch", "loss, free-running")
        if network.regularized():
            quantities += ("regularization loss per epoch",)
        checks.append(Check(
            name="training", variant=variant, chapter=chapter + 0.9, roles=(DENSE,),
            quantities=quantities,
            cases=None,
            demo=lambda rng, dtype, network=network, data=data, epochs=epochs: training_case(
                network, data, epochs, 0, dtype),
            run=training_run(network, epochs), reference=training_reference(network, epochs),
            error_scale=training_error_scale, judge=judge_training(n),
            applies=training_applies(network), dtypes=dtypes, poison=False, shrink=False,
            examples=0.01))
    return tuple(checks)


CHECKS = (SPIRAL_NETWORK,) + training_checks()
