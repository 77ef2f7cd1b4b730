"""Binding: a learner's own names for the book's classes, attributes, methods
and keywords are found (or declared), each non-exact binding is said once, and
a file where nothing binds gets the closest book names."""
import textwrap
import types

import pytest

from nn_crosscheck.binding import Binder, parse_bind_options, words
from nn_crosscheck.loader import load

RENAMED = [
    ("DenseLayer", "Layer_Dense"), ("Dense_Layer", "Layer_Dense"), ("Act_ReLU", "Activation_ReLU"),
    ("ReLUActivation", "Activation_ReLU"), ("Activation_ReLu", "Activation_ReLU"),
    ("Activation_Relu", "Activation_ReLU"), ("SoftmaxActivation", "Activation_Softmax"),
    ("CategoricalCrossEntropy", "Loss_CategoricalCrossentropy"),
    ("CCE_Loss", "Loss_CategoricalCrossentropy"),
    ("BinaryCrossEntropyLoss", "Loss_BinaryCrossentropy"),
    ("Loss_CategoricalCrossEntropy_Activation_Softmax",
     "Activation_Softmax_Loss_CategoricalCrossentropy"),
    ("Combined_Activation_And_Loss", "Activation_Softmax_Loss_CategoricalCrossentropy"),
    ("CompositeSoftmaxAndLoss", "Activation_Softmax_Loss_CategoricalCrossentropy"),
    ("SGD_Optimizer", "Optimizer_SGD"), ("Optimizer_AdaGrad", "Optimizer_Adagrad"),
    ("AdGrad", "Optimizer_Adagrad"), ("Optimizer_RMSProp", "Optimizer_RMSprop"),
    ("Adam_Optimizer", "Optimizer_Adam"), ("MSELoss", "Loss_MeanSquaredError"),
    ("Loss_MAE", "Loss_MeanAbsoluteError"), ("SigmoidActivation", "Activation_Sigmoid"),
    ("Loss_categorical", "Loss_CategoricalCrossentropy"),
]


def test_a_bare_layer_class_with_two_arguments_is_the_dense_layer():
    def init(self, n_inputs, n_neurons):
        pass
    assert Binder(module(Layer=a_class("Layer", init))).find("Layer_Dense").name == "Layer"
    assert Binder(module(Layer=a_class("Layer"))).find("Layer_Dense") is None   # no arguments


def module(**classes):
    m = types.ModuleType("_impl_under_test_binding")
    for name, cls in classes.items():
        setattr(m, name, cls)
    return m


def a_class(name, init=lambda self: None):
    return type(name, (), {"__init__": init, "__module__": "_impl_under_test_binding"})


@pytest.mark.parametrize("theirs,book", RENAMED, ids=[r[0] for r in RENAMED])
def test_renamed_classes_bind_and_the_binding_is_said(theirs, book):
    cls = a_class(theirs)
    binder = Binder(module(**{theirs: cls}), "my_nn.py")
    binding = binder.find(book)
    assert binding is not None and binding.obj is cls and binding.how == "name"
    assert binder.notes == [f"{book}: your {theirs} (by its name)"]


@pytest.mark.parametrize("spelling,book", [
    ("Loss_CategoricalCrossEntropy", "Loss_CategoricalCrossentropy"),
    ("Loss_BinaryCrossEntropy", "Loss_BinaryCrossentropy"),
    ("Activation_Softmax_Loss_CategoricalCrossEntropy",
     "Activation_Softmax_Loss_CategoricalCrossentropy")])
def test_the_books_own_spellings_are_exact(spelling, book):
    cls = a_class(spelling)
    binder = Binder(module(**{spelling: cls}))
    assert binder.find(book).obj is cls and binder.find(book).how == "exact" and not binder.notes


def test_exact_names_win_and_unknown_names_do_not_bind():
    exact, other = a_class("Activation_ReLU"), a_class("ReLU")
    binder = Binder(module(Activation_ReLU=exact, ReLU=other, MyNetwork2=a_class("Helper")))
    assert binder.find("Activation_ReLU").obj is exact and not binder.notes
    assert binder.find("Layer_Dense") is None
    assert words("MyHelperThing") is None


def test_a_linear_class_is_a_dense_layer_or_an_activation_by_its_constructor():
    dense = a_class("Linear", init=lambda self, n_inputs, n_neurons: None)
    binder = Binder(module(Linear=dense))
    assert binder.find("Layer_Dense").obj is dense
    assert binder.find("Activation_Linear") is None
    identity = a_class("Linear")
    assert Binder(module(Linear=identity)).find("Activation_Linear").obj is identity


def test_attribute_method_and_keyword_aliases():
    class Layer:
        def __init__(self):
            self.d_inputs, self.dWeights, self.weight = 1, 2, 3

        def backward_pass(self, dvalues):
            pass

    class Optimizer_RMSprop:
        def __init__(self, learning_rate=0.001, beta=0.9, eps=1e-7):
            pass

    binder = Binder(module(Layer=Layer, Optimizer_RMSprop=Optimizer_RMSprop))
    layer = Layer()
    assert binder.attribute(layer, "Layer_Dense", "dinputs") == "d_inputs"
    assert binder.attribute(layer, "Layer_Dense", "dweights") == "dWeights"
    assert binder.attribute(layer, "Layer_Dense", "weights") == "weight"
    assert binder.attribute(layer, "Layer_Dense", "dbiases") is None
    assert binder.method(layer, "Layer_Dense", "backward") == "backward_pass"
    assert binder.keyword(Optimizer_RMSprop, "Optimizer_RMSprop", "rho") == "beta"
    assert binder.keyword(Optimizer_RMSprop, "Optimizer_RMSprop", "epsilon") == "eps"
    assert binder.keyword(Optimizer_RMSprop, "Optimizer_RMSprop", "decay") is None
    # members in the order of the book's names, whatever order they were met in
    assert "Layer_Dense: your class; backward_pass for backward, d_inputs for dinputs, " \
           "dWeights for dweights, weight for weights" in binder.notes


