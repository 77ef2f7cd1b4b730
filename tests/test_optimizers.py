"""Optimizers: whole parameter trajectories against torch.

Each case of OPTIMIZER_CASES is one family of book settings. The same starting
layers and the same gradient sequence go through the implementation's
optimizer (book protocol: pre_update_params, update_params per layer,
post_update_params) and through its torch counterpart: torch.optim wherever
the book's rule is torch.optim's rule, the book's rule written with torch
tensors where it is not (SGD with momentum and decay; see
reference/optimizers.py). Every step of both trajectories must agree within a
rounding-error bound derived below, in float32 and float64.

The optimizer classes are looked up by name in the implementation under test
(--impl), so a learner's own Optimizer_Adam is checked the same way.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
import torch
from hypothesis import Phase, given, settings
from hypothesis.strategies import SearchStrategy

from reference.optimizers import BookSGD, reference_optimizer, torch_optim

from .compare import compare
from .mutants.apply import load_mistake
from .mutants.catalogue import Mistake, all_mistakes
from .optimizer_diagnosis import diagnose_trajectory
from .properties import _with_diagnosis
from .strategies import DTYPES, OPTIMIZER_SETTINGS, optimizer_runs

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
    (m's own rounding, two products, one difference, lr_t's roundings) and keeps
    m times the previous error. torch's buffer b_t = m b + g, times lr_t,
    rounds the same quantities."""
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


def trajectory_scale(reference_trajectory, step_error):
    """Bound (units of eps) on a parameter after each step: every earlier step's
    error plus the rounding of every addition (|w_k|)."""
    return np.cumsum(np.abs(reference_trajectory) + step_error, axis=0)


# ---------------------------------------------------------------- the cases
@dataclass(frozen=True)
class OptimizerCase:
    name: str                       # test id
    class_name: str                 # the book's class, looked up in --impl
    settings: SearchStrategy        # keyword settings (tests/strategies.py)
    torch_factory: Callable         # (list of tensors, settings) -> object with .step()
    torch_optim: bool               # is the reference torch.optim itself?
    step_error: Callable            # (settings, gradients) -> rounding bound per step


def _torch_optim(class_name):
    return lambda params, settings: torch_optim(class_name, params, **settings)


def _book_sgd(params, settings):
    return BookSGD(params, **settings)


OPTIMIZER_CASES = [
    OptimizerCase("SGD", "Optimizer_SGD", OPTIMIZER_SETTINGS["SGD"],
                  _torch_optim("Optimizer_SGD"), True, sgd_step_error),
    OptimizerCase("SGD-momentum", "Optimizer_SGD", OPTIMIZER_SETTINGS["SGD momentum"],
                  _torch_optim("Optimizer_SGD"), True, sgd_step_error),
    OptimizerCase("SGD-momentum-decay", "Optimizer_SGD",
                  OPTIMIZER_SETTINGS["SGD momentum decay"], _book_sgd, False, sgd_step_error),
    OptimizerCase("Adagrad", "Optimizer_Adagrad", OPTIMIZER_SETTINGS["Adagrad"],
                  _torch_optim("Optimizer_Adagrad"), True, adagrad_step_error),
    OptimizerCase("RMSprop", "Optimizer_RMSprop", OPTIMIZER_SETTINGS["RMSprop"],
                  _torch_optim("Optimizer_RMSprop"), True, rmsprop_step_error),
    OptimizerCase("Adam", "Optimizer_Adam", OPTIMIZER_SETTINGS["Adam"],
                  _torch_optim("Optimizer_Adam"), True, adam_step_error),
]


class ParamsLayer:
    """The part of Layer_Dense an optimizer sees."""

    def __init__(self, weights, biases):
        self.weights, self.biases = weights, biases
        self.dweights = self.dbiases = None


def require_optimizer(impl, class_name, request, what):
    request.node.user_properties.append(("crosscheck", (class_name, what)))
    cls = impl.find((class_name,))
    if cls is None:
        pytest.skip(f"{impl.label} has no {class_name}")
    return cls


