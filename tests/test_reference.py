"""The reference's contract beyond its gradients (those are gradchecked in
tests/test_reference_gradcheck.py): the predictions' dtype whatever the
labels' dtype, the book's defaults, and the optimizers' settings."""
import numpy as np
import pytest
import torch

import reference.components as ref
from reference.optimizers import BookSGD, book_settings, reference_optimizer

P32 = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], dtype=torch.float32)
ONE_HOT64 = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=torch.float64)


LOSSES = (ref.loss_categorical_crossentropy_samples, ref.loss_binary_crossentropy_outputs,
          ref.loss_mean_squared_error_outputs, ref.loss_mean_absolute_error_outputs)


@pytest.mark.parametrize("function, labels", [
    *[pytest.param(f, labels, id=f"{f.__name__}-{kind}") for f in LOSSES
      for kind, labels in (("float64", ONE_HOT64), ("bool", ONE_HOT64.bool()))],
    pytest.param(ref.activation_softmax_loss_categorical_crossentropy, ONE_HOT64,
                 id="activation_softmax_loss_categorical_crossentropy-float64")])
def test_losses_keep_the_predictions_dtype(function, labels):
    """As numpy_impl converts labels and targets to the predictions' dtype."""
    result = function(P32, labels)
    loss = result[1] if isinstance(result, tuple) else result
    assert loss.dtype == torch.float32


def test_regularization_is_off_by_default_and_a_zero_strength_adds_nothing():
    """The book's Layer_Dense defaults every strength to 0, and 0 leaves its term
    out: 0 * inf would be NaN."""
    weights = torch.tensor([[1.0, np.inf], [-2.0, 0.5]], dtype=torch.float64)
    biases = torch.tensor([[np.inf, -1.0]], dtype=torch.float64)
    penalty = ref.regularization_loss(weights, biases)
    assert penalty.item() == 0 and penalty.dtype == torch.float64
    assert ref.regularization_loss(weights, biases, 0.0, 0.0, 0.0, 0.0).item() == 0
    output, penalty = ref.layer_dense_regularized(torch.ones(1, 2, dtype=torch.float64),
                                                  weights, biases)
    assert penalty.item() == 0


def test_the_identity_is_a_new_node_of_the_graph():
    x = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)
    y = ref.activation_linear(x)
    assert y is not x and y.grad_fn is not None


# ---------------------------------------------------------------- optimizers
def test_book_settings_refuse_unknown_optimizers_and_settings():
    with pytest.raises(ValueError, match=r"^unknown optimizer 'Optimizer_Nesterov'; expected "
                                         r"one of Optimizer_SGD, Optimizer_Adagrad, "
                                         r"Optimizer_RMSprop, Optimizer_Adam$"):
        book_settings("Optimizer_Nesterov")
    with pytest.raises(TypeError, match=r"^Optimizer_Adam has no setting\(s\) momentum, rho; "
                                        r"its settings are learning_rate, decay, epsilon, "
                                        r"beta_1, beta_2$"):
        book_settings("Optimizer_Adam", rho=0.9, momentum=0.5)


def test_book_sgd_defaults_and_zero_grad():
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    sgd = BookSGD([w])
    assert (sgd.learning_rate, sgd.decay, sgd.momentum) == (1.0, 0.0, 0.0)
    w.grad = torch.ones(2, dtype=torch.float64)
    sgd.zero_grad()
    assert w.grad is None


def test_reference_sgd_with_momentum_and_decay_is_the_books_rule():
    """Two steps with gradients g1, g2 (module doc of reference/optimizers.py):
    w2 = w0 - lr0 (1 + m) g1 - lr1 g2, with lr_k = lr / (1 + decay * k)."""
    lr, decay, m = 0.5, 0.25, 0.75
    w = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    optimizer = reference_optimizer("Optimizer_SGD", [w], learning_rate=lr, decay=decay,
                                    momentum=m)
    g1, g2 = np.array([0.5, 1.0]), np.array([-1.0, 2.0])
    for g in (g1, g2):
        w.grad = torch.from_numpy(g.copy())
        optimizer.step()
    expected = np.array([1.0, -2.0]) - lr * (1 + m) * g1 - lr / (1 + decay) * g2
    np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-15)
