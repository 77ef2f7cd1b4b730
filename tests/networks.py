"""The book's spiral-data network, run through an implementation and through
torch: Dense(2,3) -> ReLU -> Dense(3,3) -> Softmax + cross-entropy.

Used by tests/test_spiral.py and scripts/compare_gradients.py.
"""
import numpy as np

import reference
from .registry import call_forward, numpy, tensor

CLASSES = {"dense": ("Layer_Dense",), "relu": ("Activation_ReLU",),
           "loss": ("Activation_Softmax_Loss_CategoricalCrossentropy",)}
# Errors compound along the chain: a quantity of the network may carry the
# rounding of every layer it passed through (4 forward, 4 backward).
DEPTH = 8


def spiral_data(samples=100, classes=3, seed=0):
    """nnfs.datasets.spiral_data with a seed, leaving NumPy's global RNG as it was."""
    from nnfs.datasets import spiral_data as make
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        return make(samples=samples, classes=classes)
    finally:
        np.random.set_state(state)


def spiral_parameters(dtype, seed=0):
    """Book-sized random weights and deliberately non-zero biases."""
    rng = np.random.default_rng(seed)
    return dict(w1=(0.5 * rng.standard_normal((2, 3))).astype(dtype),
                b1=(0.1 * rng.standard_normal((1, 3))).astype(dtype),
                w2=(0.5 * rng.standard_normal((3, 3))).astype(dtype),
                b2=(0.1 * rng.standard_normal((1, 3))).astype(dtype))


def run_spiral(classes, X, y, p):
    """The implementation's forward and backward; returns {layer.quantity: value}."""
    dense1, relu, dense2 = classes["dense"](2, 3), classes["relu"](), classes["dense"](3, 3)
    loss_activation = classes["loss"]()
    dense1.weights, dense1.biases = p["w1"].copy(), p["b1"].copy()
    dense2.weights, dense2.biases = p["w2"].copy(), p["b2"].copy()
    call_forward(dense1, X)
    call_forward(relu, dense1.output)
    call_forward(dense2, relu.output)
    loss = call_forward(loss_activation, dense2.output, y)
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    relu.backward(dense2.dinputs)
    dense1.backward(relu.dinputs)
    return {"dense1.output": dense1.output, "relu.output": relu.output,
            "dense2.output": dense2.output, "softmax.output": loss_activation.output,
            "loss": loss, "loss.dinputs": loss_activation.dinputs,
            "dense2.dweights": dense2.dweights, "dense2.dbiases": dense2.dbiases,
            "dense2.dinputs": dense2.dinputs, "relu.dinputs": relu.dinputs,
            "dense1.dweights": dense1.dweights, "dense1.dbiases": dense1.dbiases,
            "dense1.dinputs": dense1.dinputs}


def torch_spiral(X, y, p):
    """The same network in torch; gradients by autograd. Also returns error scales."""
    x = tensor(X, True)
    w1, b1, w2, b2 = (tensor(p[k], True) for k in ("w1", "b1", "w2", "b2"))
    h1 = reference.layer_dense(x, w1, b1)
    a1 = reference.activation_relu(h1)
    h2 = reference.layer_dense(a1, w2, b2)
    softmax, loss = reference.activation_softmax_loss_categorical_crossentropy(
        h2, tensor(np.asarray(y, dtype=np.int64)))
    for t in (h1, a1, h2):
        t.retain_grad()
    loss.backward()
    out = {"dense1.output": numpy(h1), "relu.output": numpy(a1), "dense2.output": numpy(h2),
           "softmax.output": numpy(softmax), "loss": numpy(loss), "loss.dinputs": numpy(h2.grad),
           "dense2.dweights": numpy(w2.grad), "dense2.dbiases": numpy(b2.grad),
           "dense2.dinputs": numpy(a1.grad), "relu.dinputs": numpy(h1.grad),
           "dense1.dweights": numpy(w1.grad), "dense1.dbiases": numpy(b1.grad),
           "dense1.dinputs": numpy(x.grad)}
    return out, _scales(X, p, out)


def _scales(X, p, t):
    """First-order error bounds (in eps) per quantity, from the magnitudes of the
    terms each one sums (as in the registry), times DEPTH for the chain."""
    a = lambda v: np.abs(np.asarray(v, dtype=np.float64))  # noqa: E731
    x, w1, b1, w2, b2 = a(X), a(p["w1"]), a(p["b1"]), a(p["w2"]), a(p["b2"])
    n = x.shape[0]
    g2 = a(t["loss.dinputs"])
    s = a(t["softmax.output"])
    h1 = x @ w1 + b1
    h2 = a(t["relu.output"]) @ w2 + b2
    k = s.shape[1]
    scales = {"dense1.output": 4 * h1, "relu.output": 4 * h1,
              "dense2.output": 5 * h2 + 4 * (h1 @ w2),
              "softmax.output": s * (k + 4 + 2 * np.abs(t["dense2.output"]).max()),
              "loss": (n + k + 4) * (1 + np.abs(t["dense2.output"]).max()),
              "loss.dinputs": (s * (k + 4 + 2 * np.abs(t["dense2.output"]).max()) + g2) / n,
              "dense2.dweights": (n + 1) * (a(t["relu.output"]).T @ g2),
              "dense2.dbiases": (n + 1) * g2.sum(axis=0, keepdims=True),
              "dense2.dinputs": 4 * (g2 @ w2.T), "relu.dinputs": 4 * (g2 @ w2.T),
              "dense1.dweights": (n + 4) * (x.T @ (g2 @ w2.T)),
              "dense1.dbiases": (n + 4) * (g2 @ w2.T).sum(axis=0, keepdims=True),
              "dense1.dinputs": 8 * ((g2 @ w2.T) @ w1.T)}
    return {q: DEPTH * v for q, v in scales.items()}
