"""The Model class (chapter 18; batches in 19; parameters and saving in 21-22):
a model built with add/set/finalize and trained with train(X, y, epochs=...,
batch_size=..., validation_data=...) must follow, step by step, a torch
training of the same network and optimizer from the same parameters; then
evaluate, predict, get/set_parameters, save/load_parameters and save/load.

The steps are observed without changing the user's code: the optimizer's
post_update_params and the loss's calculate, on the instances the check made,
are wrapped to note the parameters and the loss after each step. The methods
after training are judged on their own: torch's reference for them uses the
parameters the user's training ended with.
"""
import os
import tempfile

import numpy as np
import torch

import reference
from .. import book
from ..records import Check
from ..session import NotApplicable
from .common import Case, numpy, tensor

DENSE, RELU, SOFTMAX = "Layer_Dense", "Activation_ReLU", "Activation_Softmax"
CCE, ADAM, ACCURACY = "Loss_CategoricalCrossentropy", "Optimizer_Adam", "Accuracy_Categorical"
NETWORK = book.Network(layers=(("dense", 2, 64), ("relu",), ("dense", 64, 3), ("softmax",)),
                       loss="cce", optimizer=(ADAM, dict(learning_rate=0.05, decay=5e-7)))
EPOCHS, BATCH = 2, 128
QUANTITIES = ("parameters after each step", "loss at each step", "evaluate: loss",
              "evaluate: accuracy", "predict", "get/set_parameters",
              "save_parameters/load_parameters", "save/load")


def model_case(rng, dtype):
    X, y = book.spiral(100, 3, 0)
    X_val, y_val = book.spiral(50, 3, 1)
    arrays = dict(X=X.astype(dtype), y=y, X_val=X_val.astype(dtype), y_val=y_val)
    arrays.update(book.initial_parameters(NETWORK, dtype, 0))
    return Case(dtype, f"spiral data, {EPOCHS} epochs of batches of {BATCH}", arrays)


def _takes(s, handle, method, keyword):
    name = s.binder.method(handle.obj, handle.role, method)
    return name is not None and s.binder.keyword(getattr(handle.obj, name), handle.role,
                                                 keyword) not in (None, "")


def build(s, c, parameters, var="model"):
    """A model of the user's classes: add, set, finalize; parameters set on its
    Dense layers. Returns (model, dense layers, loss, optimizer, accuracy)."""
    model = s.make("Model", var=var)
    state = np.random.get_state()
    try:
        layers = [s.make(DENSE, 2, 64), s.make(RELU), s.make(DENSE, 64, 3), s.make(SOFTMAX)]
    finally:
        np.random.set_state(state)
    dense = [layers[0], layers[2]]
    for i, layer in enumerate(dense, start=1):
        s.set(layer, "weights", parameters[f"W{i}"].copy())
        s.set(layer, "biases", parameters[f"b{i}"].copy())
    for layer in layers:
        s.call(model, "add", layer)
    loss, optimizer, accuracy = s.make(CCE), s.make(ADAM, settings=NETWORK.optimizer[1]), \
        s.make(ACCURACY)
    s.call(model, "set", loss=loss, optimizer=optimizer, accuracy=accuracy)
    s.call(model, "finalize")
    return model, dense, loss, optimizer, accuracy


def _parameters(s, dense):
    return np.concatenate([np.asarray(s.get(d, a), np.float64).ravel()
                           for d in dense for a in ("weights", "biases")])


def _watch(s, handle, method, after, undo):
    """Wrap handle's method (on the instance) so that after(result) runs after it;
    undo gets what puts the instance back (it must pickle, for Model.save)."""
    name = s.binder.method(handle.obj, handle.role, method)
    if name is None:
        return False
    original = getattr(handle.obj, name)

    def watched(*args, **kwargs):
        result = original(*args, **kwargs)
        after(result)
        return result
    setattr(handle.obj, name, watched)
    undo.append(lambda: vars(handle.obj).pop(name, None))
    return True


def _final(s, c, dense):
    """The user's parameters after training, for torch's reference of the rest."""
    for i, layer in enumerate(dense, start=1):
        s.override(f"final_W{i}", np.array(s.get(layer, "weights"), copy=True))
        s.override(f"final_b{i}", np.array(s.get(layer, "biases"), copy=True))


