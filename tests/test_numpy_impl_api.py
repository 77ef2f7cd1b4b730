"""The book's later API in numpy_impl (chapters 16 to 22): Layer_Input,
forward(inputs, training), predictions(), Layer_Dropout at inference, the
Loss's accumulation and regularization over remembered layers, the Accuracy
classes, the Model, and the Fashion-MNIST loaders.

Expected values come from torch, from hand-computed numbers, or (for the
Model) from the book's hand-written training loop built from the components
that tests/test_components.py checks against torch; never from the code
under test itself.
"""
import inspect
import os
import struct
import sys
import zlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import numpy_impl as nn
from nn_crosscheck.book import spiral

pytestmark = pytest.mark.project

LAYERS_AND_ACTIVATIONS = ("Layer_Dense", "Layer_Dropout", "Layer_Input", "Activation_ReLU",
                          "Activation_Softmax", "Activation_Sigmoid", "Activation_Linear")


def make(name):
    cls = getattr(nn, name)
    return cls(3, 2) if name == "Layer_Dense" else cls(0.5) if name == "Layer_Dropout" else cls()


# ------------------------------------------------------------------ forward(inputs, training)
@pytest.mark.parametrize("name", LAYERS_AND_ACTIVATIONS)
def test_forward_takes_training_and_ignores_it_where_irrelevant(name):
    """Every layer and activation takes forward(inputs, training); only dropout's
    output depends on it."""
    parameters = list(inspect.signature(getattr(nn, name).forward).parameters)
    assert parameters[:3] == ["self", "inputs", "training"], parameters
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.75]])
    layer = make(name)
    if name == "Layer_Dropout":
        return          # tested below: training decides whether it drops
    layer.forward(x, True)
    trained = layer.output.copy()
    layer.forward(x, training=False)
    np.testing.assert_array_equal(layer.output, trained)


@pytest.mark.parametrize("name", [n for n in LAYERS_AND_ACTIVATIONS if n != "Layer_Input"])
@pytest.mark.parametrize("training", [True, False])
def test_forward_remembers_its_inputs(name, training):
    """As the book's forward does (self.inputs = inputs), for backward and the Model."""
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.75]])
    layer = make(name)
    layer.forward(x, training)
    assert layer.inputs is x


def test_layer_input_output_is_the_input():
    x = np.array([[1.0, 2.0]], dtype=np.float32)
    layer = nn.Layer_Input()
    layer.forward(x, False)
    assert layer.output is x


# ------------------------------------------------------------------ predictions
def test_predictions_as_the_book_defines_them():
    outputs = np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1]])
    np.testing.assert_array_equal(nn.Activation_Softmax().predictions(outputs), [1, 0, 2, 0])
    probabilities = np.array([[0.5, 0.51], [0.49, 0.9]])
    np.testing.assert_array_equal(nn.Activation_Sigmoid().predictions(probabilities),
                                  [[0, 1], [0, 1]])
    values = np.array([[-1.5, 2.0]])
    np.testing.assert_array_equal(nn.Activation_Linear().predictions(values), values)
    np.testing.assert_array_equal(nn.Activation_ReLU().predictions(values), values)


# ------------------------------------------------------------------ Layer_Dropout
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_draws_the_books_mask_and_is_a_copy_at_inference(dtype):
    x = np.arange(1.0, 13.0, dtype=dtype).reshape(3, 4)
    dropout = nn.Layer_Dropout(0.25)
    np.random.seed(7)
    dropout.forward(x, training=True)
    np.random.seed(7)
    kept = np.random.binomial(1, 0.75, size=x.shape)       # the book's draw
    expected = torch.from_numpy(x) * torch.from_numpy(kept).to(torch.from_numpy(x).dtype) / 0.75
    np.testing.assert_allclose(dropout.output, expected.numpy(), rtol=1e-6)
    assert dropout.output.dtype == dtype
    np.testing.assert_array_equal(dropout.binary_mask != 0, kept == 1)
    # inference: nothing dropped, nothing scaled, a new array, no random draw
    state = np.random.get_state()
    dropout.forward(x, training=False)
    assert np.random.get_state()[2] == state[2] and np.array_equal(
        np.random.get_state()[1], state[1]), "inference drew random numbers"
    assert dropout.output is not x
    np.testing.assert_array_equal(dropout.output, x)
    dropout.backward(np.full_like(x, 2.0))
    np.testing.assert_array_equal(dropout.dinputs, np.full_like(x, 2.0))


