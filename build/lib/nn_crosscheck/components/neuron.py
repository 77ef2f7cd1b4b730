"""The seed notebook's single neuron, trained by hand with the chain rule:
train_single_neuron(weights, bias, inputs, target_output, learning_rate,
iterations) against its autograd twin (reference/single_neuron.py), on the
seed's run: w = [-3, -1, 2], b = 1, x = [1, -2, 3], lr 0.001, 200 steps.

It is this project's own API (the seed's, not the book's): a file without
train_single_neuron gets the project's result, marked as the project's."""
import numpy as np

from reference.single_neuron import train_single_neuron as torch_train
from ..records import Check
from .common import Case

START = dict(weights=[-3.0, -1.0, 2.0], bias=1.0, inputs=[1.0, -2.0, 3.0])
LR, STEPS = 0.001, 200
QUANTITIES = ("loss per step", "final weights", "final bias")


def neuron_demo(rng, dtype):
    return Case(np.float64, "the seed's run", dict(
        weights=np.array(START["weights"]), bias=np.array(START["bias"]),
        inputs=np.array(START["inputs"])))


def neuron_run(s, c):
    train = s.wrap("train_single_neuron", s.binder.find("train_single_neuron").obj,
                   "train_single_neuron")
    result = s.call_function(train, s.arg("weights"), float(c.bias), s.arg("inputs"),
                             learning_rate=LR, iterations=STEPS, raising=QUANTITIES)
    losses, weights, bias = (getattr(result, k, None) for k in ("losses", "weights", "bias"))
    s.produce("loss per step", None if losses is None else np.asarray(losses, np.float64))
    s.produce("final weights", weights)
    s.produce("final bias", None if bias is None else np.float64(bias))


def neuron_reference(c):
    theirs = torch_train(c.weights, float(c.bias), c.inputs, learning_rate=LR,
                         iterations=STEPS)
    return {"loss per step": np.asarray(theirs.losses), "final weights": theirs.weights,
            "final bias": np.float64(theirs.bias)}


def neuron_error_scale(c):
    """First-order rounding bounds (in eps) for the run. out = w.x + b sums terms
    of size S = sum|w_i x_i| + |b|, so each step's out is off by ~(k+2)*S eps,
    plus what earlier steps left in w and b (at most linear growth: gradient
    descent here is contractive). loss = out**2 doubles the error of out times
    |out|. The weights accumulate lr * 2|x| * (error of out) per step, and one
    rounding of |w| per update."""
    theirs = neuron_reference(c)
    x, w0 = np.abs(c.inputs), np.abs(c.weights)
    size = float(np.sum(w0 * x) + abs(float(c.bias)))
    k = len(x) + 2
    losses = np.asarray(theirs["loss per step"])
    steps = np.arange(1, len(losses) + 1)
    gradient_error = LR * 2 * k * size * STEPS ** 2
    return {"loss per step": steps * (2 * np.sqrt(losses) * k * size + 2 * losses),
            "final weights": STEPS * (np.abs(theirs["final weights"]) + w0) + gradient_error * x,
            "final bias": STEPS * (abs(theirs["final bias"]) + abs(float(c.bias)))
            + gradient_error}


SINGLE_NEURON = Check(
    name="single neuron", chapter=9.1, roles=("train_single_neuron",), quantities=QUANTITIES,
    cases=None, demo=neuron_demo, run=neuron_run, reference=neuron_reference,
    error_scale=neuron_error_scale, dtypes=(np.float64,), poison=False, shrink=False,
    project_fallback=True)

CHECKS = (SINGLE_NEURON,)
