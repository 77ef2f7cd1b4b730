"""numpy_impl's optimizers as the book prints and writes them: the learning
rates the book prints, Adam's first step, SGD with momentum and decay (where
the book and torch.optim differ), state kept on the layer in the layer's dtype,
and clear errors for bad settings and layers. (Any implementation's optimizers
are checked against torch by nn_crosscheck/components/optimizers.py.)"""
import numpy as np
import pytest
import torch

import numpy_impl
from reference.optimizers import BookSGD, reference_optimizer, torch_optim

DTYPES = (np.float32, np.float64)


def dtype_name(dtype):
    return np.dtype(dtype).name


class ParamsLayer:
    """The part of Layer_Dense an optimizer sees."""

    def __init__(self, weights, biases):
        self.weights, self.biases = weights, biases
        self.dweights = self.dbiases = None


class Project:
    """numpy_impl as the implementation: the class is found by its name."""
    label = "numpy_impl"

    @staticmethod
    def find(names):
        return getattr(numpy_impl, names[0])


def require_optimizer(impl, class_name, request, what):
    return getattr(numpy_impl, class_name)


@pytest.fixture
def impl():
    return Project()


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



# The book's constructors (chapter 10) and the attributes they set.
BOOK_DEFAULTS = {
    "Optimizer_SGD": dict(learning_rate=1.0, current_learning_rate=1.0, decay=0.0,
                          iterations=0, momentum=0.0),
    "Optimizer_Adagrad": dict(learning_rate=1.0, current_learning_rate=1.0, decay=0.0,
                              iterations=0, epsilon=1e-7),
    "Optimizer_RMSprop": dict(learning_rate=0.001, current_learning_rate=0.001, decay=0.0,
                              iterations=0, epsilon=1e-7, rho=0.9),
    "Optimizer_Adam": dict(learning_rate=0.001, current_learning_rate=0.001, decay=0.0,
                           iterations=0, epsilon=1e-7, beta_1=0.9, beta_2=0.999),
}


@pytest.mark.parametrize("class_name", list(BOOK_DEFAULTS))
def test_defaults_are_the_books(class_name):
    assert vars(getattr(numpy_impl, class_name)()) == BOOK_DEFAULTS[class_name]


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



def test_reference_refuses_sgd_momentum_with_decay_in_torch_optim():
    w = torch.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match=r"^torch\.optim\.SGD cannot reproduce the book's SGD "
                                         r"with both momentum and decay: the book's velocity "
                                         r"keeps each step's own learning rate, torch applies "
                                         r"the current rate to the whole buffer\. Use BookSGD\.$"):
        torch_optim("Optimizer_SGD", [w], momentum=0.9, decay=1e-3)
    assert isinstance(reference_optimizer("Optimizer_SGD", [w], momentum=0.9, decay=1e-3),
                      BookSGD)