def test_dropout_drops_unless_told_it_is_inference():
    """The book's chapter 15 calls forward(inputs) alone, while training."""
    x = np.arange(1.0, 9.0).reshape(2, 4)
    np.random.seed(3)
    kept = np.random.binomial(1, 0.5, size=x.shape)
    dropout = nn.Layer_Dropout(0.5)
    np.random.seed(3)
    dropout.forward(x)
    np.testing.assert_array_equal(dropout.output, x * kept / 0.5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_backward_after_an_inference_forward_passes_the_gradient_in_its_dtype(dtype):
    x = np.ones((2, 3), dtype)
    dvalues = np.array([[0.5, -1.5, 2.0], [0.25, 0.0, -3.0]], dtype)
    dropout = nn.Layer_Dropout(0.3)
    dropout.forward(x, training=False)
    dropout.backward(dvalues)
    assert dropout.dinputs.dtype == dtype
    np.testing.assert_array_equal(dropout.dinputs, dvalues)


def test_linear_output_and_gradient_are_new_arrays():
    """Writing into what the identity returned must not change its argument."""
    x, dvalues = np.array([[1.0, -2.0]]), np.array([[0.5, 4.0]])
    linear = nn.Activation_Linear()
    linear.forward(x)
    linear.backward(dvalues)
    assert not np.shares_memory(linear.output, x)
    assert not np.shares_memory(linear.dinputs, dvalues)
    np.testing.assert_array_equal(linear.output, [[1.0, -2.0]])
    np.testing.assert_array_equal(linear.dinputs, [[0.5, 4.0]])


# ------------------------------------------------------------------ Layer_Dense: chapters 3 and 14
def test_dense_starts_from_the_books_weights_and_zero_biases():
    np.random.seed(5)
    expected = 0.01 * np.random.randn(4, 5)      # the book's draw, from the global generator
    np.random.seed(5)
    layer = nn.Layer_Dense(4, 5)
    np.testing.assert_array_equal(layer.weights, expected)
    np.testing.assert_array_equal(layer.biases, np.zeros((1, 5)))


def test_a_zero_strength_adds_nothing_even_to_infinite_parameters():
    """A strength of 0 switches its penalty off: its term is not computed as
    0 * inf = NaN. With every strength 0 the gradients are torch's unregularized
    ones, and the penalty is 0."""
    layer = nn.Layer_Dense(2, 2)
    layer.weights = np.array([[1.0, np.inf], [2.0, -np.inf]])
    layer.biases = np.array([[3.0, np.inf]])
    x, dvalues = np.array([[1.0, 2.0]]), np.array([[-1.0, 3.0]])
    with np.errstate(invalid="ignore"):         # inf - inf in the output: not the point here
        layer.forward(x)
    layer.backward(dvalues)
    expected_dweights = (torch.from_numpy(x).T @ torch.from_numpy(dvalues)).numpy()
    expected_dbiases = torch.from_numpy(dvalues).sum(dim=0, keepdim=True).numpy()
    np.testing.assert_array_equal(layer.dweights, expected_dweights)
    np.testing.assert_array_equal(layer.dbiases, expected_dbiases)
    assert nn.Loss_MeanSquaredError().regularization_loss(layer) == 0


# ------------------------------------------------------------------ Loss: chapters 14 to 19
def regularized_layer(rng, l1w, l2w, l1b, l2b, dtype=np.float64):
    layer = nn.Layer_Dense(3, 2, weight_regularizer_l1=l1w, weight_regularizer_l2=l2w,
                           bias_regularizer_l1=l1b, bias_regularizer_l2=l2b)
    layer.weights = rng.normal(size=(3, 2)).astype(dtype)
    layer.biases = rng.normal(size=(1, 2)).astype(dtype)
    return layer


def torch_penalty(layer):
    w, b = torch.from_numpy(layer.weights), torch.from_numpy(layer.biases)
    return float(layer.weight_regularizer_l1 * w.abs().sum()
                 + layer.weight_regularizer_l2 * (w ** 2).sum()
                 + layer.bias_regularizer_l1 * b.abs().sum()
                 + layer.bias_regularizer_l2 * (b ** 2).sum())


def test_regularization_loss_of_one_layer_and_of_remembered_layers():
    rng = np.random.default_rng(0)
    first = regularized_layer(rng, 5e-4, 1e-3, 0.0, 2e-3)
    second = regularized_layer(rng, 0.0, 5e-4, 1e-3, 0.0)
    loss = nn.Loss_CategoricalCrossentropy()
    # chapter 14: one layer at a time
    assert loss.regularization_loss(first) == pytest.approx(torch_penalty(first), rel=1e-12)
    # chapter 18: the model's trainable layers, remembered
    loss.remember_trainable_layers([first, second])
    assert loss.regularization_loss() == pytest.approx(
        torch_penalty(first) + torch_penalty(second), rel=1e-12)


def test_regularization_loss_keeps_float32():
    rng = np.random.default_rng(1)
    loss = nn.Loss_CategoricalCrossentropy()
    unregularized = regularized_layer(rng, 0, 0, 0, 0, np.float32)
    loss.remember_trainable_layers([unregularized,
                                    regularized_layer(rng, 1e-3, 0, 0, 0, np.float32)])
    assert np.asarray(loss.regularization_loss()).dtype == np.float32
    # every strength 0: a float32 zero, as torch's penalty would be
    loss.remember_trainable_layers([unregularized])
    penalty = loss.regularization_loss()
    assert penalty == 0 and np.asarray(penalty).dtype == np.float32
    assert np.asarray(loss.regularization_loss(unregularized)).dtype == np.float32


def test_calculate_returns_the_regularization_loss_on_request_and_accumulates():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])
    y = np.array([0, 2, 1], dtype=np.uint8)
    loss = nn.Loss_CategoricalCrossentropy()
    loss.remember_trainable_layers([])
    by_hand = -np.log([0.7, 0.6, 0.5])
    # forward: one loss per sample
    np.testing.assert_allclose(loss.forward(p, y), by_hand, rtol=1e-15)
    assert loss.calculate(p[:2], y[:2]) == pytest.approx(by_hand[:2].mean(), rel=1e-15)
    data_loss, regularization_loss = loss.calculate(p[2:], y[2:], include_regularization=True)
    assert data_loss == pytest.approx(by_hand[2], rel=1e-15) and regularization_loss == 0
    # the two batches together: the mean over all three samples
    assert loss.accumulated_count == 3
    assert loss.calculate_accumulated() == pytest.approx(by_hand.mean(), rel=1e-15)
    assert loss.calculate_accumulated(include_regularization=True)[0] == pytest.approx(
        by_hand.mean(), rel=1e-15)
    loss.new_pass()
    assert (loss.accumulated_sum, loss.accumulated_count) == (0, 0)
    loss.calculate(p[1:2], y[1:2])
    assert loss.calculate_accumulated() == pytest.approx(by_hand[1], rel=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, torch_loss", [
    ("Loss_BinaryCrossentropy", lambda p, y: F.binary_cross_entropy(p, y, reduction="none")),
    ("Loss_MeanSquaredError", lambda p, y: (y - p) ** 2),
    ("Loss_MeanAbsoluteError", lambda p, y: (y - p).abs()),
])
def test_forward_returns_per_sample_losses_and_accumulation_is_their_mean(name, torch_loss,
                                                                          dtype):
    rng = np.random.default_rng(2)
    p = rng.uniform(0.05, 0.95, size=(5, 3)).astype(dtype)
    y = rng.integers(0, 2, size=(5, 3)).astype(dtype)
    expected = torch_loss(torch.from_numpy(p), torch.from_numpy(y)).mean(dim=1).numpy()
    loss = getattr(nn, name)()
    sample_losses = loss.forward(p, y)
    assert sample_losses.dtype == dtype and sample_losses.shape == (5,)
    np.testing.assert_allclose(sample_losses, expected, rtol=1e-5 if dtype == np.float32 else 1e-12)
    loss.calculate(p[:2], y[:2])
    loss.calculate(p[2:], y[2:])
    accumulated = loss.calculate_accumulated()
    assert np.asarray(accumulated).dtype == dtype
    assert accumulated == pytest.approx(float(expected.mean()),
                                        rel=1e-5 if dtype == np.float32 else 1e-12)