def book_steps(optimizer, layers, run, t):
    for i, layer in enumerate(layers):
        layer.dweights = run.arrays[f"dweights_{i}"][t].copy()
        layer.dbiases = run.arrays[f"dbiases_{i}"][t].copy()
    optimizer.pre_update_params()
    for layer in layers:
        optimizer.update_params(layer)
    optimizer.post_update_params()


def book_trajectory(cls, run):
    """{name: (steps, *shape) array}: each parameter after every step of `cls`
    driven by the book's protocol."""
    layers = [ParamsLayer(run.arrays[f"weights_{i}"].copy(), run.arrays[f"biases_{i}"].copy())
              for i in range(run.n_layers)]
    optimizer = cls(**run.settings)
    yours = {f"{p}_{i}": [] for i in range(run.n_layers) for p in ("weights", "biases")}
    for t in range(run.steps):
        book_steps(optimizer, layers, run, t)
        for i, layer in enumerate(layers):
            yours[f"weights_{i}"].append(np.array(layer.weights, copy=True))
            yours[f"biases_{i}"].append(np.array(layer.biases, copy=True))
    return {n: np.stack(v) for n, v in yours.items()}


def torch_trajectory(case, run):
    """The same as book_trajectory, from the case's torch counterpart."""
    names = [f"{p}_{i}" for i in range(run.n_layers) for p in ("weights", "biases")]
    tensors = {n: torch.tensor(run.arrays[n], requires_grad=True) for n in names}
    reference = case.torch_factory(list(tensors.values()), run.settings)
    theirs = {n: [] for n in names}
    for t in range(run.steps):
        for n, tensor in tensors.items():
            tensor.grad = torch.from_numpy(run.arrays[f"d{n}"][t].copy())
        reference.step()
        for n, tensor in tensors.items():
            theirs[n].append(tensor.detach().numpy().copy())
    return {n: np.stack(v) for n, v in theirs.items()}


def trajectories(cls, case, run):
    """({name: (steps, *shape) array}, same from torch) for every parameter."""
    return book_trajectory(cls, run), torch_trajectory(case, run)


def trajectory_scales(case, run, theirs):
    """{name: error scale (units of eps) of each element of torch's trajectory}."""
    # The bounds are elementwise: run them once over all parameters side by side.
    flat = [run.arrays[f"d{name}"].reshape(run.steps, -1).astype(np.float64) for name in theirs]
    step_errors = np.split(case.step_error(run.settings, np.concatenate(flat, axis=1)),
                           np.cumsum([f.shape[1] for f in flat])[:-1], axis=1)
    return {name: trajectory_scale(theirs[name].astype(np.float64),
                                   step_error.reshape(theirs[name].shape))
            for name, step_error in zip(theirs, step_errors)}


def _verdicts(case, run, yours, theirs, scales):
    return [compare(case.class_name, f"{name} trajectory [step, ...]",
                    yours[name], theirs[name], scales[name], run.dtype) for name in theirs]


def trajectory_verdicts(cls, case, run):
    yours, theirs = trajectories(cls, case, run)
    return _verdicts(case, run, yours, theirs, trajectory_scales(case, run, theirs))


def trajectory_property(cls, case, dtype):
    """Property: every step of cls's trajectory equals torch's, for runs of
    `dtype` with the case's settings. On Hypothesis's final (shrunk) example the
    failure message adds diagnosis lines: which catalogued optimizer mistake
    (tests/mutants/optimizers.py) reproduces this wrong trajectory."""
    against = "torch.optim" if case.torch_optim else "the book's rule in torch"

    @given(run=optimizer_runs(dtype, case.settings))
    def matches(run):
        yours, theirs = trajectories(cls, case, run)
        scales = trajectory_scales(case, run, theirs)
        bad = [v.message() for v in _verdicts(case, run, yours, theirs, scales) if not v.ok]
        if bad:
            message = f"{case.class_name}({run.settings}) vs {against}:\n" + "\n".join(bad)
            raise AssertionError(_with_diagnosis(message, lambda: diagnose_trajectory(
                case.class_name, yours, theirs, scales, run.dtype,
                lambda other: book_trajectory(other, run))))

    return matches