def test_upper_case_regularizer_keywords_bind():
    class Layer_Dense:
        def __init__(self, n_inputs, n_neurons, weight_regularizer_L1=0, bias_regularizer_L2=0):
            pass
    binder = Binder(module(Layer_Dense=Layer_Dense))
    assert binder.keyword(Layer_Dense, "Layer_Dense", "weight_regularizer_l1") \
        == "weight_regularizer_L1"
    assert binder.keyword(Layer_Dense, "Layer_Dense", "bias_regularizer_l2") \
        == "bias_regularizer_L2"


def test_a_declared_mapping_in_the_file_or_on_the_command_line(tmp_path):
    path = tmp_path / "declared.py"
    path.write_text(textwrap.dedent("""\
        NN_CROSSCHECK = {"Layer_Dense": "FullyConnected", "dinputs": "grad_in"}

        class FullyConnected:
            def __init__(self, n_inputs, n_neurons):
                self.grad_in = None

        class Rectifier:
            pass
        """))
    impl = load(str(path))
    binder = Binder(impl.module, impl.label, parse_bind_options(["Activation_ReLU=Rectifier"]))
    dense = binder.find("Layer_Dense")
    assert dense.name == "FullyConnected" and dense.how == "declared"
    assert binder.find("Activation_ReLU").name == "Rectifier"
    assert binder.attribute(dense.obj(2, 3), "Layer_Dense", "dinputs") == "grad_in"
    assert "Layer_Dense: your FullyConnected (as you declared)" in binder.notes[0]
    with pytest.raises(ValueError, match="expected BOOK=THEIRS"):
        parse_bind_options(["Layer_Dense"])


def test_nothing_binds_and_the_closest_book_names_are_given():
    binder = Binder(module(LayerDens=a_class("LayerDens"), Widget=a_class("Widget")))
    assert binder.find("Layer_Dense") is None
    lines = binder.unbound_classes(["Layer_Dense", "Activation_ReLU"])
    assert any(line.startswith("LayerDens: did you mean Layer_Dense") for line in lines), lines
    assert "Widget: not a class of the book this tool knows" in lines


def test_classes_from_installed_libraries_never_bind():
    from collections import OrderedDict
    binder = Binder(module(Dense=OrderedDict))          # a library's class, by any name
    assert binder.find("Layer_Dense") is None


def test_a_long_name_with_a_typo_binds_and_says_so_a_stub_does_not():
    def forward(self, inputs, y_true):
        return 0.0
    typo = type("Activation_Softmax_Loss_CaterogricalCrossentropy", (),
                {"forward": forward, "__module__": "_impl_under_test_binding"})
    stub = a_class("Activation_Sigmoidd")                   # no method: a stub
    binder = Binder(module(Activation_Softmax_Loss_CaterogricalCrossentropy=typo,
                           Activation_Sigmoidd=stub))
    found = binder.find("Activation_Softmax_Loss_CategoricalCrossentropy")
    assert found is not None and found.how == "close"
    assert any("by a close spelling" in n for n in binder.notes), binder.notes
    assert binder.find("Activation_Sigmoid") is None


def test_members_spelled_otherwise_are_found():
    class RMSprop:
        def __init__(self, learning_rate=0.001, epsilon_val=1e-7, rho_val=0.9,
                     weight_regularization_l1=0.0):
            pass

        def activate(self, inputs):
            pass

        def loss_calclation(self, output, y):
            pass

    binder = Binder(module(RMSprop=RMSprop))
    assert binder.keyword(RMSprop, "Optimizer_RMSprop", "epsilon") == "epsilon_val"
    assert binder.keyword(RMSprop, "Optimizer_RMSprop", "rho") == "rho_val"
    assert binder.keyword(RMSprop, "Layer_Dense", "weight_regularizer_l1") == \
        "weight_regularization_l1"
    obj = RMSprop()
    assert binder.method(obj, "Activation_ReLU", "forward") == "activate"
    assert binder.method(obj, "Loss", "calculate") == "loss_calclation"
    assert binder.method(obj, "Loss", "backward") is None


def test_a_typo_match_never_takes_another_book_method():
    class SGD:
        def update_parameters(self, layer):      # update_params, not pre_update_params
            pass

    binder = Binder(module(SGD=SGD))
    assert binder.method(SGD(), "Optimizer_SGD", "pre_update_params") is None
    assert binder.method(SGD(), "Optimizer_SGD", "update_params") == "update_parameters"


def test_a_class_declared_for_one_role_is_not_taken_by_name_for_another():
    class CrossEntropyLoss:
        def backward(self, dvalues, y_true):
            pass

    binder = Binder(module(CrossEntropyLoss=CrossEntropyLoss), declared={
        "Activation_Softmax_Loss_CategoricalCrossentropy": "CrossEntropyLoss"})
    assert binder.find("Loss_CategoricalCrossentropy") is None
    assert binder.find("Activation_Softmax_Loss_CategoricalCrossentropy").how == "declared"