# ------------------------------------------------------------------ Accuracy
def test_categorical_accuracy_sparse_one_hot_and_binary():
    accuracy = nn.Accuracy_Categorical()
    accuracy.init(np.array([0, 1]))         # does nothing, as in the book
    predictions = np.array([0, 2, 1, 1])
    assert accuracy.calculate(predictions, np.array([0, 2, 2, 1], dtype=np.uint8)) == 0.75
    one_hot = np.eye(3, dtype=np.uint8)[[0, 1, 1, 0]]
    assert accuracy.calculate(predictions, one_hot) == 0.5
    # over both batches: 3 + 2 right out of 8
    assert accuracy.calculate_accumulated() == 5 / 8
    accuracy.new_pass()
    assert accuracy.calculate(predictions[:1], np.array([1])) == 0.0
    assert accuracy.calculate_accumulated() == 0.0
    binary = nn.Accuracy_Categorical(binary=True)
    assert binary.calculate(np.array([[1], [0], [1]]), np.array([[1], [1], [1]])) == 2 / 3
    two_outputs = binary.calculate(np.array([[1, 0], [0, 0]]), np.array([[1, 1], [0, 0]]))
    assert two_outputs == 3 / 4
    assert binary.calculate_accumulated() == 5 / 7


def test_regression_accuracy_counts_only_predictions_closer_than_the_precision():
    y = np.array([[0.0], [500.0]])               # std 250: precision exactly 1.0
    accuracy = nn.Accuracy_Regression()
    accuracy.init(y)
    assert accuracy.calculate(y + np.array([[1.0], [0.5]]), y) == 0.5


def test_regression_accuracy_uses_a_250th_of_the_targets_std():
    y = np.array([[0.0], [1.0], [2.0], [3.0]])
    accuracy = nn.Accuracy_Regression()
    accuracy.init(y)
    precision = float(torch.from_numpy(y).std(unbiased=False)) / 250     # sqrt(1.25) / 250
    assert accuracy.precision == pytest.approx(precision, rel=1e-15)
    predictions = y + np.array([[0.0], [0.5 * precision], [-0.99 * precision],
                                [1.01 * precision]])
    assert accuracy.calculate(predictions, y) == 0.75
    accuracy.init(10 * y)                    # kept: no reinit
    assert accuracy.precision == pytest.approx(precision, rel=1e-15)
    accuracy.init(10 * y, reinit=True)
    assert accuracy.precision == pytest.approx(10 * precision, rel=1e-15)


# ------------------------------------------------------------------ Model: wiring
def classifier(n_inputs=2, hidden=64, classes=3, loss=None, optimizer=None):
    model = nn.Model()
    model.add(nn.Layer_Dense(n_inputs, hidden))
    model.add(nn.Activation_ReLU())
    model.add(nn.Layer_Dense(hidden, classes))
    model.add(nn.Activation_Softmax())
    model.set(loss=loss or nn.Loss_CategoricalCrossentropy(),
              optimizer=optimizer or nn.Optimizer_Adam(learning_rate=0.05, decay=5e-7),
              accuracy=nn.Accuracy_Categorical())
    model.finalize()
    return model


