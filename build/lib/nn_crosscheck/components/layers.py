"""Layers: Layer_Dense (chapter 2, backward in 9, L1/L2 in 14), Layer_Dropout
(chapter 15, inference in 18), Layer_Input (chapter 18)."""
import numpy as np
import torch
from hypothesis import strategies as st

import reference
from .. import strategies as S
from ..compare import Kinks
from ..records import Check
from .common import Case, f64, forward_backward, numpy, tensor
from ..dropout_masks import DropoutDraws

DENSE = "Layer_Dense"
REGULARIZER_NAMES = ("weight_regularizer_l1", "weight_regularizer_l2",
                     "bias_regularizer_l1", "bias_regularizer_l2")


# ---------------------------------------------------------------- which attributes forward reads
def _output_of(binder, layer, x):
    """The layer's forward output on x (attribute or return value), or None."""
    name = binder.method(layer, DENSE, "forward")
    if name is None:
        return None
    forward = getattr(layer, name)
    try:
        import inspect
        kwargs = {"training": True} if "training" in inspect.signature(forward).parameters else {}
    except (TypeError, ValueError):
        kwargs = {}
    with np.errstate(all="ignore"):
        returned = forward(x, **kwargs)
    attribute = binder.attribute(layer, DENSE, "output")
    out = getattr(layer, attribute) if attribute else returned
    return None if out is None else np.array(out, dtype=np.float64, copy=True)


def _arrays_inside(obj, path="", depth=3, seen=None):
    """(path, array) for the arrays held by obj's attributes, dict values, list
    items and nested objects, a few levels deep."""
    seen = set() if seen is None else seen
    if depth < 0 or id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return [(path, obj)]
    if isinstance(obj, dict):
        items = [(f"{path}[{k!r}]", v) for k, v in obj.items()]
    elif isinstance(obj, (list, tuple)):
        items = [(f"{path}[{i}]", v) for i, v in enumerate(obj)]
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        items = [(f"{path}.{k}" if path else k, v) for k, v in vars(obj).items()]
    else:
        return []
    found = []
    for where, value in items:
        found += _arrays_inside(value, where, depth - 1, seen)
    return found


def _nested_mover(binder, layer, x, shape, before, exclude):
    """The path of an array of `shape` inside the layer (not the plain attribute
    `exclude`) that moves the forward output when it changes, or ''."""
    for where, array in _arrays_inside(layer):
        if where == exclude or array.shape != shape or not np.issubdtype(array.dtype,
                                                                          np.floating):
            continue
        saved = array.copy()
        try:
            array[...] = saved * 3 + 1
            moved = _output_of(binder, layer, x)
        finally:
            array[...] = saved
        if moved is not None and not np.array_equal(moved, before):
            return where
    return ""


