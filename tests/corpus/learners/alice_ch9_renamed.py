"""My own take on chapter 9 of NNFS: same maths, my names.

Notes to self:
  - gradients live in d_inputs / d_weights / d_biases (PEP 8 feels better)
  - softmax backward with einsum instead of the Jacobian loop (way faster)
  - softmax itself is done in float64 and cast back to the input dtype
"""
import numpy as np
from nnfs.datasets import spiral_data


class DenseLayer:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases

    def backward(self, dvalues):
        self.d_weights = self.inputs.T @ dvalues
        self.d_biases = dvalues.sum(axis=0, keepdims=True)
        self.d_inputs = dvalues @ self.weights.T


class ReLUActivation:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(inputs, 0)

    def backward(self, dvalues):
        # gradient only flows where the unit was on (x > 0); x == 0 counts as off
        self.d_inputs = dvalues * (self.inputs > 0)


class SoftmaxActivation:
    def forward(self, inputs):
        z = (inputs - inputs.max(axis=1, keepdims=True)).astype(np.float64)
        e = np.exp(z)
        self.output = (e / e.sum(axis=1, keepdims=True)).astype(inputs.dtype)

    def backward(self, dvalues):
        s = self.output
        # J_ij = s_i (delta_ij - s_j), so J @ g = s*g - s * (s . g)
        jacobians = np.einsum('ij,jk->ijk', s, np.eye(s.shape[1], dtype=s.dtype)) \
            - np.einsum('ij,ik->ijk', s, s)
        self.d_inputs = np.einsum('ijk,ik->ij', jacobians, dvalues)


class Loss:
    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class CategoricalCrossEntropy(Loss):
    EPS = 1e-7

    def forward(self, y_pred, y_true):
        p = np.clip(y_pred, self.EPS, 1 - self.EPS)
        if y_true.ndim == 1:
            picked = p[np.arange(len(p)), y_true]
        else:
            picked = np.sum(p * y_true.astype(p.dtype), axis=1)
        return -np.log(picked)

    def backward(self, dvalues, y_true):
        n, k = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(k, dtype=dvalues.dtype)[y_true]
        y_true = y_true.astype(dvalues.dtype)
        clipped = np.clip(dvalues, self.EPS, 1 - self.EPS)
        grad = -y_true / clipped
        # where the clip kicked in the loss does not move with p
        grad[clipped != dvalues] = 0
        self.d_inputs = grad / n


class CompositeSoftmaxAndLoss:
    """softmax + cross-entropy in one go; the loss uses log-sum-exp so that huge
    logits do not turn into log(0)."""

    def __init__(self):
        self.softmax = SoftmaxActivation()

    def forward(self, inputs, y_true):
        self.softmax.forward(inputs)
        self.output = self.softmax.output
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        shifted = inputs - inputs.max(axis=1, keepdims=True)
        log_norm = np.log(np.sum(np.exp(shifted), axis=1))
        return np.mean(log_norm - shifted[np.arange(len(inputs)), y_true])

    def backward(self, dvalues, y_true):
        n = len(dvalues)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        grad = dvalues.copy()
        grad[np.arange(n), y_true] -= 1
        self.d_inputs = grad / n


if __name__ == "__main__" or True:   # I always run it as a script anyway
    X, y = spiral_data(samples=100, classes=3)
    layer1, act1 = DenseLayer(2, 3), ReLUActivation()
    layer2, head = DenseLayer(3, 3), CompositeSoftmaxAndLoss()

    layer1.forward(X)
    act1.forward(layer1.output)
    layer2.forward(act1.output)
    loss = head.forward(layer2.output, y)
    acc = np.mean(np.argmax(head.output, axis=1) == y)
    print("loss", loss, "acc", acc)

    head.backward(head.output, y)
    layer2.backward(head.d_inputs)
    act1.backward(layer2.d_inputs)
    layer1.backward(act1.d_inputs)
    print(layer1.d_weights, layer1.d_biases, layer2.d_weights, layer2.d_biases, sep="\n")