def test_finalize_links_the_layers_as_the_book_does():
    model = classifier()
    dense1, relu, dense2, softmax = model.layers
    assert isinstance(model.input_layer, nn.Layer_Input)
    assert [layer.prev for layer in model.layers] == [model.input_layer, dense1, relu, dense2]
    assert [layer.next for layer in model.layers] == [relu, dense2, softmax, model.loss]
    assert model.trainable_layers == [dense1, dense2]
    assert model.loss.trainable_layers == [dense1, dense2]
    assert model.output_layer_activation is softmax
    assert isinstance(model.softmax_classifier_output,
                      nn.Activation_Softmax_Loss_CategoricalCrossentropy)
    regression = nn.Model()
    regression.add(nn.Layer_Dense(1, 1))
    regression.add(nn.Activation_Linear())
    regression.set(loss=nn.Loss_MeanSquaredError(), optimizer=nn.Optimizer_Adam(),
                   accuracy=nn.Accuracy_Regression())
    regression.finalize()
    assert regression.softmax_classifier_output is None


def test_a_model_that_only_predicts_needs_no_set():
    """Chapter 21 builds a model to load parameters into and predict with."""
    model = nn.Model()
    assert (model.loss, model.optimizer, model.accuracy) == (None, None, None)
    model.add(nn.Layer_Dense(2, 3))
    model.add(nn.Activation_Softmax())
    model.finalize()
    weights, biases = np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]), np.array([[0.0, 1.0, 0.0]])
    model.set_parameters([(weights, biases)])
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    expected = torch.softmax(torch.from_numpy(X) @ torch.from_numpy(weights)
                             + torch.from_numpy(biases), dim=1)
    np.testing.assert_allclose(model.predict(X), expected.numpy(), rtol=1e-12)


@pytest.mark.parametrize("output, loss", [(nn.Activation_Softmax, nn.Loss_MeanSquaredError),
                                          (nn.Activation_Sigmoid, nn.Loss_CategoricalCrossentropy)])
def test_the_combined_gradient_is_only_for_softmax_with_cross_entropy(output, loss):
    model = nn.Model()
    model.add(nn.Layer_Dense(2, 3))
    model.add(output())
    model.set(loss=loss(), optimizer=nn.Optimizer_SGD(), accuracy=nn.Accuracy_Categorical())
    model.finalize()
    assert model.softmax_classifier_output is None


def test_finalize_again_decides_the_combined_gradient_anew():
    model = classifier(hidden=3)
    assert isinstance(model.softmax_classifier_output,
                      nn.Activation_Softmax_Loss_CategoricalCrossentropy)
    model.set(loss=nn.Loss_MeanSquaredError())
    model.finalize()
    assert model.softmax_classifier_output is None


# ------------------------------------------------------------------ Model: training
class RecordingCrossentropy(nn.Loss_CategoricalCrossentropy):
    """The same loss; it also records every data loss calculate() returns."""

    def __init__(self):
        super().__init__()
        self.recorded = []

    def calculate(self, output, y, **kwargs):
        result = super().calculate(output, y, **kwargs)
        self.recorded.append(result[0] if isinstance(result, tuple) else result)
        return result


