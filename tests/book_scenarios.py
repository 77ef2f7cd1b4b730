"""Book scenarios that need nnfs.init(). nnfs.init() patches NumPy for the whole
process, so each scenario runs in a child process (tests/test_book_figures.py
starts it) and prints its results as JSON on stdout.

Usage: python -m tests.book_scenarios NAME
"""
import json
import sys


def chapter_9_spiral():
    """The book's untrained spiral network: Dense(2,3) -> ReLU -> Dense(3,3) ->
    Softmax + cross-entropy on spiral_data(samples=100, classes=3), one forward
    and one backward pass, after nnfs.init()."""
    import nnfs
    import numpy as np
    from nnfs.datasets import spiral_data
    nnfs.init()
    from numpy_impl import (Activation_ReLU, Activation_Softmax_Loss_CategoricalCrossentropy,
                            Layer_Dense)
    X, y = spiral_data(samples=100, classes=3)
    dense1, relu, dense2 = Layer_Dense(2, 3), Activation_ReLU(), Layer_Dense(3, 3)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    dense1.forward(X)
    relu.forward(dense1.output)
    dense2.forward(relu.output)
    loss = loss_activation.forward(dense2.output, y)
    accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == y)
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    relu.backward(dense2.dinputs)
    dense1.backward(relu.dinputs)
    return dict(softmax_first_rows=loss_activation.output[:5].tolist(), loss=float(loss),
                loss_dtype=str(np.asarray(loss).dtype), accuracy=float(accuracy),
                dense1_weights=dense1.weights.tolist(), dense2_weights=dense2.weights.tolist(),
                dense1_dweights=dense1.dweights.tolist(), dense1_dbiases=dense1.dbiases.tolist(),
                dense2_dweights=dense2.dweights.tolist(), dense2_dbiases=dense2.dbiases.tolist())


SCENARIOS = {"chapter_9_spiral": chapter_9_spiral}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]]()))
