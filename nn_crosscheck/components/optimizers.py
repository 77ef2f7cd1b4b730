"""Optimizers (chapter 10): whole parameter trajectories against torch.

One check per optimizer and family of settings: plain, with learning-rate decay
(which also checks current_learning_rate), with momentum, with momentum and
decay (SGD). The same starting layers and the same gradient sequence go through
the user's optimizer (the book's protocol: pre_update_params, update_params per
layer, post_update_params) and through its torch counterpart: torch.optim
wherever the book's rule is torch.optim's rule, the book's rule written with
torch tensors where it is not (SGD with momentum and decay; both rules are
legitimate there, and the verdict says which one the code follows).

A setting the optimizer's constructor cannot take makes a family "not checked"
(the first SGD of chapter 10 has no decay or momentum); a setting it fixes
itself (no epsilon argument) is read from its attribute, or assumed to be the
book's, with a note.
"""
import numpy as np
import torch
from hypothesis import strategies as st

from reference.optimizers import BOOK_DEFAULTS, BookSGD, book_decay, torch_optim
from .. import strategies as S
from ..binding import signature_parameters
from ..compare import compare
from ..records import Check
from ..session import NotApplicable, StandIn
from .common import Case
from .layers import DENSE

# ---------------------------------------------------------------- rounding-error bounds
# For each optimizer, a first-order bound on the rounding error of one step (the
# array added to the parameter), per element and in units of eps, computed from
# the gradients by running the optimizer's recurrences on absolute values. A
# parameter after step t carries the errors of all its steps plus one rounding
# per addition, so its bound is the sum over steps k <= t of |w_k| + step
# error_k (trajectory_scale). Both sides are within that bound of the exact
# trajectory, so they differ by at most twice it; tolerances.SAFETY covers the 2
# and the slack of first-order bounds. These recurrences are contractive (the
# momentum and the moving averages damp old errors), so the bound grows with the
# number of steps only through the sum, and stays tight: the float64 trajectories
# agree to ~1e-15 relative per step, far below any formula mistake.

LR_ROUNDINGS = 4   # lr_t = lr * (1 / (1 + decay * t)): four roundings, then the cast


def learning_rates(settings, steps):
    lr, decay = settings["learning_rate"], settings.get("decay", 0.0)
    return np.array([lr * (1.0 / (1.0 + decay * t)) for t in range(steps)])


def sgd_step_error(settings, g):
    """v_t = m v_(t-1) - lr_t g_t (m = 0: no memory). |v_t| <= A_t with
    A_t = m A_(t-1) + lr_t |g_t|; each step adds a few roundings of size A_t
    and keeps m times the previous error. torch's buffer b_t = m b + g, times
    lr_t, rounds the same quantities."""
    m, lrs, a = settings.get("momentum", 0.0), learning_rates(settings, len(g)), np.abs(g)
    bound, total, error = np.empty_like(a), np.zeros_like(a[0]), np.zeros_like(a[0])
    for t in range(len(a)):
        total = m * total + lrs[t] * a[t]
        error = m * error + (LR_ROUNDINGS + 4) * total
        bound[t] = error
    return bound


def _divided_step_error(step, cache, cache_error):
    """Relative error of lr_t * g / (sqrt(cache) + eps), times |step|: the cache's
    relative error halves under the root; the root, + eps, the division, the
    product and lr_t's roundings add their own."""
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(cache > 0, cache_error / cache, 0.0)
    return step * (relative / 2 + 4 + LR_ROUNDINGS)


def adagrad_step_error(settings, g):
    """cache_t = cache_(t-1) + g_t^2: a sum of positive terms, each step rounding
    the square and the sum (2 |cache_t|), nothing cancels."""
    lrs, epsilon = learning_rates(settings, len(g)), settings["epsilon"]
    bound = np.empty_like(g)
    cache, error = np.zeros_like(g[0]), np.zeros_like(g[0])
    for t in range(len(g)):
        cache = cache + g[t] * g[t]
        error = error + 2 * cache
        step = lrs[t] * np.abs(g[t]) / (np.sqrt(cache) + epsilon)
        bound[t] = _divided_step_error(step, cache, error)
    return bound