def book_loop(X, y, params, epochs, dtype):
    """The book's hand-written loop (chapters 10-17): the same network and Adam,
    the loss of each epoch's forward pass, as the book prints it."""
    dense1, relu, dense2 = nn.Layer_Dense(2, 64), nn.Activation_ReLU(), nn.Layer_Dense(64, 3)
    softmax, loss_function = nn.Activation_Softmax(), nn.Loss_CategoricalCrossentropy()
    loss_activation = nn.Activation_Softmax_Loss_CategoricalCrossentropy()
    optimizer = nn.Optimizer_Adam(learning_rate=0.05, decay=5e-7)
    dense1.weights, dense1.biases, dense2.weights, dense2.biases = (p.copy() for p in params)
    losses, accuracies = [], []
    for _ in range(epochs):
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        # The loss as the Model computes it: cross-entropy of the softmax output.
        softmax.forward(dense2.output)
        losses.append(loss_function.calculate(softmax.output, y))
        accuracies.append(np.mean(np.argmax(softmax.output, axis=1) == y))
        # The gradient from the combined softmax + cross-entropy.
        loss_activation.forward(dense2.output, y)
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        relu.backward(dense2.dinputs)
        dense1.backward(relu.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    return np.array(losses), np.array(accuracies), (dense1, dense2), optimizer


def spiral_start(dtype, seed=0):
    X, y = spiral(100, 3, seed)
    rng = np.random.default_rng(seed)
    params = [0.01 * rng.standard_normal((2, 64)), np.zeros((1, 64)),
              0.01 * rng.standard_normal((64, 3)), np.zeros((1, 3))]
    return X.astype(dtype), y, [p.astype(dtype) for p in params]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_model_on_spiral_data_with_adam_follows_the_books_loop(dtype, capsys):
    """Model.train gives, epoch by epoch, the loss curve of the hand-written loop
    (bit for bit: the same operations in the same order), and the same final
    parameters and optimizer state."""
    epochs = 300
    X, y, params = spiral_start(dtype)
    losses, accuracies, (dense1, dense2), optimizer = book_loop(X, y, params, epochs, dtype)
    model = classifier(loss=RecordingCrossentropy())
    model.set_parameters([(params[0].copy(), params[1].copy()),
                          (params[2].copy(), params[3].copy())])
    model.train(X, y, epochs=epochs, print_every=100)
    recorded = np.array(model.loss.recorded)
    assert recorded.dtype == dtype
    np.testing.assert_array_equal(recorded, losses)
    assert losses[-1] < 0.5 * losses[0]          # it did learn
    for mine, book in zip(model.trainable_layers, (dense1, dense2)):
        np.testing.assert_array_equal(mine.weights, book.weights)
        np.testing.assert_array_equal(mine.bias_cache, book.bias_cache)
        assert mine.weights.dtype == dtype
    assert model.optimizer.iterations == optimizer.iterations == epochs
    # The printout of the last epoch, in the book's format, from the loop's numbers.
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 * epochs
    learning_rate = 0.05 * (1. / (1. + 5e-7 * (epochs - 1)))
    numbers = (f"acc: {accuracies[-1]:.3f}, loss: {losses[-1]:.3f} (data_loss: "
               f"{losses[-1]:.3f}, reg_loss: {0:.3f}), lr: {learning_rate}")
    assert lines[-3:] == [f"epoch: {epochs}", f"step: 0, {numbers}", f"training, {numbers}"]


def test_model_loss_matches_the_combined_loss_of_the_chapter_10_loop():
    """The chapter 10 loop gets its loss from the combined softmax +
    cross-entropy; the Model from the clipped cross-entropy of the softmax.
    For unclipped probabilities both are -log of the softmax, to rounding."""
    X, y, params = spiral_start(np.float64, seed=3)
    losses, *_ = book_loop(X, y, params, 50, np.float64)
    dense1, relu, dense2 = nn.Layer_Dense(2, 64), nn.Activation_ReLU(), nn.Layer_Dense(64, 3)
    combined = nn.Activation_Softmax_Loss_CategoricalCrossentropy()
    dense1.weights, dense1.biases, dense2.weights, dense2.biases = (p.copy() for p in params)
    optimizer = nn.Optimizer_Adam(learning_rate=0.05, decay=5e-7)
    for epoch in range(50):
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        assert combined.forward(dense2.output, y) == pytest.approx(losses[epoch], rel=1e-13)
        combined.backward(combined.output, y)
        dense2.backward(combined.dinputs)
        relu.backward(dense2.dinputs)
        dense1.backward(relu.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()


class ShapeSpy(nn.Activation_Linear):
    """The identity, recording the batch sizes it sees and whether it trains."""

    def __init__(self):
        self.seen = []

    def forward(self, inputs, training=True):
        self.seen.append((len(inputs), training))
        super().forward(inputs, training)


def spied_classifier(optimizer=None):
    model = nn.Model()
    spy = ShapeSpy()
    for layer in (spy, nn.Layer_Dense(3, 4), nn.Activation_ReLU(), nn.Layer_Dense(4, 2),
                  nn.Activation_Softmax()):
        model.add(layer)
    model.set(loss=nn.Loss_CategoricalCrossentropy(), optimizer=optimizer or nn.Optimizer_SGD(),
              accuracy=nn.Accuracy_Categorical())
    model.finalize()
    return model, spy


def test_train_batches_as_the_book_does_with_a_smaller_last_batch(capsys):
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(10, 3)), rng.integers(0, 2, 10)
    X_val, y_val = rng.normal(size=(5, 3)), rng.integers(0, 2, 5)
    model, spy = spied_classifier()
    model.train(X, y, epochs=2, batch_size=3, print_every=2, validation_data=(X_val, y_val))
    # 10 samples in batches of 3: steps 0 to 3 of sizes 3, 3, 3, 1; then the
    # validation data, 5 samples in batches of 3, at inference, after each epoch.
    epoch = [(3, True), (3, True), (3, True), (1, True), (3, False), (2, False)]
    assert spy.seen == 2 * epoch
    assert model.optimizer.iterations == 8
    lines = capsys.readouterr().out.splitlines()
    # printed: steps 0 and 2 (every 2nd) and 3 (the last), the epoch, the validation
    assert [line.split(",")[0] for line in lines] == [
        "epoch: 1", "step: 0", "step: 2", "step: 3", "training", "validation",
        "epoch: 2", "step: 0", "step: 2", "step: 3", "training", "validation"]


def test_train_defaults_to_one_epoch_printing_every_step(capsys):
    model, spy = spied_classifier()
    X, y = np.random.default_rng(12).normal(size=(3, 3)), np.array([0, 1, 1])
    model.train(X, y, batch_size=1)
    assert [line.split(",")[0] for line in capsys.readouterr().out.splitlines()] == [
        "epoch: 1", "step: 0", "step: 1", "step: 2", "training"]


def test_batches_that_divide_the_data_make_no_extra_step():
    rng = np.random.default_rng(14)
    X, y = rng.normal(size=(9, 3)), rng.integers(0, 2, 9)
    model, spy = spied_classifier()
    model.train(X, y, batch_size=3, print_every=10)
    assert spy.seen == [(3, True)] * 3
    assert model.optimizer.iterations == 3


def test_training_accumulates_the_epochs_loss_and_accuracy_over_its_batches():
    """The epoch's loss and accuracy (printed as 'training, ...') are over all of
    its samples: the batch means weighted by the batch sizes 4, 4 and 2."""
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(10, 3)), rng.integers(0, 2, 10)
    model, spy = spied_classifier(nn.Optimizer_SGD(learning_rate=1e-9))
    for layer in model.trainable_layers:     # no ties between the logits
        layer.weights, layer.biases = rng.normal(size=layer.weights.shape), rng.normal(
            size=layer.biases.shape)
    parameters = model.get_parameters()
    batch_losses, batch_right = [], []
    for start in (0, 4, 8):      # torch's mean loss per batch, at the same parameters
        logits = torch.from_numpy(X[start:start + 4])
        for weights, biases in parameters:
            logits = torch.from_numpy(biases) + logits @ torch.from_numpy(weights)
            if weights is parameters[0][0]:
                logits = torch.relu(logits)
        target = torch.from_numpy(y[start:start + 4])
        batch_losses.append(float(F.cross_entropy(logits, target, reduction="sum")))
        batch_right.append(int((logits.argmax(dim=1) == target).sum()))
    model.train(X, y, epochs=1, batch_size=4)
    # A learning rate of 1e-9 moves the parameters by ~1e-10: within the tolerance.
    assert model.loss.calculate_accumulated() == pytest.approx(sum(batch_losses) / 10, rel=1e-8)
    assert model.accuracy.calculate_accumulated() == sum(batch_right) / 10


