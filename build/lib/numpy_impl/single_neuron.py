"""The seed notebook's single neuron, trained with the chain rule by hand.

One neuron with three inputs, a ReLU, and the squared error to a target:
    loss = (relu(w . x + b) - target) ** 2
Each iteration computes the loss, back-propagates it link by link, and takes one
gradient-descent step.
"""
from dataclasses import dataclass

import numpy as np


@dataclass
class TrainingResult:
    losses: list      # one per iteration, computed before that iteration's update
    weights: np.ndarray
    bias: float


def train_single_neuron(weights, bias, inputs, target_output=0.0, learning_rate=0.001,
                        iterations=200, verbose=False):
    # Work on copies: the caller's arrays are never changed.
    weights = np.array(weights, dtype=np.float64)
    inputs = np.array(inputs, dtype=np.float64)
    bias = float(bias)
    if weights.ndim != 1 or weights.shape != inputs.shape:
        raise ValueError(f"train_single_neuron: weights and inputs must be 1-D of the same "
                         f"length, received shapes {weights.shape} and {inputs.shape}")
    losses = []
    for iteration in range(iterations):
        # Forward pass
        linear_output = np.dot(weights, inputs) + bias
        output = max(linear_output, 0.0)
        loss = (output - target_output) ** 2
        losses.append(float(loss))

        # Backward pass: multiply the local derivatives along the chain.
        dloss_doutput = 2 * (output - target_output)
        doutput_dlinear = 1.0 if linear_output > 0 else 0.0   # ReLU'(0) = 0
        dloss_dlinear = dloss_doutput * doutput_dlinear
        dloss_dweights = dloss_dlinear * inputs                # d(w . x + b)/dw = x
        dloss_dbias = dloss_dlinear * 1.0                      # d(w . x + b)/db = 1

        # Gradient-descent step
        weights -= learning_rate * dloss_dweights
        bias -= learning_rate * dloss_dbias
        if verbose:
            print(f"Iteration {iteration + 1}, Loss: {loss}")
    return TrainingResult(losses=losses, weights=weights, bias=float(bias))


if __name__ == "__main__":
    result = train_single_neuron([-3.0, -1.0, 2.0], 1.0, [1.0, -2.0, 3.0], verbose=True)
    print("Final weights:", result.weights)
    print("Final bias:", result.bias)
