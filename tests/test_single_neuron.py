"""The seed notebook's single neuron, by hand (NumPy) and by autograd (torch).

The seed printed its run; both implementations must reproduce it. Figures are
compared at a relative 1e-9: the last digits of a 200-step float64 run differ
across BLAS builds (this machine prints 33.872400000000006 where the seed
printed 33.872399999999985 for iteration 2).
"""
import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

from numpy_impl.single_neuron import train_single_neuron as numpy_train
from reference.single_neuron import train_single_neuron as torch_train


SEED_START = dict(weights=[-3.0, -1.0, 2.0], bias=1.0, inputs=[1.0, -2.0, 3.0])
# As printed by the seed notebook (../shared/seed): iteration -> loss.
SEED_LOSSES = {1: 36.0, 2: 33.872399999999985, 3: 31.870541159999995, 4: 29.98699217744401,
               197: 0.00023486717989213552, 198: 0.00022098652956051033,
               199: 0.0002079262256634926, 200: 0.00019563778572677975}
SEED_FINAL_WEIGHTS = "[-3.3990955  -0.20180899  0.80271349]"   # numpy's default printing
SEED_FINAL_BIAS = 0.6009044964039992


@pytest.mark.parametrize("train", [numpy_train, torch_train], ids=["numpy", "torch"])
def test_reproduces_the_seed_run(train):
    start = {k: np.array(v) if isinstance(v, list) else v for k, v in SEED_START.items()}
    before = {k: np.copy(v) for k, v in start.items()}
    result = train(**start)
    assert len(result.losses) == 200
    for iteration, loss in SEED_LOSSES.items():
        assert result.losses[iteration - 1] == pytest.approx(loss, rel=1e-9), iteration
    # The seed printed the weights with NumPy's default 8 significant digits.
    assert np.array2string(result.weights) == SEED_FINAL_WEIGHTS
    assert result.bias == pytest.approx(SEED_FINAL_BIAS, rel=1e-9)
    for name, value in start.items():
        assert np.array_equal(value, before[name]), f"train_single_neuron changed {name}"


def test_losses_are_recorded_before_each_update():
    result = numpy_train(**SEED_START, iterations=1)
    # Before any update: relu(-3*1 + -1*-2 + 2*3 + 1) = 6, squared = 36.
    assert result.losses == [36.0]
    assert not np.array_equal(result.weights, SEED_START["weights"])


@pytest.mark.parametrize("train", [numpy_train, torch_train], ids=["numpy", "torch"])
def test_quiet_unless_verbose_then_one_line_per_iteration(train, capsys):
    train(**SEED_START, iterations=3)
    assert capsys.readouterr().out == ""
    train(**SEED_START, iterations=2, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0] == "Iteration 1, Loss: 36.0"
    assert lines[1].startswith("Iteration 2, Loss: ")
    assert float(lines[1].split(": ")[1]) == pytest.approx(SEED_LOSSES[2], rel=1e-9)


@pytest.mark.parametrize("weights, inputs, shapes", [
    ([1.0, 2.0], [1.0, 2.0, 3.0], r"\(2,\) and \(3,\)"),
    ([[1.0, 2.0]], [[1.0, 2.0]], r"\(1, 2\) and \(1, 2\)"),
], ids=["lengths-differ", "2-D"])
def test_weights_and_inputs_must_be_1d_of_one_length(weights, inputs, shapes):
    with pytest.raises(ValueError, match=r"train_single_neuron: weights and inputs must be "
                                         r"1-D of the same length, received shapes " + shapes):
        numpy_train(weights, 1.0, inputs)


@pytest.mark.parametrize("train", [numpy_train, torch_train], ids=["numpy", "torch"])
def test_integer_and_array_arguments_reproduce_the_seed_and_stay_unchanged(train):
    weights, bias, inputs = np.array([-3, -1, 2]), np.array(1.0), np.array([1, -2, 3])
    result = train(weights, bias, inputs)
    assert result.losses[0] == SEED_LOSSES[1]
    assert result.losses[-1] == pytest.approx(SEED_LOSSES[200], rel=1e-9)
    assert np.array2string(result.weights) == SEED_FINAL_WEIGHTS
    np.testing.assert_array_equal(weights, [-3, -1, 2])
    assert bias == 1.0
    np.testing.assert_array_equal(inputs, [1, -2, 3])


def test_inactive_neuron_does_not_learn():
    # relu(0) has gradient 0 in torch; the hand-written chain rule must agree.
    for train in (numpy_train, torch_train):
        result = train([1.0, 1.0, 1.0], -3.0, [1.0, 1.0, 1.0], target_output=2.0)
        assert result.losses == [4.0] * 200
        assert np.array_equal(result.weights, [1.0, 1.0, 1.0]) and result.bias == -3.0


small = st.floats(-4, 4, allow_subnormal=False)


@given(weights=st.lists(small, min_size=3, max_size=3), bias=small,
       inputs=st.lists(small, min_size=3, max_size=3), target=small,
       learning_rate=st.sampled_from([1e-3, 1e-2, 5e-2]), iterations=st.integers(1, 40))
def test_numpy_matches_torch_from_any_start(weights, bias, inputs, target, learning_rate,
                                            iterations):
    mine = numpy_train(weights, bias, inputs, target, learning_rate, iterations)
    theirs = torch_train(weights, bias, inputs, target, learning_rate, iterations)
    # Away from the kink: a pre-activation within rounding of 0 may legitimately
    # fall on either side in the two implementations.
    w, b = np.array(weights), bias
    for _ in range(iterations):
        z = float(np.dot(w, inputs) + b)
        assume(abs(z) > 1e-6)
        g = 2 * (max(z, 0.0) - target) * (z > 0)
        w, b = w - learning_rate * g * np.array(inputs), b - learning_rate * g
    np.testing.assert_allclose(mine.losses, theirs.losses, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(mine.weights, theirs.weights, rtol=1e-10, atol=1e-12)
    assert mine.bias == pytest.approx(theirs.bias, rel=1e-10, abs=1e-12)