def dtype_name(dtype):
    return np.dtype(dtype).name


def trajectory_examples():
    return max(10, settings().max_examples // 4)


TRAJECTORY_CASES = [pytest.param(c, d, id=f"{c.name}-{dtype_name(d)}")
                    for c in OPTIMIZER_CASES for d in DTYPES]


@pytest.mark.parametrize("case,dtype", TRAJECTORY_CASES)
def test_trajectory_matches_torch(impl, request, case, dtype):
    cls = require_optimizer(impl, case.class_name, request,
                            f"{case.name} trajectory {dtype_name(dtype)}")
    # Each example is a whole run of 20 to 50 checked steps: a quarter of the
    # profile's example count keeps the default suite fast.
    settings(max_examples=trajectory_examples())(trajectory_property(cls, case, dtype))()


# ---------------------------------------------------------------- the book's rules, by hand
@pytest.mark.parametrize("class_name", ["Optimizer_SGD", "Optimizer_Adagrad",
                                        "Optimizer_RMSprop", "Optimizer_Adam"])
def test_learning_rate_decays_like_the_book(impl, request, class_name):
    """current_learning_rate after t steps is lr / (1 + decay * t); the first
    step uses lr itself."""
    cls = require_optimizer(impl, class_name, request, "learning-rate decay")
    optimizer = cls(learning_rate=0.5, decay=0.25)
    layer = ParamsLayer(np.zeros((2, 2)), np.zeros((1, 2)))
    expected = [0.5, 0.4, 1 / 3, 0.5 / 1.75, 0.25]      # 0.5 / (1 + 0.25 t)
    for t, lr in enumerate(expected):
        layer.dweights, layer.dbiases = np.ones((2, 2)), np.ones((1, 2))
        optimizer.pre_update_params()
        assert optimizer.current_learning_rate == pytest.approx(lr, rel=1e-15), (
            f"{class_name}: step {t} should use lr / (1 + decay * {t}) = {lr}, "
            f"current_learning_rate is {optimizer.current_learning_rate}")
        optimizer.update_params(layer)
        optimizer.post_update_params()
    assert optimizer.iterations == len(expected)


# Learning rates the book prints (f"lr: {optimizer.current_learning_rate}") at an
# epoch, i.e. after that many completed steps, for Optimizer_Adam(learning_rate=0.05,
# decay): chapter 11's printed run (decay 5e-7, from a public copy of the chapter's
# code) and chapter 15's (decay 5e-5, Sentdex/nnfs_book Chapter_15/Ch15_Final.py).
BOOK_PRINTED_LEARNING_RATES = [
    (5e-7, 9800, "0.04975621940303483"), (5e-7, 9900, "0.049753743844839965"),
    (5e-7, 10000, "0.04975126853296942"),
    (5e-5, 9900, "0.0334459346466437"), (5e-5, 10000, "0.03333444448148271"),
]


@pytest.mark.parametrize("decay, epoch, printed", BOOK_PRINTED_LEARNING_RATES)
def test_book_printed_learning_rates_to_every_digit(impl, request, decay, epoch, printed):
    cls = require_optimizer(impl, "Optimizer_Adam", request, "book's printed learning rates")
    optimizer = cls(learning_rate=0.05, decay=decay)
    for _ in range(epoch):
        optimizer.pre_update_params()
        optimizer.post_update_params()
    assert repr(float(optimizer.current_learning_rate)) == printed, (
        f"after {epoch} steps with decay {decay} the book prints lr: {printed}, "
        f"yours is {optimizer.current_learning_rate!r}")


def test_adam_first_step_is_lr_times_sign(impl, request):
    """With bias correction, Adam's first step is lr * g / (|g| + eps): a step of
    almost exactly lr against the gradient's sign, whatever the gradient's size
    and the betas. Without the correction it would be (1 - beta_1) /
    sqrt(1 - beta_2) times that (about 3.16 for the defaults)."""
    cls = require_optimizer(impl, "Optimizer_Adam", request, "first step")
    optimizer = cls(learning_rate=0.01, beta_1=0.8, beta_2=0.99)
    layer = ParamsLayer(np.zeros((1, 3)), np.zeros((1, 3)))
    layer.dweights = np.array([[1e-3, -2.0, 300.0]])
    layer.dbiases = np.array([[5.0, -5.0, 0.0]])
    optimizer.pre_update_params()
    optimizer.update_params(layer)
    optimizer.post_update_params()
    np.testing.assert_allclose(layer.weights, [[-0.01, 0.01, -0.01]], rtol=1e-3)
    np.testing.assert_allclose(layer.biases, [[-0.01, 0.01, 0.0]], rtol=1e-6, atol=0)


# ---------------------------------------------------------------- where torch.optim differs
def test_sgd_momentum_with_decay_differs_from_torch_optim(impl, request):
    """SGD with momentum AND decay: the book's velocity keeps each step's own
    learning rate, torch.optim.SGD re-scales its whole buffer by today's rate
    (reference/optimizers.py). Constant gradient 1, lr 1, decay 0.1, momentum 0.9:

        book   w_2 = -(1 * (1 + 0.9) + 1/1.1)  = -2.80909...
        torch  w_2 = -(1 + (1/1.1) * (1 + 0.9)) = -2.72727...

    differing by 0.9 * (1 - 1/1.1) = 0.0818...; after 20 steps the two are
    far apart, while the book's rule in torch (BookSGD) agrees to rounding."""
    cls = require_optimizer(impl, "Optimizer_SGD", request, "momentum+decay vs torch.optim")
    settings = dict(learning_rate=1.0, decay=0.1, momentum=0.9)
    layer = ParamsLayer(np.zeros((1, 1)), np.zeros((1, 1)))
    optimizer = cls(**settings)
    book_in_torch = torch.zeros((1, 1), dtype=torch.float64, requires_grad=True)
    torch_optim_w = torch.zeros((1, 1), dtype=torch.float64, requires_grad=True)
    book = BookSGD([book_in_torch], **settings)
    sgd = torch.optim.SGD([torch_optim_w], lr=1.0, momentum=0.9)
    schedule = torch.optim.lr_scheduler.LambdaLR(sgd, lambda t: 1.0 / (1.0 + 0.1 * t))
    yours, torch_optims = [], []
    for _ in range(20):
        layer.dweights, layer.dbiases = np.ones((1, 1)), np.ones((1, 1))
        optimizer.pre_update_params()
        optimizer.update_params(layer)
        optimizer.post_update_params()
        for w in (book_in_torch, torch_optim_w):
            w.grad = torch.ones((1, 1), dtype=torch.float64)
        book.step()
        sgd.step()
        schedule.step()
        yours.append(float(layer.weights[0, 0]))
        torch_optims.append(float(torch_optim_w.detach()[0, 0]))
    assert yours[1] == pytest.approx(-(1.9 + 1 / 1.1), rel=1e-14)
    assert torch_optims[1] == pytest.approx(-(1 + 1.9 / 1.1), rel=1e-14)
    assert yours[1] - torch_optims[1] == pytest.approx(-0.9 * (1 - 1 / 1.1), rel=1e-12)
    # After 20 steps: agreement with the book's rule, a gap of order 1 from torch.optim.
    assert abs(yours[-1] - float(book_in_torch.detach()[0, 0])) <= 1e-13 * abs(yours[-1])
    gap = abs(yours[-1] - torch_optims[-1])
    assert gap > 1.0, f"expected the book and torch.optim.SGD to be > 1 apart, gap {gap}"


def test_sgd_momentum_without_decay_is_torch_optim_bit_for_bit_on_powers_of_two(impl, request):
    """Without decay, v = -lr * buffer exactly in real numbers; with lr, momentum
    and gradients powers of two every rounding is exact, so the book's SGD
    and torch.optim.SGD must give identical bits."""
    cls = require_optimizer(impl, "Optimizer_SGD", request, "momentum vs torch.optim exact")
    layer = ParamsLayer(np.array([[1.0, -2.0]]), np.array([[0.5]]))
    w = torch.tensor([[1.0, -2.0]], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([[0.5]], dtype=torch.float64, requires_grad=True)
    optimizer = cls(learning_rate=0.25, momentum=0.5)
    sgd = torch.optim.SGD([w, b], lr=0.25, momentum=0.5)
    for t in range(10):
        gw, gb = np.array([[2.0 ** -t, -4.0]]), np.array([[(-1.0) ** t]])
        layer.dweights, layer.dbiases = gw, gb
        optimizer.pre_update_params()
        optimizer.update_params(layer)
        optimizer.post_update_params()
        w.grad, b.grad = torch.from_numpy(gw.copy()), torch.from_numpy(gb.copy())
        sgd.step()
        assert np.array_equal(layer.weights, w.detach().numpy()), f"step {t}"
        assert np.array_equal(layer.biases, b.detach().numpy()), f"step {t}"


# ---------------------------------------------------------------- this project's optimizers
STATE_NAMES = {
    "Optimizer_SGD": ({"momentum": 0.9}, ("weight_momentums", "bias_momentums")),
    "Optimizer_Adagrad": ({}, ("weight_cache", "bias_cache")),
    "Optimizer_RMSprop": ({}, ("weight_cache", "bias_cache")),
    "Optimizer_Adam": ({}, ("weight_momentums", "weight_cache", "bias_momentums",
                            "bias_cache")),
}


@pytest.mark.project
@pytest.mark.parametrize("class_name", list(STATE_NAMES))
@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_name)
def test_state_lives_on_the_layer_and_keeps_dtype(class_name, dtype):
    import numpy_impl
    settings, state_names = STATE_NAMES[class_name]
    optimizer = getattr(numpy_impl, class_name)(**settings)
    layer = ParamsLayer(np.ones((3, 2), dtype), np.ones((1, 2), dtype))
    weights = layer.weights
    for _ in range(3):
        layer.dweights, layer.dbiases = np.full((3, 2), 0.5, dtype), np.full((1, 2), -1, dtype)
        optimizer.pre_update_params()
        optimizer.update_params(layer)
        optimizer.post_update_params()
    assert layer.weights is weights, "parameters are updated in place, like the book"
    assert layer.weights.dtype == dtype and layer.biases.dtype == dtype
    for name in state_names:
        state = getattr(layer, name)
        like = layer.weights if name.startswith("weight") else layer.biases
        assert state.shape == like.shape and state.dtype == dtype, name


@pytest.mark.project
@pytest.mark.parametrize("make, message", [
    (lambda ni: ni.Optimizer_SGD(learning_rate=0), "Optimizer_SGD: learning_rate must be in (0"),
    (lambda ni: ni.Optimizer_SGD(decay=-1), "Optimizer_SGD: decay must be in [0"),
    (lambda ni: ni.Optimizer_SGD(momentum="0.9"), "Optimizer_SGD: momentum must be a real number"),
    (lambda ni: ni.Optimizer_Adagrad(epsilon=0), "Optimizer_Adagrad: epsilon must be in (0"),
    (lambda ni: ni.Optimizer_RMSprop(rho=1.0), "Optimizer_RMSprop: rho must be in [0, 1)"),
    (lambda ni: ni.Optimizer_Adam(beta_2=float("nan")), "Optimizer_Adam: beta_2 must be in"),
])
def test_bad_settings_are_refused_with_a_clear_message(make, message):
    import numpy_impl
    with pytest.raises((ValueError, TypeError)) as error:
        make(numpy_impl)
    assert message in str(error.value)


@pytest.mark.project
def test_bad_layers_are_refused_with_a_clear_message():
    import numpy_impl
    optimizer = numpy_impl.Optimizer_Adam()
    layer = ParamsLayer(np.ones((3, 2)), np.ones((1, 2)))
    with pytest.raises(RuntimeError, match=r"Optimizer_Adam: the layer has no \.dweights; "
                                           r"call the layer's backward\(\)"):
        optimizer.update_params(layer)
    layer.dweights, layer.dbiases = np.ones((2, 3)), np.ones((1, 2))
    with pytest.raises(ValueError, match=r"Optimizer_Adam: layer\.dweights must have the shape "
                                         r"of layer\.weights \(3, 2\), received shape \(2, 3\)"):
        optimizer.update_params(layer)
    with pytest.raises(TypeError, match=r"Optimizer_Adam: update_params expects a layer"):
        optimizer.update_params(object())


@pytest.mark.project
def test_reference_refuses_sgd_momentum_with_decay_in_torch_optim():
    w = torch.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="torch.optim.SGD cannot reproduce"):
        torch_optim("Optimizer_SGD", [w], momentum=0.9, decay=1e-3)
    assert isinstance(reference_optimizer("Optimizer_SGD", [w], momentum=0.9, decay=1e-3),
                      BookSGD)