def rmsprop_step_error(settings, g):
    """cache_t = rho cache + (1 - rho) g^2: positive terms; rho, 1 - rho, the
    square, two products and the sum round (6 |cache_t|), old error fades by rho."""
    lrs, epsilon, rho = learning_rates(settings, len(g)), settings["epsilon"], settings["rho"]
    bound = np.empty_like(g)
    cache, error = np.zeros_like(g[0]), np.zeros_like(g[0])
    for t in range(len(g)):
        cache = rho * cache + (1 - rho) * g[t] * g[t]
        error = rho * error + 6 * cache
        step = lrs[t] * np.abs(g[t]) / (np.sqrt(cache) + epsilon)
        bound[t] = _divided_step_error(step, cache, error)
    return bound


def adam_step_error(settings, g):
    """Both moments as RMSprop's cache; the first can cancel, so its error is
    bounded through M_t = beta_1 M + (1 - beta_1)|g| >= |m_t|. The bias
    corrections 1 - beta**t are the same double on both sides, rounded once more
    to the dtype; dividing by them adds one rounding each."""
    lrs, epsilon = learning_rates(settings, len(g)), settings["epsilon"]
    b1, b2 = settings["beta_1"], settings["beta_2"]
    bound = np.empty_like(g)
    first, first_error = np.zeros_like(g[0]), np.zeros_like(g[0])
    second, second_error = np.zeros_like(g[0]), np.zeros_like(g[0])
    for t in range(len(g)):
        first = b1 * first + (1 - b1) * np.abs(g[t])
        first_error = b1 * first_error + 6 * first
        second = b2 * second + (1 - b2) * g[t] * g[t]
        second_error = b2 * second_error + 6 * second
        c1, c2 = 1 - b1 ** (t + 1), 1 - b2 ** (t + 1)
        denominator = np.sqrt(second / c2) + epsilon
        step = lrs[t] * (first / c1) / denominator
        bound[t] = (lrs[t] * (first_error + 2 * first) / c1 / denominator
                    + _divided_step_error(step, second, second_error + 2 * second))
    return bound


STEP_ERROR = {"Optimizer_SGD": sgd_step_error, "Optimizer_Adagrad": adagrad_step_error,
              "Optimizer_RMSprop": rmsprop_step_error, "Optimizer_Adam": adam_step_error}


def parameter_names(run):
    return [f"{p}_{i}" for i in range(run.n_layers) for p in ("weights", "biases")]


def stacked(trajectories, run):
    """{name: (steps, *shape)} -> one (steps, all parameters) array."""
    return np.concatenate([np.asarray(trajectories[n]).reshape(run.steps, -1)
                           for n in parameter_names(run)], axis=1)


def trajectory_scale(run, theirs, step_error):
    """Bound (units of eps) on every parameter after each step: every earlier
    step's error plus the rounding of every addition (|w_k|)."""
    flat = [run.arrays[f"d{name}"].reshape(run.steps, -1).astype(np.float64)
            for name in parameter_names(run)]
    with np.errstate(all="ignore"):
        errors = step_error(run.settings, np.concatenate(flat, axis=1))
        return np.cumsum(np.abs(theirs.astype(np.float64)) + errors, axis=0)


# ---------------------------------------------------------------- the torch side
def torch_trajectory(factory, run):
    """Every parameter after every step, from a torch optimizer made by
    factory(list of tensors), fed the run's gradients."""
    tensors = {n: torch.tensor(run.arrays[n], requires_grad=True) for n in parameter_names(run)}
    optimizer = factory(list(tensors.values()))
    out = {n: [] for n in tensors}
    for t in range(run.steps):
        for n, tensor in tensors.items():
            tensor.grad = torch.from_numpy(run.arrays[f"d{n}"][t].copy())
        optimizer.step()
        for n, tensor in tensors.items():
            out[n].append(tensor.detach().numpy().copy())
    return stacked({n: np.stack(v) for n, v in out.items()}, run)


