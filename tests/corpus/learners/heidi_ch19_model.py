"""NNFS chapters 18-19, rewritten while reading.

Differences from the book that I chose on purpose:
  * Layer_Dropout draws its mask from its own numpy Generator (seedable per layer)
  * L1 gradient via np.sign
  * the cross-entropy backward zeroes the gradient where the clip is active
  * one-hot labels are cast to the predictions' dtype
Everything else follows the book's API: forward(inputs, training), Layer_Input,
remember_trainable_layers, regularization_loss() without argument,
calculate(..., include_regularization=...), new_pass / calculate_accumulated, a
backward-only combined softmax/cross-entropy, and a Model.
"""
import numpy as np
from nnfs.datasets import spiral_data


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons, weight_regularizer_l1=0, weight_regularizer_l2=0,
                 bias_regularizer_l1=0, bias_regularizer_l2=0):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))
        self.weight_regularizer_l1 = weight_regularizer_l1
        self.weight_regularizer_l2 = weight_regularizer_l2
        self.bias_regularizer_l1 = bias_regularizer_l1
        self.bias_regularizer_l2 = bias_regularizer_l2

    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases

    def backward(self, dvalues):
        self.dweights = self.inputs.T @ dvalues \
            + self.weight_regularizer_l1 * np.sign(self.weights) \
            + 2 * self.weight_regularizer_l2 * self.weights
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True) \
            + self.bias_regularizer_l1 * np.sign(self.biases) \
            + 2 * self.bias_regularizer_l2 * self.biases
        self.dinputs = dvalues @ self.weights.T


class Layer_Dropout:
    def __init__(self, rate, seed=None):
        self.rate = rate
        self.rng = np.random.default_rng(seed)

    def forward(self, inputs, training):
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        keep = 1 - self.rate
        self.mask = self.rng.binomial(1, keep, size=inputs.shape).astype(inputs.dtype) / keep
        self.output = inputs * self.mask

    def backward(self, dvalues):
        self.dinputs = dvalues * self.mask


class Layer_Input:
    def forward(self, inputs, training):
        self.output = inputs


class Activation_ReLU:
    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0

    def predictions(self, outputs):
        return outputs


