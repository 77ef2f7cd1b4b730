"""One torch function per NumPy component, named after it.

Each takes tensors (set requires_grad on those you want gradients for) and
returns what the NumPy class's forward produces; call .backward() on the result.
"""
import torch
import torch.nn.functional as F

__all__ = ["CLIP_LOW", "CLIP_HIGH", "layer_dense", "activation_relu", "activation_softmax", "loss_categorical_crossentropy_samples", "loss_categorical_crossentropy", "activation_softmax_loss_categorical_crossentropy", "activation_sigmoid", "activation_linear", "loss_binary_crossentropy_outputs", "loss_binary_crossentropy_samples", "loss_binary_crossentropy", "loss_mean_squared_error_outputs", "loss_mean_squared_error_samples", "loss_mean_squared_error", "loss_mean_absolute_error_outputs", "loss_mean_absolute_error_samples", "loss_mean_absolute_error", "regularization_loss", "layer_dense_regularized", "layer_dropout"]

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


def loss_categorical_crossentropy_samples(y_pred, y_true):
    """Loss_CategoricalCrossentropy.forward: -log(clamp(p)[correct class]) per sample.

    y_true: 1-D integer class indices or 2-D one-hot rows.
    """
    clipped = torch.clamp(y_pred, CLIP_LOW, CLIP_HIGH)
    if y_true.dim() == 1:
        correct = clipped[torch.arange(len(y_pred)), y_true.long()]
    else:
        correct = torch.sum(clipped * y_true.to(clipped.dtype), dim=1)
    return -torch.log(correct)


def loss_categorical_crossentropy(y_pred, y_true):
    """Loss_CategoricalCrossentropy.calculate: the mean of the per-sample losses."""
    return torch.mean(loss_categorical_crossentropy_samples(y_pred, y_true))


def activation_softmax_loss_categorical_crossentropy(logits, y_true):
    """Activation_Softmax_Loss_CategoricalCrossentropy.forward: (softmax, mean loss)."""
    if y_true.dim() == 1:
        loss = F.cross_entropy(logits, y_true.long())
    else:
        loss = F.cross_entropy(logits, y_true.to(logits.dtype))
    return torch.softmax(logits, dim=1), loss


# ------------------------------------------------------------ later chapters
def activation_sigmoid(inputs):
    """Activation_Sigmoid.forward"""
    return torch.sigmoid(inputs)


def activation_linear(inputs):
    """Activation_Linear.forward: the identity (a clone, so it is a node of the graph)."""
    return inputs.clone()


def loss_binary_crossentropy_outputs(y_pred, y_true):
    """-(y log c + (1 - y) log(1 - c)) with c = clamp(p, CLIP_LOW, CLIP_HIGH), per output."""
    y_true = y_true.to(y_pred.dtype)
    clipped = torch.clamp(y_pred, CLIP_LOW, CLIP_HIGH)
    return -(y_true * torch.log(clipped) + (1 - y_true) * torch.log(1 - clipped))


def loss_binary_crossentropy_samples(y_pred, y_true):
    """Loss_BinaryCrossentropy.forward: the per-output losses averaged over the
    outputs of each sample."""
    return torch.mean(loss_binary_crossentropy_outputs(y_pred, y_true), dim=-1)


def loss_binary_crossentropy(y_pred, y_true):
    """Loss_BinaryCrossentropy.calculate: the mean over samples."""
    return torch.mean(loss_binary_crossentropy_samples(y_pred, y_true))


def loss_mean_squared_error_outputs(y_pred, y_true):
    """(y - p)^2 per output."""
    return (y_true.to(y_pred.dtype) - y_pred) ** 2


def loss_mean_squared_error_samples(y_pred, y_true):
    """Loss_MeanSquaredError.forward: the mean over outputs of (y - p)^2."""
    return torch.mean(loss_mean_squared_error_outputs(y_pred, y_true), dim=-1)


def loss_mean_squared_error(y_pred, y_true):
    """Loss_MeanSquaredError.calculate: mean over samples of the mean over outputs."""
    return torch.mean(loss_mean_squared_error_samples(y_pred, y_true))


def loss_mean_absolute_error_outputs(y_pred, y_true):
    """|y - p| per output (autograd's derivative of torch.abs at 0 is 0)."""
    return torch.abs(y_true.to(y_pred.dtype) - y_pred)


def loss_mean_absolute_error_samples(y_pred, y_true):
    """Loss_MeanAbsoluteError.forward: the mean over outputs of |y - p|."""
    return torch.mean(loss_mean_absolute_error_outputs(y_pred, y_true), dim=-1)


def loss_mean_absolute_error(y_pred, y_true):
    """Loss_MeanAbsoluteError.calculate: mean over samples of the mean over outputs."""
    return torch.mean(loss_mean_absolute_error_samples(y_pred, y_true))


def regularization_loss(weights, biases, weight_regularizer_l1=0.0, weight_regularizer_l2=0.0,
                        bias_regularizer_l1=0.0, bias_regularizer_l2=0.0):
    """Loss.regularization_loss(layer): l1 * sum|w| + l2 * sum(w * w) for the
    weights and the biases; like the book, a strength of 0 leaves its term out."""
    penalty = torch.zeros((), dtype=weights.dtype)
    if weight_regularizer_l1 > 0:
        penalty = penalty + weight_regularizer_l1 * torch.sum(torch.abs(weights))
    if weight_regularizer_l2 > 0:
        penalty = penalty + weight_regularizer_l2 * torch.sum(weights * weights)
    if bias_regularizer_l1 > 0:
        penalty = penalty + bias_regularizer_l1 * torch.sum(torch.abs(biases))
    if bias_regularizer_l2 > 0:
        penalty = penalty + bias_regularizer_l2 * torch.sum(biases * biases)
    return penalty


def layer_dense_regularized(inputs, weights, biases, weight_regularizer_l1=0.0,
                            weight_regularizer_l2=0.0, bias_regularizer_l1=0.0,
                            bias_regularizer_l2=0.0):
    """Layer_Dense with regularizers: (output, penalty).

    Layer_Dense.backward(dvalues) adds the penalty's derivative to dweights and
    dbiases, so it equals the gradient of sum(dvalues * output) + penalty:
    torch.autograd.backward([output, penalty], [dvalues, torch.ones(())]).
    """
    penalty = regularization_loss(weights, biases, weight_regularizer_l1, weight_regularizer_l2,
                                  bias_regularizer_l1, bias_regularizer_l2)
    return layer_dense(inputs, weights, biases), penalty


def layer_dropout(inputs, mask, rate):
    """Layer_Dropout.forward with a given 0/1 mask (1 = kept): inputs * mask / (1 - rate),
    which is what torch.nn.functional.dropout computes with the mask it draws itself."""
    return inputs * (mask.to(inputs.dtype) / (1 - rate))