def torch_learning_rates(run):
    """The book's schedule as torch runs it: LambdaLR(lambda k: 1 / (1 + decay k))."""
    p = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=run.settings["learning_rate"])
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, book_decay(run.settings["decay"]))
    rates = []
    for _ in range(run.steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        schedule.step()
    return np.array(rates)


_LAST = [None, None, None]    # (case, (role, quantity), result): the error scale reuses it


def reference_for(role, quantity):
    """torch.optim, or the book's rule in torch (SGD with momentum and decay).
    The last case's result is kept: the error scale asks for the same one."""
    def run_reference(run):
        if _LAST[0] is run and _LAST[1] == (role, quantity):
            return _LAST[2]
        _LAST[:] = [run, (role, quantity), compute(run)]
        return _LAST[2]

    def compute(run):
        settings = run.settings
        if role == "Optimizer_SGD" and settings.get("momentum") and settings.get("decay"):
            theirs = torch_trajectory(lambda params: BookSGD(params, **settings), run)
        else:
            theirs = torch_trajectory(lambda params: torch_optim(role, params, **settings), run)
        out = {quantity: theirs}
        if "decay" in quantity:
            out["learning_rate"] = torch_learning_rates(run)
        return out
    return run_reference


def error_scale_for(role, quantity):
    def scale(run):
        theirs = reference_for(role, quantity)(run)[quantity]
        out = {quantity: trajectory_scale(run, theirs, STEP_ERROR[role])}
        if "decay" in quantity:
            out["learning_rate"] = LR_ROUNDINGS * learning_rates(run.settings, run.steps)
        return out
    return scale


def judge_learning_rate(quantity, yours, theirs, scale, case, unjudged):
    """Learning rates are Python floats whatever the arrays' dtype: compared in
    float64, a few ulps apart at most (never as printed strings)."""
    if quantity != "learning_rate":
        return None
    values = yours
    if isinstance(yours, (list, tuple)):
        try:
            values = np.array([float(v) for v in yours])
        except (TypeError, ValueError):
            values = yours
    return compare(values, theirs, scale, np.float64)


# ---------------------------------------------------------------- the user's side
class BookParams(StandIn):
    """The part of Layer_Dense an optimizer sees, with the book's names (for a
    file that has optimizers but no Layer_Dense of its own)."""

    def __init__(self, weights, biases):
        self.weights, self.biases = weights, biases


BOOK_PARAMS_TEXT = ("class BookParams:  # a layer with the book's attribute names (the file "
                    "has no Layer_Dense)\n    def __init__(self, weights, biases):\n"
                    "        self.weights, self.biases = weights, biases")


def probe_gradient_names(binder):
    """The attributes the user's Layer_Dense.backward writes its gradients to
    (d_weights, dW, ...), so an optimizer test can set them by those names."""
    binding = binder.find(DENSE)
    key = ("gradient names", binding.obj if binding else None)
    if binding is None or key in binder.probed:
        return
    binder.probed[key] = True
    state = np.random.get_state()
    try:
        layer = binding.obj(2, 2)
        for parameter, shape in (("weights", (2, 2)), ("biases", (1, 2))):
            name = binder.attribute(layer, DENSE, parameter) or parameter
            setattr(layer, name, np.ones(shape))
        forward = getattr(layer, binder.method(layer, DENSE, "forward"))
        try:
            forward(np.ones((3, 2)), True)
        except TypeError:
            forward(np.ones((3, 2)))
        getattr(layer, binder.method(layer, DENSE, "backward"))(np.ones((3, 2)))
        for gradient in ("dweights", "dbiases"):
            name = binder.attribute(layer, DENSE, gradient)
            if name and name != gradient:
                binder.declared.setdefault(f"{DENSE}.{gradient}", name)
    except Exception:
        pass
    finally:
        np.random.set_state(state)


def make_layers(s, run):
    """The layers the optimizer updates: the user's Layer_Dense when it can be
    built, so their optimizer meets their attribute names; else BookParams."""
    dense = s.binder.find(DENSE)
    layers = []
    for i in range(run.n_layers):
        weights, biases = run.arrays[f"weights_{i}"], run.arrays[f"biases_{i}"]
        if dense is not None:
            probe_gradient_names(s.binder)
            state = np.random.get_state()
            try:
                layer = s.make(DENSE, *weights.shape)
            finally:
                np.random.set_state(state)
            s.set(layer, "weights", weights.copy())
            s.set(layer, "biases", biases.copy())
        else:
            if i == 0:
                s.transcript.append(BOOK_PARAMS_TEXT)
            s.value(f"weights_{i}", weights)
            s.value(f"biases_{i}", biases)
            s.transcript.append(f"layer{i + 1} = BookParams(weights_{i}.copy(), "
                                f"biases_{i}.copy())")
            layer = s.wrap(DENSE, BookParams(weights.copy(), biases.copy()), f"layer{i + 1}")
        layers.append(layer)
    return layers


SETTINGS_NEEDED = {"decay": "decay", "momentum": "momentum"}


def _default_of(cls, keyword):
    """The default value of the constructor's `keyword`, or None."""
    parameters = signature_parameters(cls) or {}
    parameter = parameters.get(keyword)
    if parameter is None or parameter.default is parameter.empty:
        return None
    return parameter.default


def make_optimizer(s, role, run):
    """Construct the optimizer with the run's settings. A family's own setting
    (decay, momentum) that the constructor cannot take: NotApplicable. Others it
    cannot take (epsilon, rho, betas, even the learning rate) are what the class
    fixes itself: read back from its attribute, or the book's default."""
    binding = s.binder.find(role)
    given, fixed = {}, []
    for name, value in run.settings.items():
        if s.binder.keyword(binding.obj, role, name) is not None:
            given[name] = value
        elif name in SETTINGS_NEEDED and value:
            raise NotApplicable(f"{binding.name}() takes no {name}")
        else:
            fixed.append(name)
    # A setting this family does not use is given as 0 when the constructor takes
    # it: a class whose default momentum or decay is not the book's 0 is checked
    # as the family says (and told so), not against another rule.
    for name in SETTINGS_NEEDED:
        keyword = s.binder.keyword(binding.obj, role, name)
        if name in run.settings or keyword is None:
            continue
        default = _default_of(binding.obj, keyword)
        if default is None or default == 0:
            continue
        given[name] = 0.0
        s.notes.append(f"{binding.name}'s {keyword} defaults to {default!r} (the book's: 0); "
                       f"checked with {keyword}=0 given")
    optimizer = s.make(role, settings=given)
    effective = dict(run.settings)
    for name in fixed:
        value = s.get(optimizer, name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            effective[name] = float(value)
            s.notes.append(f"{binding.name} takes no {name} argument; it uses {value!r}")
        else:
            effective[name] = BOOK_DEFAULTS[role].get(name, run.settings[name])
            s.notes.append(f"{binding.name} takes no {name} argument; assumed the book's "
                           f"{effective[name]!r}")
    if effective != run.settings:
        s.override("settings", effective)
    return optimizer


def optimizer_run(role, quantity):
    def run(s, c):
        optimizer = make_optimizer(s, role, c)
        layers = make_layers(s, c)
        trajectory = {n: [] for n in parameter_names(c)}
        rates = []
        settings = s.overrides.get("settings", c.settings)
        schedule = learning_rates(settings, c.steps)
        wanted = (quantity, "learning_rate") if "decay" in quantity else (quantity,)
        # the reproduction: the gradients, and the book's loop over them
        for i in range(c.n_layers):
            s.value(f"dweights_{i}", c.arrays[f"dweights_{i}"])
            s.value(f"dbiases_{i}", c.arrays[f"dbiases_{i}"])
        s.transcript.append(
            f"for t in range({c.steps}):  # the book's step, with gradient t of the case\n"
            + "".join(f"    {layer.var}.dweights, {layer.var}.dbiases = dweights_{i}[t], "
                      f"dbiases_{i}[t]\n" for i, layer in enumerate(layers))
            + f"    {optimizer.var}.pre_update_params()\n"
            + "".join(f"    {optimizer.var}.update_params({layer.var})\n" for layer in layers)
            + f"    {optimizer.var}.post_update_params()")
        with s.quiet():
            for t in range(c.steps):
                for i, layer in enumerate(layers):
                    s.set(layer, "dweights", c.arrays[f"dweights_{i}"][t].copy())
                    s.set(layer, "dbiases", c.arrays[f"dbiases_{i}"][t].copy())
                s.call(optimizer, "pre_update_params", optional=True, stateful=False,
                       produces=())
                if "decay" in quantity:
                    rates.append(s.get(optimizer, "current_learning_rate"))
                for layer in layers:
                    s.call(optimizer, "update_params", layer, produces=(),
                           returns=None, extras={"learning_rate": float(schedule[t]),
                                                 "iteration": t},
                           raising=wanted)
                s.call(optimizer, "post_update_params", optional=True, stateful=False,
                       produces=())
                for i, layer in enumerate(layers):
                    trajectory[f"weights_{i}"].append(np.array(s.get(layer, "weights"),
                                                               copy=True))
                    trajectory[f"biases_{i}"].append(np.array(s.get(layer, "biases"),
                                                              copy=True))
        s.produce(quantity, stacked({n: np.stack(v) for n, v in trajectory.items()}, c))
        if "decay" in quantity:
            if any(r is None for r in rates):
                s.skip("learning_rate", f"{optimizer.cls_name} has no current_learning_rate")
            else:
                s.produce("learning_rate", rates)
    return run


# ---------------------------------------------------------------- the families
FAMILIES = {
    # name: (the book's class, settings strategy key, quantity)
    "Optimizer_SGD": (("plain", "SGD", "update"), ("decay", "SGD decay", "update+decay"),
                      ("momentum", "SGD momentum", "update+momentum"),
                      ("momentum+decay", "SGD momentum decay", "update+momentum+decay")),
    "Optimizer_Adagrad": (("plain", "Adagrad", "update"), ("decay", "Adagrad decay",
                                                           "update+decay")),
    "Optimizer_RMSprop": (("plain", "RMSprop", "update"), ("decay", "RMSprop decay",
                                                           "update+decay")),
    "Optimizer_Adam": (("plain", "Adam", "update"), ("decay", "Adam decay", "update+decay")),
}


def _settings(role, key):
    lr = S.log_uniform(1e-3, 2.0) if role in ("Optimizer_SGD", "Optimizer_Adagrad") \
        else S.log_uniform(1e-4, 0.1)
    fields = {"learning_rate": lr}
    if "decay" in key:
        fields["decay"] = S.log_uniform(1e-4, 1.0)
    if "momentum" in key:
        fields["momentum"] = st.floats(0.05, 0.99)
    if role != "Optimizer_SGD":
        fields["epsilon"] = S.epsilons()
    if role == "Optimizer_RMSprop":
        fields["rho"] = st.floats(0.5, 0.999)
    if role == "Optimizer_Adam":
        fields["beta_1"] = st.one_of(st.just(0.9), st.floats(0.0, 0.99))
        fields["beta_2"] = st.one_of(st.just(0.999), st.floats(0.9, 0.9999))
    return st.fixed_dictionaries(fields)


def optimizer_demo(role, key):
    def demo(rng, dtype):
        settings = {"learning_rate": 0.05 if role in ("Optimizer_SGD", "Optimizer_Adagrad")
                    else 0.01}
        if "decay" in key:
            settings["decay"] = 0.01
        if "momentum" in key:
            settings["momentum"] = 0.9
        defaults = BOOK_DEFAULTS[role]
        for name in ("epsilon", "rho", "beta_1", "beta_2"):
            if name in defaults:
                settings[name] = defaults[name]
        arrays = {}
        for i, (n_in, n_out) in enumerate(((3, 2), (2, 1))):
            arrays[f"weights_{i}"] = rng.normal(size=(n_in, n_out)).astype(dtype)
            arrays[f"biases_{i}"] = rng.normal(size=(1, n_out)).astype(dtype)
            arrays[f"dweights_{i}"] = rng.normal(size=(6, n_in, n_out)).astype(dtype)
            arrays[f"dbiases_{i}"] = rng.normal(size=(6, 1, n_out)).astype(dtype)
        return S.OptimizerRun(dtype, "demo: 6 steps", arrays, settings=settings)
    return demo


def optimizer_checks():
    checks = []
    for role, families in FAMILIES.items():
        for variant, key, quantity in families:
            alternatives = None
            if role == "Optimizer_SGD" and variant == "momentum+decay":
                def alternatives(run, quantity=quantity):
                    theirs = torch_trajectory(lambda params: TorchMomentum(params, run.settings),
                                              run)
                    scale = trajectory_scale(run, theirs, STEP_ERROR["Optimizer_SGD"])
                    return {quantity: [("torch.optim.SGD's momentum rule (a buffer without "
                                        "the learning rate, rescaled by each step's rate)",
                                        theirs, scale)]}
            checks.append(Check(
                name=role, variant=variant, chapter=10 + 0.1 * len(checks),
                roles=(role,),
                quantities=(("learning_rate", quantity) if "decay" in quantity else (quantity,)),
                cases=lambda dtype, settings=_settings(role, key): S.optimizer_runs(
                    dtype, settings),
                demo=optimizer_demo(role, key), run=optimizer_run(role, quantity),
                reference=reference_for(role, quantity),
                error_scale=error_scale_for(role, quantity),
                alternatives=alternatives, judge=judge_learning_rate,
                examples=0.25, poison=False,
                shrink=False))      # the demo case (6 steps, two small layers) reads well
    return tuple(checks)


class TorchMomentum:
    """torch.optim.SGD with momentum, its rate decayed the book's way by LambdaLR."""

    def __init__(self, params, settings):
        self.optimizer = torch.optim.SGD(params, lr=settings["learning_rate"],
                                         momentum=settings["momentum"])
        self.schedule = torch.optim.lr_scheduler.LambdaLR(self.optimizer,
                                                          book_decay(settings["decay"]))

    def step(self):
        self.optimizer.step()
        self.schedule.step()


CHECKS = optimizer_checks()