def test_training_adds_the_remembered_layers_penalties(capsys):
    """The printed reg_loss is the layers' penalty: at the step, before the
    update; for the epoch, after it (as the book computes both)."""
    model = classifier(hidden=3, optimizer=nn.Optimizer_SGD(learning_rate=0.5))
    dense1, dense2 = model.trainable_layers
    dense1.weight_regularizer_l2, dense2.weight_regularizer_l1 = 0.5, 0.25
    w1, w2 = np.full((2, 3), 0.75), np.array([[1.0, -2.0, 0.5]] * 3)
    dense1.weights, dense2.weights = w1.copy(), w2.copy()
    penalty_before = 0.5 * 6 * 0.75 ** 2 + 0.25 * 3 * 3.5          # = 4.3125
    model.train(np.ones((4, 2)), np.array([0, 1, 2, 0]), epochs=1)
    penalty_after = float(0.5 * (torch.from_numpy(dense1.weights) ** 2).sum()
                          + 0.25 * torch.from_numpy(dense2.weights).abs().sum())
    step, epoch = capsys.readouterr().out.splitlines()[1:3]
    assert f"reg_loss: {penalty_before:.3f})" in step
    assert f"reg_loss: {penalty_after:.3f})" in epoch
    assert f"{penalty_before:.3f}" != f"{penalty_after:.3f}"
    # the printed loss is the data loss (of the one batch, before the update) plus the penalty
    logits = torch.relu(torch.ones(4, 2, dtype=torch.float64) @ torch.from_numpy(w1)) \
        @ torch.from_numpy(w2)
    data = float(F.cross_entropy(logits, torch.tensor([0, 1, 2, 0])))
    assert f"loss: {data + penalty_before:.3f} (data_loss: {data:.3f}," in step
    assert f"loss: {data + penalty_after:.3f} (data_loss: {data:.3f}," in epoch


def test_evaluate_and_predict_with_batches_equal_one_pass_in_torch(capsys):
    rng = np.random.default_rng(6)
    X, y = rng.normal(size=(7, 2)), rng.integers(0, 3, 7)
    model = classifier(hidden=5)
    for layer in model.trainable_layers:
        layer.biases = rng.normal(size=layer.biases.shape)
    (w1, b1), (w2, b2) = (map(torch.from_numpy, p) for p in model.get_parameters())
    logits = torch.relu(torch.from_numpy(X) @ w1 + b1) @ w2 + b2
    expected = torch.softmax(logits, dim=1).numpy()
    for batch_size in (None, 1, 3, 7, 100):
        np.testing.assert_allclose(model.predict(X, batch_size=batch_size), expected,
                                   rtol=1e-12, atol=1e-15)
        model.evaluate(X, y, batch_size=batch_size)
        assert model.loss.calculate_accumulated() == pytest.approx(
            float(F.cross_entropy(logits, torch.from_numpy(y))), rel=1e-12)
        assert model.accuracy.calculate_accumulated() == float(
            (logits.argmax(dim=1) == torch.from_numpy(y)).double().mean())
    accuracy = float((logits.argmax(dim=1) == torch.from_numpy(y)).double().mean())
    loss = float(F.cross_entropy(logits, torch.from_numpy(y)))
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"validation, acc: {accuracy:.3f}, loss: {loss:.3f}")


def test_predict_runs_every_layer_at_inference_in_its_batches():
    model, spy = spied_classifier()
    model.predict(np.random.default_rng(14).normal(size=(5, 3)), batch_size=2)
    # training is False itself (not merely falsy): a layer may test `is False`
    assert spy.seen == [(2, False), (2, False), (1, False)]
    assert all(training is False for _, training in spy.seen)


