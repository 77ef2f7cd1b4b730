"""The seed's single neuron again, with autograd doing the chain rule."""
from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class TrainingResult:
    losses: list      # one per iteration, computed before that iteration's update
    weights: np.ndarray
    bias: float


def train_single_neuron(weights, bias, inputs, target_output=0.0, learning_rate=0.001,
                        iterations=200, verbose=False):
    weights = torch.tensor(np.asarray(weights, dtype=np.float64), requires_grad=True)
    bias = torch.tensor(float(bias), dtype=torch.float64, requires_grad=True)
    inputs = torch.tensor(np.asarray(inputs, dtype=np.float64))
    losses = []
    for iteration in range(iterations):
        loss = (torch.relu(weights @ inputs + bias) - target_output) ** 2
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            weights -= learning_rate * weights.grad
            bias -= learning_rate * bias.grad
        weights.grad = None
        bias.grad = None
        if verbose:
            print(f"Iteration {iteration + 1}, Loss: {losses[-1]}")
    return TrainingResult(losses=losses, weights=weights.detach().numpy().copy(),
                          bias=bias.item())


if __name__ == "__main__":
    result = train_single_neuron([-3.0, -1.0, 2.0], 1.0, [1.0, -2.0, 3.0], verbose=True)
    print("Final weights:", result.weights)
    print("Final bias:", result.bias)