def _require(s, model, method, chapter):
    if not s.has(model, method):
        raise NotApplicable(f"{model.cls_name} has no {method}() (the book adds it in "
                            f"chapter {chapter})")


def _predict(s, model, X, quantity):
    """model.predict(X) (chapter 22), else model.forward(X, training=False)."""
    if s.has(model, "predict"):
        kwargs = {"batch_size": BATCH} if _takes(s, model, "predict", "batch_size") else {}
        return s.call(model, "predict", X, returns=quantity, stateful=False, **kwargs)
    s.call(model, "forward", X, training=False, returns=quantity, stateful=False)


def model_run(s, c):
    trained = {}

    def train():
        model, dense, loss, optimizer, accuracy = build(s, c, {k: c.arrays[k] for k in (
            "W1", "b1", "W2", "b2")})
        snapshots, losses, recorded = [], [], []

        def note_loss(result):
            value = result[0] if isinstance(result, tuple) else result
            recorded.append(float(np.asarray(value)))

        def note_step(result):
            snapshots.append(_parameters(s, dense))
            losses.append(recorded[-1] if recorded else np.nan)
        undo = []
        if not _watch(s, optimizer, "post_update_params", note_step, undo):
            raise NotApplicable(f"{optimizer.cls_name} has no post_update_params()")
        _watch(s, loss, "calculate", note_loss, undo)
        kwargs = {"epochs": EPOCHS}
        if _takes(s, model, "train", "batch_size"):
            kwargs["batch_size"] = BATCH
        if _takes(s, model, "train", "print_every"):
            kwargs["print_every"] = 10 ** 9
        if _takes(s, model, "train", "validation_data"):
            kwargs["validation_data"] = (s.arg("X_val"), s.arg("y_val"))
        s.override("batched", np.array("batch_size" in kwargs))
        try:
            s.call(model, "train", s.arg("X"), s.arg("y"),
                   raising=("parameters after each step", "loss at each step"), **kwargs)
        finally:
            for put_back in undo:
                put_back()
        s.produce("parameters after each step", np.array(snapshots))
        s.produce("loss at each step", np.array(losses))
        _final(s, c, dense)
        trained.update(model=model, dense=dense, loss=loss, accuracy=accuracy)

    def evaluate():
        if not trained:
            raise NotApplicable("not run: training did not finish")
        model, loss, accuracy = trained["model"], trained["loss"], trained["accuracy"]
        _require(s, model, "evaluate", 19)
        kwargs = {"batch_size": BATCH} if _takes(s, model, "evaluate", "batch_size") else {}
        s.call(model, "evaluate", s.arg("X_val"), s.arg("y_val"), stateful=False,
               raising=("evaluate: loss", "evaluate: accuracy"), **kwargs)
        s.call(loss, "calculate_accumulated", returns="evaluate: loss")
        s.call(accuracy, "calculate_accumulated", returns="evaluate: accuracy")

    def predict():
        if not trained:
            raise NotApplicable("not run: training did not finish")
        _predict(s, trained["model"], s.arg("X_val"), "predict")

    def get_set():
        if not trained:
            raise NotApplicable("not run: training did not finish")
        _require(s, trained["model"], "get_parameters", 21)
        parameters = s.call(trained["model"], "get_parameters", stateful=False,
                            raising=("get/set_parameters",))
        fresh, *_ = build(s, c, book.initial_parameters(NETWORK, c.dtype, 1), var="model2")
        s.call(fresh, "set_parameters", parameters, raising=("get/set_parameters",))
        _predict(s, fresh, s.arg("X_val"), "get/set_parameters")

    def save_load_parameters():
        if not trained:
            raise NotApplicable("not run: training did not finish")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.parms")
            _require(s, trained["model"], "save_parameters", 21)
            s.call(trained["model"], "save_parameters", path, stateful=False,
                   raising=("save_parameters/load_parameters",))
            fresh, *_ = build(s, c, book.initial_parameters(NETWORK, c.dtype, 2), var="model3")
            s.call(fresh, "load_parameters", path, raising=("save_parameters/load_parameters",))
            _predict(s, fresh, s.arg("X_val"), "save_parameters/load_parameters")

    def save_load():
        if not trained:
            raise NotApplicable("not run: training did not finish")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.model")
            _require(s, trained["model"], "save", 21)
            s.call(trained["model"], "save", path, stateful=False, raising=("save/load",))
            cls = s.wrap("Model", s.binder.find("Model").obj, s.binder.find("Model").name)
            loaded = s.call(cls, "load", path, raising=("save/load",))
            _predict(s, s.wrap("Model", loaded, "loaded"), s.arg("X_val"), "save/load")
    s.step(("parameters after each step", "loss at each step"), train)
    s.step(("evaluate: loss", "evaluate: accuracy"), evaluate)
    s.step(("predict",), predict)
    s.step(("get/set_parameters",), get_set)
    s.step(("save_parameters/load_parameters",), save_load_parameters)
    s.step(("save/load",), save_load)