# ---------------------------------------------------------------- classic mistakes, caught and named
def trajectory_disagreement(cls, cases, max_examples=None):
    """The failure message of the first failing trajectory property among
    `cases` (both dtypes each) for `cls`, or None. As tests/suite.py does for
    the registry: no shrinking, a sweep with a few examples per property first,
    then the full budget of test_trajectory_matches_torch."""
    budget = max_examples or trajectory_examples()
    for examples in sorted({min(5, budget), budget}):
        fast = settings(settings(), max_examples=examples,
                        phases=[Phase.explicit, Phase.reuse, Phase.generate])
        for case in cases:
            for dtype in DTYPES:
                try:
                    with np.errstate(all="ignore"):
                        fast(trajectory_property(cls, case, dtype))()
                except Exception as exc:  # AssertionError, or the optimizer raising
                    return f"{type(exc).__name__}: {exc}"
    return None


def _optimizer_mistakes():
    classes = {case.class_name for case in OPTIMIZER_CASES}
    return [m for m in all_mistakes() if m.component in classes]


@pytest.mark.project
@pytest.mark.parametrize("mistake", _optimizer_mistakes(), ids=lambda m: m.name)
def test_trajectory_catches_and_names_optimizer_mistake(mistake, tmp_path):
    impl = load_mistake(mistake, str(tmp_path))
    cls = impl.find((mistake.component,))
    assert cls is not None
    message = trajectory_disagreement(
        cls, [case for case in OPTIMIZER_CASES if case.class_name == mistake.component])
    assert message is not None, (
        f"the trajectory check does not catch {mistake.name}: {mistake.description}")
    # ... and the diagnosis, verified on the failing run, names it.
    assert f"[{mistake.name}]" in message, f"{mistake.name} caught but not named:\n{message}"


@pytest.mark.project
def test_unknown_optimizer_bug_is_not_given_a_known_name(tmp_path):
    """A bug the catalogue does not list (Adam's steps 0.1 % too long) fails the
    trajectory check, and the diagnosis says no known mistake matches rather than
    guessing."""
    unknown = Mistake("adam-lr-times-1.001", "Optimizer_Adam", "optimizers.py",
                      "return (-self.current_learning_rate * momentums_corrected",
                      "return (-1.001 * self.current_learning_rate * momentums_corrected",
                      "-", "-")
    cls = load_mistake(unknown, str(tmp_path)).find(("Optimizer_Adam",))
    adam = [case for case in OPTIMIZER_CASES if case.name == "Adam"]
    message = trajectory_disagreement(cls, adam)
    assert message is not None, "a 0.1 % longer Adam step went unnoticed"
    assert "diagnosis: no known mistake matches" in message, message
    assert "looks like" not in message, message