def probe_parameters(binder):
    """Which attributes the user's Layer_Dense.forward really reads for the
    weights and biases. A layer whose output does not change when the
    attribute we set changes reads another one: find it among the layer's
    arrays of the same shape and bind it (with a note), before any maths is
    blamed. Runs once per class; never raises (the check reports errors)."""
    binding = binder.find(DENSE)
    key = ("parameters read", binding.obj if binding else None)
    if binding is None:
        return ""
    if key in binder.probed:
        return binder.probed[key]
    binder.probed[key] = ""
    state = np.random.get_state()
    try:
        layer = binding.obj(3, 2)
        rng = np.random.default_rng(0)
        x = rng.normal(size=(4, 3))
        for parameter, shape in (("weights", (3, 2)), ("biases", (1, 2))):
            name = binder.attribute(layer, DENSE, parameter) or parameter
            value = rng.normal(size=shape) + 2
            setattr(layer, name, value)
            other = "biases" if parameter == "weights" else "weights"
            other_name = binder.attribute(layer, DENSE, other) or other
            if getattr(layer, other_name, None) is None or np.shape(
                    getattr(layer, other_name)) != ((1, 2) if other == "biases" else (3, 2)):
                setattr(layer, other_name, rng.normal(size=(1, 2) if other == "biases"
                                                      else (3, 2)))
            before = _output_of(binder, layer, x)
            setattr(layer, name, value * 3 + 1)
            after = _output_of(binder, layer, x)
            setattr(layer, name, value)
            if before is None or after is None or not np.array_equal(before, after):
                continue
            for candidate, array in list(vars(layer).items()):
                if candidate == name or np.shape(array) != shape \
                        or not isinstance(array, np.ndarray):
                    continue
                setattr(layer, candidate, array * 3 + 1)
                moved = _output_of(binder, layer, x)
                setattr(layer, candidate, array)
                if moved is not None and not np.array_equal(moved, before):
                    binder.declared[f"{DENSE}.{parameter}"] = candidate
                    binder.other_notes.append(
                        f"{DENSE}: your forward reads .{candidate}, not .{name}: the suite "
                        f"sets .{candidate} as the {parameter}")
                    break
            else:
                # Not a plain attribute: is it kept deeper (self.params["b"], an object
                # holding the value)? Then the layer cannot be driven through the book's
                # attribute, and nothing that uses it can be checked. If it is nowhere,
                # the forward really ignores it (a dropped bias): the maths check says so.
                nested = _nested_mover(binder, layer, x, shape, before, exclude=name)
                if nested:
                    binder.probed[key] = (
                        f"your {binding.name} keeps its {parameter} in .{nested} (its forward "
                        f"does not read .{name}), where this tool cannot set them: declare an "
                        f"attribute that holds them: --bind {DENSE}.{parameter}=NAME (or "
                        f"NN_CROSSCHECK)")
                    break
                binder.other_notes.append(f"{DENSE}: your forward's output does not change "
                                          f"when .{name} changes; it does not read the "
                                          f"{parameter} from there")
    except Exception:
        pass
    finally:
        np.random.set_state(state)
    return binder.probed[key]


def set_parameters(s, layer, weights, biases):
    s.set(layer, "weights", weights)
    s.set(layer, "biases", biases)


# ---------------------------------------------------------------- Layer_Dense
@st.composite
def dense_cases(draw, dtype):
    n, n_in, n_out = draw(S.batch_sizes()), draw(S.widths()), draw(S.widths())
    regime, inputs = draw(S.real_batch(dtype, (n, n_in)))
    weights = draw(S.nonzero_array(dtype, (n_in, n_out)))
    biases = draw(S.nonzero_array(dtype, (1, n_out)))
    _, dvalues = draw(S.real_batch(dtype, (n, n_out)))
    return Case(dtype, regime, dict(inputs=inputs, weights=weights, biases=biases,
                                    dvalues=dvalues))


def dense_demo(rng, dtype):
    return Case(dtype, "demo", dict(
        inputs=rng.normal(size=(4, 3)).astype(dtype),
        weights=rng.normal(size=(3, 2)).astype(dtype),
        biases=rng.normal(size=(1, 2)).astype(dtype),
        dvalues=rng.normal(size=(4, 2)).astype(dtype)))


def dense_run(s, c):
    layer = s.make(DENSE, *c.weights.shape)
    set_parameters(s, layer, s.arg("weights"), s.arg("biases"))
    forward_backward(s, layer, s.arg("inputs"), s.arg("dvalues"),
                     ("dweights", "dbiases", "dinputs"))


def dense_reference(c):
    x, w, b = tensor(c.inputs, True), tensor(c.weights, True), tensor(c.biases, True)
    out = reference.layer_dense(x, w, b)
    out.backward(tensor(c.dvalues))
    return dict(output=numpy(out), dweights=numpy(w.grad), dbiases=numpy(b.grad),
                dinputs=numpy(x.grad))


