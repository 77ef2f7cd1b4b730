"""The engine on small learner-style files: each method judged on its own (one
failure never hides another), what a forward returns instead of setting,
in-place writes, dropout masks whatever NumPy function draws them, both SGD
momentum rules, forward-only classes, the records refused when incomplete."""
import json
import os
import textwrap

import numpy as np
import pytest

from nn_crosscheck.components import BY_ID, REGISTRY
from nn_crosscheck.engine import run_check
from nn_crosscheck.records import Check, RecordError
from nn_crosscheck.run import make_target


def target_of(tmp_path, source, name="learner.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return make_target(str(path))


def verdicts(target, check_id, dtype=np.float64, examples=10):
    return {v.quantity: v for v in run_check(BY_ID[check_id], dtype, target,
                                             max_examples=examples).verdicts}


def test_a_broken_calculate_does_not_hide_a_wrong_gradient(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Loss:
            def calculate(self, output, y):
                raise RuntimeError("half written")

        class Loss_MeanAbsoluteError(Loss):
            def forward(self, y_pred, y_true):
                return np.mean(np.abs(y_true - y_pred), axis=-1)

            def backward(self, dvalues, y_true):
                samples, outputs = dvalues.shape
                self.dinputs = np.sign(y_true - dvalues) / outputs / samples
        """)
    v = verdicts(target, "Loss_MeanAbsoluteError")
    assert v["sample_losses"].outcome.value == "agrees"
    assert v["loss"].outcome.value == "ERROR" and v["loss"].error.type == "RuntimeError"
    assert v["dinputs"].outcome.value == "DISAGREES"
    assert v["dinputs"].mistakes == ["mae-book-sign"] and v["dinputs"].book_deviation


def test_a_forward_only_class_is_credited_for_its_forward(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Activation_ReLU:
            def forward(self, inputs):
                self.output = np.maximum(0, inputs)
        """)
    v = verdicts(target, "Activation_ReLU")
    assert v["output"].outcome.value == "agrees"
    assert v["dinputs"].outcome.value == "not checked"
    assert v["dinputs"].what == "Activation_ReLU has no backward()"


def test_returned_values_are_read_and_said(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Activation_Sigmoid:
            def forward(self, x):
                self.out = 1 / (1 + np.exp(-x))
                return self.out

            def backward(self, grad):
                return grad * self.out * (1 - self.out)
        """)
    v = verdicts(target, "Activation_Sigmoid")
    assert v["output"].outcome.value == v["dinputs"].outcome.value == "agrees"
    assert any("returns its dinputs (it sets no .dinputs)" in n for n in v["dinputs"].notes)


def test_writing_into_an_argument_is_a_disagreement(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Activation_ReLU:
            def forward(self, inputs):
                self.inputs = inputs
                self.output = np.maximum(0, inputs)

            def backward(self, dvalues):
                dvalues[self.inputs <= 0] = 0     # no copy
                self.dinputs = dvalues
        """)
    v = verdicts(target, "Activation_ReLU")
    assert v["dinputs"].outcome.value == "agrees"
    assert v["arguments"].outcome.value == "DISAGREES"
    assert "dvalues" in v["arguments"].detail
    assert v["arguments"].mistakes == ["relu-backward-in-place"]


DROPOUT = """
    import numpy as np

    class Layer_Dropout:
        def __init__(self, rate):
            self.keep = 1 - rate
            {init}

        def forward(self, inputs):
            self.mask = ({draw}) / self.keep
            self.output = inputs * self.mask

        def backward(self, dvalues):
            self.dinputs = dvalues * self.mask
"""


@pytest.mark.parametrize("init,draw", [
    ("", "np.random.binomial(1, self.keep, size=inputs.shape)"),
    ("", "np.random.random(inputs.shape) < self.keep"),
    ("", "np.random.rand(*inputs.shape) > 1 - self.keep"),
    ("", "np.random.uniform(0, 1, inputs.shape) < self.keep"),
    ("self.rng = np.random.default_rng()", "self.rng.random(inputs.shape) < self.keep"),
    ("self.rng = np.random.default_rng(7)", "self.rng.binomial(1, self.keep, inputs.shape)"),
], ids=["binomial", "random", "rand above rate", "uniform", "Generator random",
        "Generator binomial"])
def test_dropout_masks_are_injected_whatever_draws_them(tmp_path, init, draw):
    target = target_of(tmp_path, DROPOUT.format(init=init, draw=draw))
    v = verdicts(target, "Layer_Dropout", examples=20)
    assert v["output"].outcome.value == "agrees", (v["output"].what, v["output"].worst)
    assert v["dinputs"].outcome.value == "agrees"


def test_a_dropout_that_keeps_with_the_wrong_probability_disagrees(tmp_path):
    target = target_of(tmp_path, DROPOUT.format(
        init="", draw="np.random.random(inputs.shape) < 1 - self.keep"))
    v = verdicts(target, "Layer_Dropout", examples=20)
    assert v["output"].outcome.value == "DISAGREES"


TORCH_MOMENTUM = """
    import numpy as np

    class Optimizer_SGD:
        def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
            self.learning_rate, self.decay, self.momentum = learning_rate, decay, momentum
            self.iterations, self.buffers = 0, {}

        def pre_update_params(self):
            self.current_learning_rate = self.learning_rate / (1 + self.decay * self.iterations)

        def update_params(self, layer):
            for name, grad in (("weights", layer.dweights), ("biases", layer.dbiases)):
                key = (id(layer), name)
                if self.momentum:
                    # torch.optim.SGD: a buffer of gradients, scaled by today's rate
                    self.buffers[key] = self.momentum * self.buffers.get(key, 0) + grad \\
                        if key in self.buffers else grad.copy()
                    step = self.buffers[key]
                else:
                    step = grad
                getattr(layer, name)[...] -= self.current_learning_rate * step

        def post_update_params(self):
            self.iterations += 1
"""


def test_sgd_momentum_written_as_torch_does_it_is_accepted_and_said(tmp_path):
    target = target_of(tmp_path, TORCH_MOMENTUM)
    run = run_check(BY_ID["Optimizer_SGD[momentum+decay]"], np.float64, target, max_examples=5)
    v = {v.quantity: v for v in run.verdicts}["update+momentum+decay"]
    assert v.outcome.value == "agrees" and "torch.optim.SGD's momentum rule" in v.follows
    run = run_check(BY_ID["Optimizer_SGD[momentum]"], np.float64, target, max_examples=5)
    assert run.verdicts[0].outcome.value == "agrees" and not run.verdicts[0].follows


def test_the_first_sgd_of_chapter_10_is_checked_for_what_it_supports(tmp_path):
    target = target_of(tmp_path, """
        class Optimizer_SGD:
            def __init__(self, learning_rate=1.0):
                self.learning_rate = learning_rate

            def update_params(self, layer):
                layer.weights += -self.learning_rate * layer.dweights
                layer.biases += -self.learning_rate * layer.dbiases
        """)
    results = {check.variant: run_check(check, np.float64, target, max_examples=5).verdicts
               for check in REGISTRY if check.name == "Optimizer_SGD"}
    assert results["plain"][0].outcome.value == "agrees"
    for variant in ("decay", "momentum", "momentum+decay"):
        for v in results[variant]:
            assert v.outcome.value == "not checked" and "takes no" in v.what, (variant, v.what)


def test_an_incomplete_record_is_refused_when_it_is_built():
    with pytest.raises(RecordError, match="no quantities"):
        Check(name="X", chapter=1, roles=("Layer_Dense",), quantities=(), cases=None,
              demo=lambda r, d: None, run=lambda s, c: None, reference=lambda c: {},
              error_scale=lambda c: {})
    with pytest.raises(RecordError, match="run must be callable"):
        Check(name="X", chapter=1, roles=("Layer_Dense",), quantities=("output",),
              cases=None, demo=lambda r, d: None, run=None, reference=lambda c: {},
              error_scale=lambda c: {})
    ids = [c.id for c in REGISTRY]
    assert len(ids) == len(set(ids))


BOOK_BCE = os.path.join(os.path.dirname(__file__), "fixtures", "book_bce.py")


def test_a_failure_on_finite_inputs_is_shown_and_diagnosed_on_finite_inputs(tmp_path):
    # The book's BCE gradient ignores its clip: that shows on finite inputs, so the
    # case shown has no planted NaN, and no diagnosis speaks of a leaking NaN.
    v = verdicts(make_target(BOOK_BCE), "Loss_BinaryCrossentropy", examples=20)
    d = v["dinputs"]
    assert d.outcome.value == "DISAGREES" and d.mistakes == ["bce-gradient-ignores-clip"]
    assert "nan" not in d.reproduction and "inf" not in d.reproduction
    assert not any("planted" in text for text in d.diagnosis), d.diagnosis


def test_code_that_needs_a_module_that_is_not_there_is_not_checked(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np
        import not_a_package_anywhere as helpers

        class Activation_ReLU:
            def forward(self, inputs):
                self.output = np.maximum(0, inputs)

            def backward(self, dvalues):
                self.dinputs = helpers.relu_backward(dvalues, self.output)
        """)
    v = verdicts(target, "Activation_ReLU")
    assert v["output"].outcome.value == "agrees"
    assert v["dinputs"].outcome.value == "not checked"
    assert "not_a_package_anywhere is not installed" in v["dinputs"].what


def test_an_optimizer_whose_defaults_are_not_the_books_is_checked_as_the_family_says(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Optimizer_SGD:
            def __init__(self, learning_rate=1.0, decay=1e-3, momentum=0.9):
                self.learning_rate = learning_rate
                self.current_learning_rate = learning_rate
                self.decay = decay
                self.iterations = 0
                self.momentum = momentum

            def pre_update_params(self):
                if self.decay:
                    self.current_learning_rate = self.learning_rate * \\
                        (1. / (1. + self.decay * self.iterations))

            def update_params(self, layer):
                if self.momentum:
                    if not hasattr(layer, 'weight_momentums'):
                        layer.weight_momentums = np.zeros_like(layer.weights)
                        layer.bias_momentums = np.zeros_like(layer.biases)
                    weight_updates = self.momentum * layer.weight_momentums - \\
                        self.current_learning_rate * layer.dweights
                    layer.weight_momentums = weight_updates
                    bias_updates = self.momentum * layer.bias_momentums - \\
                        self.current_learning_rate * layer.dbiases
                    layer.bias_momentums = bias_updates
                else:
                    weight_updates = -self.current_learning_rate * layer.dweights
                    bias_updates = -self.current_learning_rate * layer.dbiases
                layer.weights += weight_updates
                layer.biases += bias_updates

            def post_update_params(self):
                self.iterations += 1
        """)
    v = verdicts(target, "Optimizer_SGD[plain]")
    assert v["update"].outcome.value == "agrees", v["update"].detail
    assert any("momentum defaults to 0.9 (the book's: 0); checked with momentum=0 given" in n
               for n in v["update"].notes), v["update"].notes


def test_arguments_named_in_another_order_are_passed_by_name(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Loss_MeanSquaredError:
            def forward(self, target, prediction):
                return np.mean((target - prediction) ** 2, axis=-1)

            def backward(self, dvalues, y_true):
                self.dinputs = -2 * (y_true - dvalues) / dvalues.shape[1] / len(dvalues)
        """)
    v = verdicts(target, "Loss_MeanSquaredError")
    assert v["sample_losses"].outcome.value == "agrees"
    assert any("takes (target, prediction): the arguments are passed by name" in n
               for n in v["sample_losses"].notes)
    assert v["dinputs"].outcome.value == "agrees"


def test_a_method_that_cannot_take_the_books_call_is_not_checked_not_an_error(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Loss_MeanSquaredError:
            def forward(self, y_pred, y_true):
                self.y_pred, self.y_true = y_pred, y_true
                return np.mean((y_true - y_pred) ** 2, axis=-1)

            def backward(self):
                self.dinputs = -2 * (self.y_true - self.y_pred) / self.y_pred.size
        """)
    v = verdicts(target, "Loss_MeanSquaredError")
    assert v["dinputs"].outcome.value == "not checked"
    assert "cannot be called as the book calls it" in v["dinputs"].what


@pytest.mark.parametrize("returned, form", [
    ("np.mean((y_true - y_pred) ** 2)", "returns the mean loss"),
    ("(y_true - y_pred) ** 2", "returns the loss of every output"),
])
def test_a_forward_returning_another_legitimate_form_agrees_and_says_which(tmp_path, returned,
                                                                          form):
    target = target_of(tmp_path, f"""
        import numpy as np

        class Loss_MeanSquaredError:
            def forward(self, y_pred, y_true):
                return {returned}
        """)
    v = verdicts(target, "Loss_MeanSquaredError")
    assert v["sample_losses"].outcome.value == "agrees"
    assert form in v["sample_losses"].follows


def test_a_gradient_not_divided_by_samples_nor_outputs_is_named(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Loss_MeanAbsoluteError:
            def backward(self, dvalues, y_true):
                self.dinputs = np.sign(dvalues - y_true)
        """)
    v = verdicts(target, "Loss_MeanAbsoluteError")
    assert v["dinputs"].outcome.value == "DISAGREES"
    assert any("(samples x outputs) times torch's" in d for d in v["dinputs"].diagnosis), \
        v["dinputs"].diagnosis


def test_the_regime_words_that_tell_failing_cases_from_passing_ones():
    from nn_crosscheck.engine import Track, distinguishing
    track = Track()
    track.failing_parts = [["softmax rows", "one-hot int64 labels"],
                           ["near 0 and 1", "one-hot int32 labels"],
                           ["softmax rows", "one-hot int32 labels"]]
    track.passing_counts = {"near 0 and 1": 2, "clip bounds": 1, "sparse int64 labels": 2,
                            "sparse labels": 3, "one-hot uint8 labels": 2, "one-hot labels": 2}
    track.passing = 5
    # softmax rows never passed here either, but near 0 and 1 did: the labels tell
    assert distinguishing(track) == "one-hot int32 labels or one-hot int64 labels"
    track.passing_counts["one-hot uint8 labels"] = track.passing_counts["one-hot labels"] = 1
    assert distinguishing(track) == ""          # one pass of another dtype: could be a fluke
    del track.passing_counts["one-hot uint8 labels"], track.passing_counts["one-hot labels"]
    assert distinguishing(track) == "one-hot labels"          # said once, without dtypes
    track.passing = 2
    assert distinguishing(track) == ""                         # too few passed to tell


def test_an_optimizer_reading_its_own_names_from_the_tools_layer_is_not_checked(tmp_path):
    target = target_of(tmp_path, """
        class Optimizer_SGD:
            def __init__(self, learning_rate=1.0):
                self.learning_rate = learning_rate

            def update_params(self, layer):
                layer.neuronWeights -= self.learning_rate * layer.dneuronWeights
        """)
    v = verdicts(target, "Optimizer_SGD[plain]")
    assert v["update"].outcome.value == "not checked"
    assert "reads .neuronWeights of the layer this tool made" in v["update"].what
    assert "--bind Layer_Dense.<book name>=neuronWeights" in v["update"].what


def test_a_missing_numpy_import_is_an_error_with_the_fix(tmp_path):
    target = target_of(tmp_path, """
        class Activation_ReLU:
            def forward(self, inputs):
                self.output = np.maximum(0, inputs)
        """)
    v = verdicts(target, "Activation_ReLU")
    assert v["output"].outcome.value == "ERROR"
    assert v["output"].error.hint == "the file uses np without `import numpy as np`"
    assert "no known mistake matches" not in v["output"].diagnosis


def test_the_spiral_network_judges_what_was_computed_before_a_call_raised(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Layer_Dense:
            def __init__(self, n_inputs, n_neurons):
                self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
                self.biases = np.zeros((1, n_neurons))

            def forward(self, inputs):
                self.inputs = inputs
                self.output = np.dot(inputs, self.weights) + self.biases

            def backward(self, dvalues):
                self.dweights = np.dot(self.inputs.T, dvalues)
                self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
                self.dinputs = np.dot(dvalues, self.weights.T)

        class Activation_ReLU:
            def forward(self, inputs):
                self.inputs = inputs
                self.output = np.maximum(0, inputs)

            def backward(self, dvalues):
                self.dinputs = dvalues.copy()
                self.dinputs[self.inputs <= 0] = 0

        class Activation_Softmax_Loss_CategoricalCrossentropy:
            def forward(self, inputs, y_true):
                e = np.exp(inputs - inputs.max(axis=1, keepdims=True))
                self.output = e / e.sum(axis=1, keepdims=True)
                p = self.output[range(len(inputs)), y_true]
                return np.mean(-np.log(p))

            def backward(self, dvalues, y_true):
                raise NotImplementedError("next chapter")
        """)
    v = verdicts(target, "spiral network")
    for q in ("dense1.output", "relu.output", "dense2.output", "softmax.output", "loss"):
        assert v[q].outcome.value == "agrees", (q, v[q].outcome, v[q].what)
    assert v["loss.dinputs"].outcome.value == "ERROR"
    assert v["dense1.dweights"].outcome.value == "not checked"
    assert v["dense1.dweights"].what.startswith("not run:")


def test_an_error_in_some_cases_does_not_hide_a_disagreement_in_others(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Loss_CategoricalCrossentropy:
            def forward(self, y_pred, y_true):
                p = np.clip(y_pred, 1e-7, 1 - 1e-7)
                return -2 * np.log(p[range(len(p)), y_true])   # class indices only; x2
        """)
    run = run_check(BY_ID["Loss_CategoricalCrossentropy"], np.float64, target, max_examples=20)
    outcomes = {v.outcome.value for v in run.verdicts if v.quantity == "sample_losses"}
    assert outcomes == {"ERROR", "DISAGREES"}


def test_a_combined_backward_is_checked_when_its_forward_raises(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Activation_Softmax_Loss_CategoricalCrossentropy:
            def forward(self, inputs, y_true):
                raise NotImplementedError("later")

            def backward(self, dvalues, y_true):
                samples = len(dvalues)
                if y_true.ndim == 2:
                    y_true = np.argmax(y_true, axis=1)
                self.dinputs = dvalues.copy()
                self.dinputs[range(samples), y_true] -= 1
                self.dinputs = self.dinputs / samples
        """)
    run = run_check(BY_ID["Activation_Softmax_Loss_CategoricalCrossentropy"], np.float64,
                    target, max_examples=20)
    v = {(x.quantity, x.outcome.value) for x in run.verdicts}
    assert ("output", "ERROR") in v and ("dinputs", "agrees") in v, v


def test_a_layer_that_does_not_read_its_weights_attribute_is_not_checked(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Layer_Dense:
            def __init__(self, n_inputs, n_neurons):
                self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
                self.biases = np.zeros((1, n_neurons))
                self.params = {"w": self.weights.copy(), "b": self.biases.copy()}

            def forward(self, inputs):
                self.output = np.dot(inputs, self.params["w"]) + self.params["b"]
        """)
    v = verdicts(target, "Layer_Dense")
    assert v["output"].outcome.value == "not checked"
    assert "forward does not read .weights" in v["output"].what
    assert "--bind Layer_Dense.weights=NAME" in v["output"].what


def test_a_reproduction_pastes_without_running_the_files_training_loop(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Activation_ReLU:
            def forward(self, inputs):
                self.inputs = inputs
                self.output = np.maximum(0, inputs)

            def backward(self, dvalues):
                self.dinputs = dvalues.copy()
                self.dinputs[self.inputs < 0] = 0

        for epoch in range(10001):
            raise SystemExit("the training loop ran")
        """, name="my-net v2.py")
    v = verdicts(target, "Activation_ReLU")["dinputs"]
    assert v.outcome.value == "DISAGREES"
    assert "definitions(" in v.reproduction
    namespace = {}
    exec(v.reproduction, namespace)                  # pastes and runs, loop not run
    assert "activation" in namespace


def test_an_argument_the_book_leaves_to_its_default_is_given_and_said(tmp_path):
    target = target_of(tmp_path, """
        import numpy as np

        class Accuracy_Regression:
            def __init__(self):
                self.precision = None

            def init(self, y, reinit):                 # the book: reinit=False
                if self.precision is None or reinit:
                    self.precision = np.std(y) / 250

            def compare(self, predictions, y):
                return np.absolute(predictions - y) < self.precision

            def calculate(self, predictions, y):
                return np.mean(self.compare(predictions, y))
        """)
    v = verdicts(target, "Accuracy_Regression")
    assert v["precision"].outcome.value == "agrees"
    assert any("requires reinit, which the book's callers leave out" in n
               for n in v["precision"].notes), v["precision"].notes


def test_the_forked_run_gives_the_serial_runs_verdicts_and_cases():
    """scripts/compare runs the torch.optim units in a forked process: the
    verdicts, the cases shown and the notes must be those of a serial run (a
    file with a real bug, so that failures, shrinking and diagnoses travel)."""
    from nn_crosscheck.run import run_all, select, share, units
    path = os.path.join(os.path.dirname(__file__), "corpus", "learners",
                        "bug_adam_bias_correction.py")
    checks = [c for c in select() if c.id in ("Layer_Dense", "Activation_ReLU",
                                               "Optimizer_Adam[plain]", "Optimizer_SGD[plain]")]
    assert share(units(checks))          # something really is forked
    runs = {}
    for parallel in (False, True):
        target = make_target(path)
        results = run_all(target, checks, max_examples=5, parallel=parallel)
        runs[parallel] = (      # as JSON text: NaN equals NaN there
            [json.dumps(v.to_json()) for _, _, run in results for v in run.verdicts],
            [(q, repr(ev.case)) for _, _, run in results for q, ev in run.shown.items()],
            target.binder.notes + target.implementation.notes)
    serial, forked = runs[False], runs[True]
    assert any('"outcome": "DISAGREES"' in v for v in serial[0])
    assert forked == serial