def test_evaluate_reports_only_the_data_it_is_given(capsys):
    rng = np.random.default_rng(13)
    model = classifier(hidden=5)
    (w1, b1), (w2, b2) = (map(torch.from_numpy, p) for p in model.get_parameters())

    def logits(X):
        return torch.relu(torch.from_numpy(X) @ w1 + b1) @ w2 + b2
    X1, X2 = rng.normal(size=(6, 2)), rng.normal(size=(4, 2))
    y1 = ((logits(X1).argmax(dim=1) + 1) % 3).numpy()      # every prediction wrong
    y2 = logits(X2).argmax(dim=1).numpy()                  # every prediction right
    model.evaluate(X1, y1)
    model.evaluate(X2, y2)
    loss = float(F.cross_entropy(logits(X2), torch.from_numpy(y2)))
    assert model.accuracy.calculate_accumulated() == 1.0
    assert model.loss.calculate_accumulated() == pytest.approx(loss, rel=1e-12)
    assert capsys.readouterr().out.splitlines()[-1] == f"validation, acc: 1.000, loss: {loss:.3f}"


def test_dropout_in_a_model_drops_only_while_training(monkeypatch):
    model = nn.Model()
    for layer in (nn.Layer_Dense(2, 8), nn.Activation_ReLU(), nn.Layer_Dropout(0.5),
                  nn.Layer_Dense(8, 2), nn.Activation_Softmax()):
        model.add(layer)
    model.set(loss=nn.Loss_CategoricalCrossentropy(), optimizer=nn.Optimizer_Adam(),
              accuracy=nn.Accuracy_Categorical())
    model.finalize()
    X, y = np.random.default_rng(7).normal(size=(6, 2)), np.array([0, 1, 0, 1, 1, 0])
    draws = []
    binomial = np.random.binomial
    monkeypatch.setattr(np.random, "binomial",
                        lambda *a, **k: draws.append(k.get("size")) or binomial(*a, **k))
    model.train(X, y, epochs=2)
    assert draws == [(6, 8), (6, 8)]
    model.predict(X)
    model.evaluate(X, y)
    assert len(draws) == 2, "dropout drew a mask at inference"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_regression_and_binary_models_follow_their_hand_written_loops(dtype):
    """Linear output + MSE + Accuracy_Regression, and sigmoid output + BCE +
    Accuracy_Categorical(binary=True): Model.train is the book's loop."""
    rng = np.random.default_rng(8)
    X = rng.normal(size=(20, 2)).astype(dtype)
    cases = [(nn.Activation_Linear, nn.Loss_MeanSquaredError, nn.Accuracy_Regression,
              (X[:, :1] * 2 - X[:, 1:]).astype(dtype)),
             (nn.Activation_Sigmoid, nn.Loss_BinaryCrossentropy,
              lambda: nn.Accuracy_Categorical(binary=True), (X[:, :1] > 0).astype(np.uint8))]
    for activation, loss, accuracy, y in cases:
        w = (0.5 * rng.normal(size=(2, 1))).astype(dtype)
        b = np.full((1, 1), 0.1, dtype)
        model = nn.Model()
        model.add(nn.Layer_Dense(2, 1))
        model.add(activation())
        model.set(loss=loss(), optimizer=nn.Optimizer_SGD(learning_rate=0.1, momentum=0.5),
                  accuracy=accuracy())
        model.finalize()
        model.set_parameters([(w.copy(), b.copy())])
        dense, act, loss_function = nn.Layer_Dense(2, 1), activation(), loss()
        dense.weights, dense.biases = w.copy(), b.copy()
        optimizer = nn.Optimizer_SGD(learning_rate=0.1, momentum=0.5)
        for _ in range(5):
            model.train(X, y, epochs=1)
            dense.forward(X)
            act.forward(dense.output)
            expected_loss = loss_function.calculate(act.output, y)
            loss_function.backward(act.output, y)
            act.backward(loss_function.dinputs)
            dense.backward(act.dinputs)
            optimizer.pre_update_params()
            optimizer.update_params(dense)
            optimizer.post_update_params()
            assert model.loss.calculate_accumulated() == expected_loss
            np.testing.assert_array_equal(model.layers[0].weights, dense.weights)
            np.testing.assert_array_equal(model.layers[0].weight_momentums,
                                          dense.weight_momentums)
        assert model.layers[0].weights.dtype == dtype