class Activation_Softmax:
    def forward(self, inputs, training):
        self.inputs = inputs
        e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = e / np.sum(e, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dinputs = self.output * (dvalues - np.sum(self.output * dvalues, axis=1, keepdims=True))

    def predictions(self, outputs):
        return np.argmax(outputs, axis=1)


class Optimizer_Adam:
    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def update_params(self, layer):
        if not hasattr(layer, 'weight_cache'):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        t = self.iterations + 1
        layer.weight_momentums = self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        layer.bias_momentums = self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        layer.weight_cache = self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights ** 2
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases ** 2
        wm = layer.weight_momentums / (1 - self.beta_1 ** t)
        bm = layer.bias_momentums / (1 - self.beta_1 ** t)
        wc = layer.weight_cache / (1 - self.beta_2 ** t)
        bc = layer.bias_cache / (1 - self.beta_2 ** t)
        layer.weights += -self.current_learning_rate * wm / (np.sqrt(wc) + self.epsilon)
        layer.biases += -self.current_learning_rate * bm / (np.sqrt(bc) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1


class Loss:
    def remember_trainable_layers(self, trainable_layers):
        self.trainable_layers = trainable_layers

    def regularization_loss(self):
        total = 0
        for layer in self.trainable_layers:
            total += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
            total += layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
            total += layer.bias_regularizer_l1 * np.sum(np.abs(layer.biases))
            total += layer.bias_regularizer_l2 * np.sum(layer.biases * layer.biases)
        return total

    def calculate(self, output, y, *, include_regularization=False):
        sample_losses = self.forward(output, y)
        data_loss = np.mean(sample_losses)
        self.accumulated_sum += np.sum(sample_losses)
        self.accumulated_count += len(sample_losses)
        if not include_regularization:
            return data_loss
        return data_loss, self.regularization_loss()

    def calculate_accumulated(self, *, include_regularization=False):
        data_loss = self.accumulated_sum / self.accumulated_count
        if not include_regularization:
            return data_loss
        return data_loss, self.regularization_loss()

    def new_pass(self):
        self.accumulated_sum = 0
        self.accumulated_count = 0


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if y_true.ndim == 1:
            correct = clipped[np.arange(len(y_pred)), y_true]
        else:
            correct = np.sum(clipped * y_true.astype(clipped.dtype), axis=1)
        return -np.log(correct)

    def backward(self, dvalues, y_true):
        samples, labels = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(labels, dtype=dvalues.dtype)[y_true]
        clipped = np.clip(dvalues, 1e-7, 1 - 1e-7)
        grad = -y_true.astype(dvalues.dtype) / clipped
        grad[clipped != dvalues] = 0
        self.dinputs = grad / samples


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if y_true.ndim == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


class Accuracy:
    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_count += len(comparisons)
        return np.mean(comparisons)

    def calculate_accumulated(self):
        return self.accumulated_sum / self.accumulated_count

    def new_pass(self):
        self.accumulated_sum = 0
        self.accumulated_count = 0


class Accuracy_Categorical(Accuracy):
    def __init__(self, *, binary=False):
        self.binary = binary

    def init(self, y):
        pass

    def compare(self, predictions, y):
        if not self.binary and y.ndim == 2:
            y = np.argmax(y, axis=1)
        return predictions == y


class Model:
    def __init__(self):
        self.layers = []
        self.softmax_classifier_output = None

    def add(self, layer):
        self.layers.append(layer)

    def set(self, *, loss, optimizer, accuracy):
        self.loss, self.optimizer, self.accuracy = loss, optimizer, accuracy

    def finalize(self):
        self.input_layer = Layer_Input()
        chain = [self.input_layer] + self.layers + [self.loss]
        for prev, layer, nxt in zip(chain, chain[1:], chain[2:]):
            layer.prev, layer.next = prev, nxt
        self.output_layer_activation = self.layers[-1]
        self.trainable_layers = [l for l in self.layers if hasattr(l, 'weights')]
        self.loss.remember_trainable_layers(self.trainable_layers)
        if isinstance(self.layers[-1], Activation_Softmax) and \
                isinstance(self.loss, Loss_CategoricalCrossentropy):
            self.softmax_classifier_output = Activation_Softmax_Loss_CategoricalCrossentropy()

    def forward(self, X, training):
        self.input_layer.forward(X, training)
        for layer in self.layers:
            layer.forward(layer.prev.output, training)
        return self.layers[-1].output

    def backward(self, output, y):
        if self.softmax_classifier_output is not None:
            self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = self.softmax_classifier_output.dinputs
            for layer in reversed(self.layers[:-1]):
                layer.backward(layer.next.dinputs)
            return
        self.loss.backward(output, y)
        for layer in reversed(self.layers):
            layer.backward(layer.next.dinputs)

    def train(self, X, y, *, epochs=1, batch_size=None, print_every=1):
        self.accuracy.init(y)
        steps = 1 if batch_size is None else -(-len(X) // batch_size)
        for epoch in range(1, epochs + 1):
            self.loss.new_pass()
            self.accuracy.new_pass()
            for step in range(steps):
                if batch_size is None:
                    bx, by = X, y
                else:
                    bx = X[step * batch_size:(step + 1) * batch_size]
                    by = y[step * batch_size:(step + 1) * batch_size]
                output = self.forward(bx, training=True)
                self.loss.calculate(output, by, include_regularization=True)
                self.accuracy.calculate(self.output_layer_activation.predictions(output), by)
                self.backward(output, by)
                self.optimizer.pre_update_params()
                for layer in self.trainable_layers:
                    self.optimizer.update_params(layer)
                self.optimizer.post_update_params()
            if not epoch % print_every:
                data_loss, reg_loss = self.loss.calculate_accumulated(include_regularization=True)
                print(f'epoch {epoch}: acc {self.accuracy.calculate_accumulated():.3f}, '
                      f'loss {data_loss + reg_loss:.3f}')


X, y = spiral_data(samples=100, classes=3)
model = Model()
model.add(Layer_Dense(2, 32, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4))
model.add(Activation_ReLU())
model.add(Layer_Dropout(0.1, seed=42))
model.add(Layer_Dense(32, 3))
model.add(Activation_Softmax())
model.set(loss=Loss_CategoricalCrossentropy(),
          optimizer=Optimizer_Adam(learning_rate=0.05, decay=5e-5),
          accuracy=Accuracy_Categorical())
model.finalize()
model.train(X, y, epochs=100, batch_size=64, print_every=25)