def model_reference(c):
    """torch: the same steps from the same parameters (Adam + LambdaLR), then
    loss, accuracy and probabilities with the user's final parameters."""
    start = {k: c.arrays[k] for k in ("W1", "b1", "W2", "b2")}
    twin = book.TorchNet(NETWORK, start)
    X, y = c.arrays["X"], c.arrays["y"]
    batched = bool(c.arrays.get("batched", np.array(True)))
    size = BATCH if batched else len(X)
    steps = -(-len(X) // size)
    snapshots, losses = [], []
    for epoch in range(EPOCHS):
        for step in range(steps):
            batch = slice(step * size, (step + 1) * size)
            loss, _, _ = twin.forward(X[batch], y[batch])
            losses.append(loss.item())
            twin.step(loss, None)
            snapshots.append(np.concatenate([twin.params[k].detach().numpy().astype(
                np.float64).ravel() for k in ("W1", "b1", "W2", "b2")]))
    final = {k: c.arrays.get(f"final_{k}", start[k]) for k in start}
    probabilities, loss = forward(final, c.arrays["X_val"], c.arrays["y_val"])
    accuracy = np.float64(np.mean(np.argmax(probabilities, axis=1) == c.arrays["y_val"]))
    return {"parameters after each step": np.array(snapshots),
            "loss at each step": np.array(losses), "evaluate: loss": loss,
            "evaluate: accuracy": accuracy, "predict": probabilities,
            "get/set_parameters": probabilities, "save_parameters/load_parameters": probabilities,
            "save/load": probabilities}


def forward(parameters, X, y):
    h = reference.activation_relu(reference.layer_dense(
        tensor(X), tensor(parameters["W1"]), tensor(parameters["b1"])))
    logits = reference.layer_dense(h, tensor(parameters["W2"]), tensor(parameters["b2"]))
    probabilities, loss = reference.activation_softmax_loss_categorical_crossentropy(
        logits, torch.from_numpy(np.asarray(y)))
    return numpy(probabilities), numpy(loss)


def model_error_scale(c):
    """A few steps of Adam from identical parameters: the two sides differ by
    rounding, a few hundred eps of each value at most (measured: ~1e-15
    relative); one forward pass over 300 samples for the rest."""
    theirs = model_reference(c)
    scale = {q: 1e3 * (np.abs(np.asarray(v, np.float64)) + 0.05) for q, v in theirs.items()}
    scale["evaluate: accuracy"] = 4.0 * len(c.arrays["y_val"])
    return scale


def judge_model(quantity, yours, theirs, scale, case, unjudged):
    """Accuracies are float64 numbers whatever the arrays' dtype; predictions of
    a trained model may come back as a list of batches."""
    from ..compare import compare
    if quantity == "evaluate: accuracy":
        try:
            return compare(np.float64(yours), theirs, scale, np.float64)
        except (TypeError, ValueError):
            return None
    return None


MODEL = Check(
    name="Model", chapter=18.5, roles=("Model", DENSE, RELU, SOFTMAX, CCE, ADAM, ACCURACY),
    quantities=QUANTITIES, cases=None, demo=model_case, run=model_run,
    reference=model_reference, error_scale=model_error_scale, judge=judge_model,
    dtypes=(np.float64,), poison=False, shrink=False, arguments=("X", "y", "X_val", "y_val"))

CHECKS = (MODEL,)