# ------------------------------------------------------------------ Model: parameters, saving
def test_parameters_round_trip_and_saved_files_restore_the_model(tmp_path):
    rng = np.random.default_rng(9)
    X, y = rng.normal(size=(8, 2)), rng.integers(0, 3, 8)
    model = classifier(hidden=4)
    model.train(X, y, epochs=3, print_every=10)
    expected = model.predict(X)
    # get/set_parameters
    parameters = model.get_parameters()
    assert [tuple(a.shape for a in p) for p in parameters] == [((2, 4), (1, 4)),
                                                               ((4, 3), (1, 3))]
    assert parameters[0][0] is model.layers[0].weights
    other = classifier(hidden=4)
    other.set_parameters(parameters)
    np.testing.assert_array_equal(other.predict(X), expected)
    # save_parameters / load_parameters
    other = classifier(hidden=4)
    model.save_parameters(tmp_path / "fashion_mnist.parms")
    other.load_parameters(tmp_path / "fashion_mnist.parms")
    np.testing.assert_array_equal(other.predict(X), expected)
    # save / Model.load: a deep copy without data or gradients
    model.save(tmp_path / "fashion_mnist.model")
    # saving copies: the model itself keeps its data and gradients
    assert hasattr(model.layers[0], "output") and hasattr(model.layers[0], "dweights")
    loaded = nn.Model.load(tmp_path / "fashion_mnist.model")
    assert loaded is not model and loaded.layers[0] is not model.layers[0]
    for layer in loaded.layers:
        for attribute in ("inputs", "output", "dinputs", "dweights", "dbiases"):
            assert not hasattr(layer, attribute), (type(layer).__name__, attribute)
    assert not hasattr(loaded.input_layer, "output")
    assert (loaded.loss.accumulated_sum, loaded.loss.accumulated_count) == (0, 0)
    assert (loaded.accuracy.accumulated_sum, loaded.accuracy.accumulated_count) == (0, 0)
    np.testing.assert_array_equal(loaded.predict(X), expected)
    # the saved model keeps its optimizer state and trains on exactly as the original
    model.train(X, y, epochs=2, print_every=10)
    loaded.train(X, y, epochs=2, print_every=10)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    size = os.path.getsize(tmp_path / "fashion_mnist.model")
    assert size < 20000, f"the saved model holds more than its parameters: {size} bytes"


def test_a_model_saved_before_finalize_loads_and_finalizes(tmp_path):
    model = nn.Model()
    model.add(nn.Layer_Dense(2, 2))
    model.add(nn.Activation_Softmax())
    model.save(tmp_path / "unfinalized.model")
    loaded = nn.Model.load(tmp_path / "unfinalized.model")
    assert [type(layer) for layer in loaded.layers] == [nn.Layer_Dense, nn.Activation_Softmax]
    loaded.finalize()
    assert loaded.predict(np.ones((1, 2))).shape == (1, 2)


def test_a_saved_model_does_not_carry_the_first_layers_pending_gradient(tmp_path):
    """Layer_Dense keeps what its lazily computed dinputs needs (dvalues and the
    weights); a saved model must not carry them: the file stays small."""
    rng = np.random.default_rng(10)
    X, y = rng.normal(size=(2000, 2)), rng.integers(0, 3, 2000)
    model = classifier(hidden=16)
    model.train(X, y, epochs=1)
    model.save(tmp_path / "m.model")
    assert os.path.getsize(tmp_path / "m.model") < 20000


# ------------------------------------------------------------------ Fashion-MNIST loaders
def png_bytes(pixels, color_type=0):
    """A PNG file (no Pillow, no OpenCV): 8-bit grayscale (color type 0) or RGB
    (color type 2, each gray value repeated), unfiltered rows."""
    pixels = np.asarray(pixels, dtype=np.uint8)
    height, width = pixels.shape
    channels = 3 if color_type == 2 else 1
    rows = b"".join(b"\x00" + bytes(np.repeat(row, channels)) for row in pixels)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def write_dataset(root, part, images):
    """images: {label: [pixel arrays]} as root/part/<label>/<n>.png."""
    for label, pictures in images.items():
        folder = root / part / str(label)
        folder.mkdir(parents=True)
        for n, pixels in enumerate(pictures):
            (folder / f"{n:04d}.png").write_bytes(png_bytes(pixels))


def test_mnist_loaders_read_the_pngs_in_the_books_order(tmp_path):
    rng = np.random.default_rng(11)
    train = {label: [rng.integers(0, 256, (4, 3)) for _ in range(3)] for label in (7, 0, 3)}
    test = {label: [rng.integers(0, 256, (4, 3))] for label in (1, 9)}
    write_dataset(tmp_path, "train", train)
    write_dataset(tmp_path, "test", test)
    # the book's order: os.listdir of the part, then of each label folder
    expected_images, expected_labels = [], []
    for label in os.listdir(tmp_path / "train"):
        for file in os.listdir(tmp_path / "train" / label):
            expected_images.append(train[int(label)][int(file[:4])])
            expected_labels.append(int(label))
    X, y = nn.load_mnist_dataset("train", str(tmp_path))
    assert X.dtype == np.uint8 and X.shape == (9, 4, 3)
    np.testing.assert_array_equal(X, np.array(expected_images))
    assert y.dtype == np.uint8
    np.testing.assert_array_equal(y, expected_labels)
    X, y, X_test, y_test = nn.create_data_mnist(str(tmp_path))
    assert X.shape == (9, 4, 3) and X_test.shape == (2, 4, 3)
    assert sorted(y_test.tolist()) == [1, 9]
    assert "cv2" not in sys.modules


def test_mnist_loader_refuses_images_that_are_not_8_bit_grayscale(tmp_path):
    folder = tmp_path / "train" / "0"
    folder.mkdir(parents=True)
    (folder / "a.png").write_bytes(png_bytes(np.zeros((2, 2)), color_type=2))
    with pytest.raises(ValueError, match=r"load_mnist_dataset: expected 8-bit grayscale .*"
                                         r"received mode 'RGB'"):
        nn.load_mnist_dataset("train", str(tmp_path))