def dense_error_scale(c):
    # A dot product of k terms is within (k + 1) eps/2 * sum|terms| of exact.
    x, w, b, g = [np.abs(a) for a in f64(c.inputs, c.weights, c.biases, c.dvalues)]
    n, n_in = x.shape
    n_out = w.shape[1]
    with np.errstate(invalid="ignore", over="ignore"):
        return dict(output=(n_in + 2) * (x @ w + b), dweights=(n + 1) * (x.T @ g),
                    dbiases=(n + 1) * g.sum(axis=0, keepdims=True),
                    dinputs=(n_out + 1) * (g @ w.T))


DENSE_GRADIENTS = dict(dweights="weights", dbiases="biases", dinputs="inputs")

LAYER_DENSE = Check(
    name=DENSE, chapter=2, roles=(DENSE,),
    quantities=("output", "dweights", "dbiases", "dinputs"),
    cases=dense_cases, demo=dense_demo, run=dense_run, reference=dense_reference,
    error_scale=dense_error_scale, arguments=("inputs", "weights", "biases", "dvalues"),
    gradients=DENSE_GRADIENTS, applies=probe_parameters,
    third_derivative=lambda case, variable, step: 0.0)   # linear in each argument


# ---------------------------------------------------------------- Layer_Dense + regularizers
def takes_regularizers(binder):
    unreadable = probe_parameters(binder)
    if unreadable:
        return unreadable
    cls = binder.find(DENSE).obj
    missing = [n for n in REGULARIZER_NAMES if binder.keyword(cls, DENSE, n) is None]
    if missing:
        return (f"{binder.find(DENSE).name}() takes no {missing[0]} (the book adds the "
                f"regularizers in chapter 14)")
    return ""


@st.composite
def regularized_dense_cases(draw, dtype):
    n, n_in, n_out = draw(S.batch_sizes()), draw(S.widths()), draw(S.widths())
    _, inputs = draw(S.real_batch(dtype, (n, n_in)))
    parameters, weights, biases = draw(S.dense_parameters(dtype, n_in, n_out))
    strength, regularizers = draw(S.regularizers())
    _, dvalues = draw(S.real_batch(dtype, (n, n_out)))
    return Case(dtype, f"{parameters}, regularizers {strength}",
                dict(inputs=inputs, weights=weights, biases=biases, dvalues=dvalues,
                     regularizers=regularizers))


def regularized_dense_demo(rng, dtype):
    weights = rng.normal(size=(3, 2)).astype(dtype)
    weights[0, 1] = 0.0                            # |w| has a kink at 0
    return Case(dtype, "demo", dict(
        inputs=rng.normal(size=(4, 3)).astype(dtype), weights=weights,
        biases=np.array([[0.0, 0.5]], dtype=dtype),  # 0: as Layer_Dense creates them
        dvalues=rng.normal(size=(4, 2)).astype(dtype),
        regularizers=np.array([5e-4, 5e-4, 1e-3, 2e-3])))


def strengths_of(c):
    return dict(zip(REGULARIZER_NAMES, (float(s) for s in c.regularizers)))


def regularized_dense_run(s, c):
    layer = s.make(DENSE, *c.weights.shape, settings=strengths_of(c))
    set_parameters(s, layer, s.arg("weights"), s.arg("biases"))
    forward_backward(s, layer, s.arg("inputs"), s.arg("dvalues"),
                     ("dweights", "dbiases", "dinputs"))


def regularized_dense_reference(c):
    x, w, b = tensor(c.inputs, True), tensor(c.weights, True), tensor(c.biases, True)
    out, penalty = reference.layer_dense_regularized(x, w, b, **strengths_of(c))
    # The gradient of sum(dvalues * output) + penalty, by autograd (with every
    # strength 0 the penalty is a constant 0, outside the graph).
    roots, seeds = [out], [tensor(c.dvalues)]
    if penalty.requires_grad:
        roots, seeds = roots + [penalty], seeds + [torch.ones_like(penalty)]
    torch.autograd.backward(roots, seeds, inputs=[x, w, b])
    return dict(output=numpy(out), dweights=numpy(w.grad), dbiases=numpy(b.grad),
                dinputs=numpy(x.grad))


