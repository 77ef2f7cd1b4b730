"""Layer_Dense computes dinputs when it is first read (the first layer of a
network never needs it). What is read must still be the gradient of the
backward() that produced it, whatever happens to the weights in between."""
import numpy as np
import pytest

from numpy_impl import Layer_Dense, Optimizer_SGD



def test_dinputs_read_after_an_optimizer_step_is_the_backward_time_value():
    rng = np.random.default_rng(0)
    layer = Layer_Dense(3, 2)
    layer.weights = rng.normal(size=(3, 2))
    layer.biases = rng.normal(size=(1, 2))
    x, dvalues = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    expected = np.dot(dvalues, layer.weights.T)   # computed here, before any update
    weights_before = layer.weights.copy()
    layer.forward(x)
    layer.backward(dvalues)
    optimizer = Optimizer_SGD(learning_rate=0.5)  # updates the weights in place
    optimizer.pre_update_params()
    optimizer.update_params(layer)
    optimizer.post_update_params()
    assert not np.array_equal(layer.weights, weights_before)   # the step moved them
    np.testing.assert_array_equal(layer.dinputs, expected)


def test_dinputs_before_any_backward_is_an_attribute_error():
    with pytest.raises(AttributeError):
        Layer_Dense(3, 2).dinputs
