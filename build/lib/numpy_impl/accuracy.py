"""Accuracy (chapter 18): the fraction of predictions that match their targets,
accumulated over the batches of an epoch (chapter 19)."""
import numpy as np

from . import _checks as check


class Accuracy:
    """What every accuracy shares: the mean of compare()'s matches, and its
    accumulation between new_pass() and calculate_accumulated()."""

    def __init__(self):
        self.new_pass()

    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        accuracy = np.mean(comparisons)
        # Added up over an epoch's batches. Counted by elements: the book's
        # len(comparisons) is the same for one prediction per sample.
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_count += comparisons.size
        return accuracy

    def calculate_accumulated(self):
        check.accumulated(self)
        accuracy = self.accumulated_sum / self.accumulated_count
        return accuracy

    def new_pass(self):
        self.accumulated_sum = 0
        self.accumulated_count = 0


class Accuracy_Categorical(Accuracy):
    """Classification: a prediction is right when it is the target class.
    binary=True for a sigmoid output (one 0/1 prediction per output)."""

    def __init__(self, *, binary=False):
        super().__init__()
        self.binary = binary

    def init(self, y):
        # Nothing to prepare from the targets.
        pass

    def compare(self, predictions, y):
        predictions, y = check.comparable(self, predictions, y, one_hot=not self.binary)
        # One-hot targets -> class indices.
        if not self.binary and y.ndim == 2:
            y = np.argmax(y, axis=1)
        return predictions == y


class Accuracy_Regression(Accuracy):
    """Regression: a prediction is right when it is within `precision` of its
    target, precision being a 250th of the targets' standard deviation."""

    def __init__(self):
        super().__init__()
        self.precision = None

    def init(self, y, reinit=False):
        y = check.regression_targets(self, y)
        if self.precision is None or reinit:
            self.precision = np.std(y) / 250

    def compare(self, predictions, y):
        predictions, y = check.comparable(self, predictions, y)
        return np.absolute(predictions - y) < self.precision