def regularized_dense_error_scale(c):
    scales = dense_error_scale(c)
    w, b = f64(c.weights, c.biases)
    l1w, l2w, l1b, l2b = (float(s) for s in c.regularizers)
    # The penalty's derivative l1 sign(w) + 2 l2 w rounds once or twice, and adding
    # it to the data gradient (in either order) rounds at the size of all terms.
    for name, values, l1, l2 in (("dweights", w, l1w, l2w), ("dbiases", b, l1b, l2b)):
        with np.errstate(invalid="ignore"):
            penalty_terms = l1 * (values != 0) + 2 * l2 * np.abs(values)
        scales[name] = scales[name] + 3 * (scales[name] + penalty_terms)
    return scales


def regularized_dense_kinks(c):
    """|w| has a kink at w == 0: any l1 * s with s in [-1, 1] is a subgradient."""
    gradients = dense_reference(c)
    kinks = {}
    for name, values, l1 in (("dweights", c.weights, float(c.regularizers[0])),
                             ("dbiases", c.biases, float(c.regularizers[2]))):
        if l1 > 0:
            data = gradients[name].astype(np.float64)
            kinks[name] = Kinks(mask=(np.asarray(values) == 0), low=data - l1, high=data + l1)
    return kinks


LAYER_DENSE_REGULARIZED = Check(
    name="Layer_Dense+regularizers", chapter=14, roles=(DENSE,),
    quantities=("output", "dweights", "dbiases", "dinputs"),
    cases=regularized_dense_cases, demo=regularized_dense_demo, run=regularized_dense_run,
    reference=regularized_dense_reference, error_scale=regularized_dense_error_scale,
    arguments=("inputs", "weights", "biases", "dvalues"), gradients=DENSE_GRADIENTS,
    applies=takes_regularizers, kinks=regularized_dense_kinks,
    third_derivative=lambda case, variable, step: 0.0)   # l1 |w| linear off 0, l2 w^2


# ---------------------------------------------------------------- Layer_Dropout
@st.composite
def dropout_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    _, inputs = draw(S.real_batch(dtype, (n, k)))
    regime, mask = draw(S.dropout_masks((n, k)))
    rate = draw(S.dropout_rates())
    if rate == 0:                   # nothing is dropped at rate 0, whatever is drawn
        regime, mask = "all kept", np.ones_like(mask)
    dvalues = draw(S.nonzero_array(dtype, (n, k)))
    return Case(dtype, f"{regime}, rate {rate:g}",
                dict(inputs=inputs, mask=mask, dvalues=dvalues, rate=np.array(rate)))


def dropout_demo(rng, dtype):
    return Case(dtype, "demo", dict(
        inputs=rng.normal(size=(4, 3)).astype(dtype),
        mask=np.array([[1, 0, 1], [1, 1, 0], [0, 0, 1], [1, 1, 1]]),
        dvalues=rng.normal(size=(4, 3)).astype(dtype), rate=np.array(0.25)))


def dropout_run(s, c):
    """The mask the book draws (np.random.binomial, or uniforms compared with the
    keep probability, from the global generator or a Generator) is the case's
    mask: DropoutDraws hands out random numbers that give exactly that mask, so
    torch applies the same one."""
    rate = float(c.rate)
    inputs = s.arg("inputs")
    draws = DropoutDraws(c.mask, rate, np.asarray(c.inputs))
    layer = draws.forward(s, inputs)
    s.call(layer, "backward", s.arg("dvalues"), produces=("dinputs",))
    for note in draws.notes:
        s.notes.append(note)


def dropout_reference(c):
    x = tensor(c.inputs, True)
    out = reference.layer_dropout(x, tensor(c.mask), float(c.rate))
    out.backward(tensor(c.dvalues))
    return dict(output=numpy(out), dinputs=numpy(x.grad))


def dropout_error_scale(c):
    x, g, m = f64(c.inputs, c.dvalues, c.mask)
    scale = m / (1 - float(c.rate))
    # mask / keep rounds (and keep itself, converted to float32), then the product.
    return dict(output=3 * np.abs(x) * scale, dinputs=3 * np.abs(g) * scale)


