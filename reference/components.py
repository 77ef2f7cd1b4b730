"""One torch function per NumPy component, named after it.

Each takes tensors (set requires_grad on those you want gradients for) and
returns what the NumPy class's forward produces; call .backward() on the result.
"""
import torch
import torch.nn.functional as F

CLIP_LOW = 1e-7
CLIP_HIGH = 1 - 1e-7


def layer_dense(inputs, weights, biases):
    """Layer_Dense.forward"""
    return inputs @ weights + biases


def activation_relu(inputs):
    """Activation_ReLU.forward"""
    return torch.relu(inputs)


def activation_softmax(inputs):
    """Activation_Softmax.forward"""
    return torch.softmax(inputs, dim=1)


def loss_categorical_crossentropy(y_pred, y_true):
    """Loss_CategoricalCrossentropy.calculate: mean of -log(clamp(p)[correct class]).

    y_true: 1-D integer class indices or 2-D one-hot rows.
    """
    clipped = torch.clamp(y_pred, CLIP_LOW, CLIP_HIGH)
    if y_true.dim() == 1:
        correct = clipped[torch.arange(len(y_pred)), y_true.long()]
    else:
        correct = torch.sum(clipped * y_true.to(clipped.dtype), dim=1)
    return torch.mean(-torch.log(correct))


def activation_softmax_loss_categorical_crossentropy(logits, y_true):
    """Activation_Softmax_Loss_CategoricalCrossentropy.forward: (softmax, mean loss)."""
    if y_true.dim() == 1:
        loss = F.cross_entropy(logits, y_true.long())
    else:
        loss = F.cross_entropy(logits, y_true.to(logits.dtype))
    return torch.softmax(logits, dim=1), loss
