"""Model (chapters 18 to 22): layers added in order, a loss, an optimizer and an
accuracy; it wires the layers together and trains, evaluates, predicts, and
saves itself or its parameters."""
import copy
import pickle

import numpy as np

from . import _checks as check
from .activations import Activation_Softmax
from .layers import Layer_Input
from .losses import Activation_Softmax_Loss_CategoricalCrossentropy, Loss_CategoricalCrossentropy

# What a layer remembers from the last pass: data and gradients, not the model.
# (_dinputs, _dvalues and _weights_at_backward are Layer_Dense's lazily computed dinputs.)
PASS_ATTRIBUTES = ("inputs", "output", "dinputs", "dweights", "dbiases",
                   "_dinputs", "_dvalues", "_weights_at_backward")


def _steps(n_samples, batch_size):
    """Batches per pass: all the data at once without a batch size; otherwise
    n_samples // batch_size, plus one smaller batch for any remainder."""
    if batch_size is None:
        return 1
    steps = n_samples // batch_size
    if steps * batch_size < n_samples:
        steps += 1
    return steps


def _batch(data, step, batch_size):
    """The step-th batch of `data` (all of it without a batch size)."""
    if batch_size is None:
        return data
    return data[step * batch_size:(step + 1) * batch_size]


class Model:

    def __init__(self):
        self.layers = []
        self.loss = self.optimizer = self.accuracy = None
        self.softmax_classifier_output = None

    def add(self, layer):
        check.model_layer(self, layer)
        self.layers.append(layer)

    def set(self, *, loss=None, optimizer=None, accuracy=None):
        # Each keyword is optional, so that a model that only predicts (chapter 21)
        # can be set with a loss and accuracy but no optimizer.
        check.model_parts(self, loss, optimizer, accuracy)
        if loss is not None:
            self.loss = loss
        if optimizer is not None:
            self.optimizer = optimizer
        if accuracy is not None:
            self.accuracy = accuracy

    def finalize(self):
        check.finalizable(self)
        self.input_layer = Layer_Input()
        # Each layer reads its input from the previous one (the first from the
        # input layer) and its gradient from the next one (the last from the loss).
        previous_layers = [self.input_layer] + self.layers[:-1]
        next_layers = self.layers[1:] + [self.loss]
        for layer, previous_layer, next_layer in zip(self.layers, previous_layers, next_layers):
            layer.prev = previous_layer
            layer.next = next_layer
        self.output_layer_activation = self.layers[-1]
        # The layers with weights are the ones the optimizer updates.
        self.trainable_layers = [layer for layer in self.layers if hasattr(layer, "weights")]
        if self.loss is not None:
            self.loss.remember_trainable_layers(self.trainable_layers)
        # Softmax output with categorical cross-entropy: use the combined, cheaper
        # gradient (softmax - one_hot) / N.
        self.softmax_classifier_output = None
        if (isinstance(self.layers[-1], Activation_Softmax)
                and isinstance(self.loss, Loss_CategoricalCrossentropy)):
            self.softmax_classifier_output = Activation_Softmax_Loss_CategoricalCrossentropy()

    def train(self, X, y, *, epochs=1, batch_size=None, print_every=1, validation_data=None):
        check.training(self, X, y, epochs, batch_size, print_every, validation_data)
        self.accuracy.init(y)
        train_steps = _steps(len(X), batch_size)
        for epoch in range(1, epochs + 1):
            print(f'epoch: {epoch}')
            self.loss.new_pass()
            self.accuracy.new_pass()
            for step in range(train_steps):
                accuracy, loss, data_loss, regularization_loss = self.train_step(
                    _batch(X, step, batch_size), _batch(y, step, batch_size))
                if not step % print_every or step == train_steps - 1:
                    print(f'step: {step}, ' +
                          f'acc: {accuracy:.3f}, ' +
                          f'loss: {loss:.3f} (' +
                          f'data_loss: {data_loss:.3f}, ' +
                          f'reg_loss: {regularization_loss:.3f}), ' +
                          f'lr: {self.optimizer.current_learning_rate}')
            # The epoch's loss and accuracy: over all of its batches.
            epoch_data_loss, epoch_regularization_loss = self.loss.calculate_accumulated(
                include_regularization=True)
            epoch_loss = epoch_data_loss + epoch_regularization_loss
            epoch_accuracy = self.accuracy.calculate_accumulated()
            print(f'training, ' +
                  f'acc: {epoch_accuracy:.3f}, ' +
                  f'loss: {epoch_loss:.3f} (' +
                  f'data_loss: {epoch_data_loss:.3f}, ' +
                  f'reg_loss: {epoch_regularization_loss:.3f}), ' +
                  f'lr: {self.optimizer.current_learning_rate}')
            if validation_data is not None:
                self.evaluate(*validation_data, batch_size=batch_size)

    def train_step(self, batch_X, batch_y):
        """One forward pass, backward pass and update on one batch; returns its
        accuracy, loss, data loss and regularization loss."""
        output = self.forward(batch_X, training=True)
        data_loss, regularization_loss = self.loss.calculate(output, batch_y,
                                                             include_regularization=True)
        loss = data_loss + regularization_loss
        predictions = self.output_layer_activation.predictions(output)
        accuracy = self.accuracy.calculate(predictions, batch_y)
        self.backward(output, batch_y)
        self.optimizer.pre_update_params()
        for layer in self.trainable_layers:
            self.optimizer.update_params(layer)
        self.optimizer.post_update_params()
        return accuracy, loss, data_loss, regularization_loss

    def evaluate(self, X_val, y_val, *, batch_size=None):
        check.model_data(self, X_val, y_val, batch_size, needs=("loss", "accuracy"))
        self.loss.new_pass()
        self.accuracy.new_pass()
        for step in range(_steps(len(X_val), batch_size)):
            batch_y = _batch(y_val, step, batch_size)
            output = self.forward(_batch(X_val, step, batch_size), training=False)
            self.loss.calculate(output, batch_y)
            predictions = self.output_layer_activation.predictions(output)
            self.accuracy.calculate(predictions, batch_y)
        validation_loss = self.loss.calculate_accumulated()
        validation_accuracy = self.accuracy.calculate_accumulated()
        print(f'validation, ' +
              f'acc: {validation_accuracy:.3f}, ' +
              f'loss: {validation_loss:.3f}')

    def predict(self, X, *, batch_size=None):
        check.model_data(self, X, None, batch_size, needs=())
        output = [self.forward(_batch(X, step, batch_size), training=False)
                  for step in range(_steps(len(X), batch_size))]
        return np.vstack(output)

    def forward(self, X, training):
        check.model_data(self, X, needs=())
        self.input_layer.forward(X, training)
        for layer in self.layers:
            layer.forward(layer.prev.output, training)
        # The last layer's output: the model's.
        return layer.output

    def backward(self, output, y):
        check.model_data(self, output, y, needs=("loss",))
        if self.softmax_classifier_output is not None:
            # The combined gradient from the last layer's softmax output, then
            # straight to the layer before the softmax.
            self.softmax_classifier_output.output = output
            self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = self.softmax_classifier_output.dinputs
            for layer in reversed(self.layers[:-1]):
                layer.backward(layer.next.dinputs)
            return
        self.loss.backward(output, y)
        for layer in reversed(self.layers):
            layer.backward(layer.next.dinputs)

    # ------------------------------------------------ parameters and saving (ch. 21)
    def get_parameters(self):
        return [layer.get_parameters() for layer in self.trainable_layers]

    def set_parameters(self, parameters):
        check.parameters(self, parameters)
        for parameter_set, layer in zip(parameters, self.trainable_layers):
            layer.set_parameters(*parameter_set)

    def save_parameters(self, path):
        with open(path, 'wb') as f:
            pickle.dump(self.get_parameters(), f)

    def load_parameters(self, path):
        with open(path, 'rb') as f:
            self.set_parameters(pickle.load(f))

    def save(self, path):
        """Pickle a deep copy of the model without any data or gradients."""
        model = copy.deepcopy(self)
        for part in (model.loss, model.accuracy):
            if part is not None:
                part.new_pass()
        parts = model.layers + [model.loss, model.softmax_classifier_output,
                                getattr(model, 'input_layer', None)]
        for part in parts:
            if part is not None:
                for attribute in PASS_ATTRIBUTES:
                    part.__dict__.pop(attribute, None)
        with open(path, 'wb') as f:
            pickle.dump(model, f)

    @staticmethod
    def load(path):
        with open(path, 'rb') as f:
            model = pickle.load(f)
        return model