LAYER_DROPOUT = Check(
    name="Layer_Dropout", chapter=15, roles=("Layer_Dropout",), quantities=("output", "dinputs"),
    cases=dropout_cases, demo=dropout_demo, run=dropout_run, reference=dropout_reference,
    error_scale=dropout_error_scale, arguments=("inputs", "dvalues"),
    gradients=dict(dinputs="inputs"), third_derivative=lambda case, variable, step: 0.0)


# ---------------------------------------------------------------- Layer_Dropout at inference
def forward_takes_training(role, book_chapter):
    def applies(binder):
        from ..binding import signature_parameters
        from ..binding import normalized
        cls = binder.find(role).obj
        name = binder.method(cls, role, "forward")
        parameters = signature_parameters(getattr(cls, name)) if name else None
        if parameters is None or not any(normalized(p) in ("training", "istraining", "train")
                                         for p in parameters):
            return (f"{binder.find(role).name}.forward takes no `training` (the book adds it "
                    f"in chapter {book_chapter})")
        return ""
    return applies


@st.composite
def dropout_inference_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, inputs = draw(S.real_batch(dtype, (n, k)))
    rate = draw(S.dropout_rates().filter(lambda r: r > 0))
    # What the random number generators hand out if the layer draws a mask at
    # inference anyway (so that mistake shows).
    _, mask = draw(S.dropout_masks((n, k), "mixed mask"))
    return Case(dtype, f"{regime}, rate {rate:g}",
                dict(inputs=inputs, rate=np.array(rate), mask=mask))


def dropout_inference_demo(rng, dtype):
    return Case(dtype, "demo", dict(inputs=rng.normal(size=(4, 3)).astype(dtype),
                                    rate=np.array(0.5),
                                    mask=np.array([[1, 0, 1], [1, 1, 0], [0, 0, 1], [1, 1, 1]])))


def dropout_inference_run(s, c):
    layer = s.make("Layer_Dropout", float(c.rate))
    with DropoutDraws(c.mask, float(c.rate), np.asarray(c.inputs)).patched():
        s.call(layer, "forward", s.arg("inputs"), training=False, produces=("output",))


def dropout_inference_reference(c):
    # At inference dropout is the identity: nothing dropped, nothing rescaled.
    return dict(output=numpy(reference.activation_linear(tensor(c.inputs))))


LAYER_DROPOUT_INFERENCE = Check(
    name="Layer_Dropout+inference", chapter=18, roles=("Layer_Dropout",), quantities=("output",),
    cases=dropout_inference_cases, demo=dropout_inference_demo, run=dropout_inference_run,
    reference=dropout_inference_reference, error_scale=lambda c: dict(output=0.0),
    arguments=("inputs",), applies=forward_takes_training("Layer_Dropout", 18))


# ---------------------------------------------------------------- Layer_Input
@st.composite
def input_cases(draw, dtype):
    n, k = draw(S.batch_sizes()), draw(S.widths())
    regime, inputs = draw(S.real_batch(dtype, (n, k)))
    return Case(dtype, regime, dict(inputs=inputs))


def input_demo(rng, dtype):
    return Case(dtype, "demo", dict(inputs=rng.normal(size=(4, 3)).astype(dtype)))


def input_run(s, c):
    layer = s.make("Layer_Input")
    s.call(layer, "forward", s.arg("inputs"), training=True, produces=("output",))


LAYER_INPUT = Check(
    name="Layer_Input", chapter=18, roles=("Layer_Input",), quantities=("output",),
    cases=input_cases, demo=input_demo, run=input_run,
    reference=lambda c: dict(output=np.array(c.inputs, copy=True)),
    error_scale=lambda c: dict(output=0.0), arguments=("inputs",))

CHECKS = (LAYER_DENSE, LAYER_DENSE_REGULARIZED, LAYER_DROPOUT, LAYER_DROPOUT_INFERENCE,
          LAYER_INPUT)
