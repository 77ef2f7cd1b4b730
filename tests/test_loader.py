"""The loader: a learner's file is imported for its definitions, whatever else
it does at module level; what it skips, stands in for or restores is said once;
what cannot be imported is one line naming the file and line."""
import os
import textwrap

import numpy as np
import pytest

from nn_crosscheck.loader import ImplLoadError, MissingModule, load


def write(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


SCRIPT = """\
    import numpy as np
    from nnfs.datasets import spiral_data
    import nnfs
    nnfs.init()
    EPSILON = 1e-7
    SCALE = np.float32(0.01)

    class Layer_Dense:
        def __init__(self, n_inputs, n_neurons):
            self.weights = SCALE * np.random.randn(n_inputs, n_neurons)
            self.biases = np.zeros((1, n_neurons))

    Dense = Layer_Dense          # an alias is a definition

    X, y = spiral_data(samples=100, classes=3)
    dense1 = Layer_Dense(2, 3)
    for epoch in range(10001):
        raise SystemExit("the training loop must not run")
    print("done")
    """


def test_module_level_code_is_skipped_and_said_once(tmp_path):
    impl = load(write(tmp_path, "my_nn.py", SCRIPT))
    assert impl.module.Dense is impl.module.Layer_Dense
    assert impl.module.EPSILON == 1e-7 and impl.module.SCALE == np.float32(0.01)
    assert not hasattr(impl.module, "dense1") and not hasattr(impl.module, "X")
    notes = [n for n in impl.notes if "skipped module-level code" in n]
    assert len(notes) == 1
    assert "lines 4, 15-19" in notes[0] and "training loop" in notes[0], notes[0]
    assert "1 print" in notes[0] and "--run-module-code" in notes[0]
    # nnfs.init() was skipped too: NumPy is untouched
    assert np.random.randn(1).dtype == np.float64


def test_run_module_code_runs_it_and_restores_numpy(tmp_path):
    path = write(tmp_path, "patched.py", """\
        import nnfs
        nnfs.init()
        import numpy as np
        VALUE = np.dot(np.ones((1, 2)), np.ones((2, 1)))
        """)
    impl = load(path, run_module_code=True)
    assert impl.module.VALUE.dtype == np.float32          # it ran, patched
    assert np.dot.__module__ != "nnfs.core" and np.zeros(1).dtype == np.float64
    assert any("nnfs.init()" in n and "numpy.dot" in n for n in impl.notes)


def test_a_missing_package_becomes_a_stand_in_named_once(tmp_path):
    path = write(tmp_path, "ch19.py", """\
        import os
        import cv2
        from no_such_package_here import something

        def load_mnist_dataset(path):
            return cv2.imread(path)

        class Layer_Dense:
            pass
        """)
    impl = load(path)
    assert isinstance(impl.module.cv2, MissingModule)
    assert "cv2 is not installed; load_mnist_dataset would need it" in impl.notes
    assert any(n.startswith("no_such_package_here is not installed") for n in impl.notes)
    with pytest.raises(ModuleNotFoundError, match="cv2 is not installed; load_mnist_dataset "
                                                   "needs it"):
        impl.module.load_mnist_dataset("x.png")


def test_a_syntax_error_after_the_last_definition_keeps_the_definitions(tmp_path):
    path = write(tmp_path, "ch15.py", """\
        import numpy as np

        class Layer_Dropout:
            def __init__(self, rate):
                self.rate = 1 - rate

        >>> dropout = Layer_Dropout(0.1)
        >>> print(dropout.rate)
        0.9
        """)
    impl = load(path)
    assert impl.module.Layer_Dropout(0.1).rate == pytest.approx(0.9)
    assert not impl.problems
    assert any("ch15.py, line 7: SyntaxError" in n and "lines 1-5" in n for n in impl.notes)


def test_a_syntax_error_inside_the_definitions_is_a_problem_of_the_file(tmp_path):
    path = write(tmp_path, "broken.py", """\
        class Layer_Dense:
            pass

        class Activation_ReLU(:
            pass

        class Activation_Softmax:
            pass
        """)
    impl = load(path)
    assert hasattr(impl.module, "Layer_Dense") and not hasattr(impl.module, "Activation_Softmax")
    assert impl.problems and "broken.py, line 4: SyntaxError" in impl.problems[0]


def test_a_file_that_does_not_parse_at_all_is_one_line_naming_file_and_line(tmp_path):
    path = write(tmp_path, "nothing.py", "def f(:\n")
    with pytest.raises(ImplLoadError) as error:
        load(path)
    message = str(error.value)
    assert "nothing.py, line 1" in message and "SyntaxError" in message and "\n" not in message


def test_an_exception_at_import_names_file_and_line(tmp_path):
    path = write(tmp_path, "raises.py", """\
        import numpy as np
        TABLE = np.zeros(3)[7]
        """)
    with pytest.raises(ImplLoadError) as error:
        load(path)
    assert "raises.py, line 2" in str(error.value) and "IndexError" in str(error.value)


def test_a_name_set_by_skipped_code_is_explained(tmp_path):
    path = write(tmp_path, "uses_data.py", """\
        from nnfs.datasets import spiral_data
        X, y = spiral_data(samples=10, classes=2)

        class Accuracy:
            SIZE = len(y)
        """)
    with pytest.raises(ImplLoadError, match=r"y is set by module-level code at line 2, which "
                                            r"was skipped; --run-module-code runs it"):
        load(path)


def test_paths_packages_and_dotted_names_resolve_from_the_given_directory(tmp_path):
    package = tmp_path / "mynet"
    package.mkdir()
    (package / "__init__.py").write_text("from .layers import Layer_Dense\n")
    (package / "layers.py").write_text("class Layer_Dense:\n    pass\n")
    assert hasattr(load(str(package)).module, "Layer_Dense")
    assert hasattr(load("mynet", cwd=str(tmp_path)).module, "Layer_Dense")
    assert hasattr(load("mynet/layers.py", cwd=str(tmp_path)).module, "Layer_Dense")
    (tmp_path / "sub").mkdir()
    with pytest.raises(ImplLoadError, match="no module named 'othernet'"):
        load("othernet", cwd=str(tmp_path))
    with pytest.raises(ImplLoadError, match="no such file"):
        load(str(tmp_path / "nowhere.py"))


def test_the_default_is_this_projects_numpy_impl():
    impl = load(None)
    assert impl.is_project and impl.module.__name__ == "numpy_impl"
    assert os.path.basename(os.path.dirname(impl.module.__file__)) == "numpy_impl"


def test_relative_imports_find_their_siblings_or_stand_in(tmp_path):
    """A file of a learner's package (`from .activations import ...`), given
    alone: siblings that are there are imported as in their project; a sibling
    that is not there stands in, and what needs it is not checked."""
    folder = tmp_path / "mynn"
    folder.mkdir()
    write(folder, "activations.py", """\
        import numpy as np

        class Activation_ReLU:
            def forward(self, inputs):
                self.output = np.maximum(0, inputs)
        """)
    path = write(folder, "losses.py", """\
        import numpy as np
        from .activations import Activation_ReLU
        from .helpers import one_hot
        from .base import Loss

        class Loss_MeanSquaredError(Loss):
            def forward(self, y_pred, y_true):
                return np.mean((y_true - y_pred) ** 2, axis=-1)

        class UsesHelper:
            def forward(self, y):
                return one_hot(y)
        """)
    impl = load(path)
    assert impl.module.Activation_ReLU.__module__ == "mynn.activations"
    assert any(n.startswith("the relative import .helpers (line 3) names no file in mynn/; "
                            "UsesHelper would need it") for n in impl.notes), impl.notes
    # A base class from a file that is not there: the class is still defined.
    mse = impl.module.Loss_MeanSquaredError()
    assert mse.forward(np.zeros((2, 3)), np.ones((2, 3))).tolist() == [1.0, 1.0]
    from nn_crosscheck.loader import MissingDependency
    with pytest.raises(MissingDependency, match=r"\.helpers\.one_hot could not be imported"):
        impl.module.UsesHelper().forward(np.array([0, 1]))


def test_a_package_of_the_learners_project_is_found_above_the_file(tmp_path):
    """`from mylib.base import Loss` in mylib/losses/mse.py, given alone: mylib is
    not installed, but the project's root above the file holds it."""
    (tmp_path / "mylib" / "losses").mkdir(parents=True)
    write(tmp_path / "mylib", "base.py", """\
        import numpy as np

        class Loss:
            def calculate(self, output, y):
                return np.mean(self.forward(output, y))
        """)
    path = write(tmp_path / "mylib" / "losses", "mse.py", """\
        import numpy as np
        from mylib.base import Loss

        class Loss_MeanSquaredError(Loss):
            def forward(self, y_pred, y_true):
                return np.mean((y_true - y_pred) ** 2, axis=-1)
        """)
    impl = load(path)
    assert any(n.startswith("mylib is not installed; imported it from ") for n in impl.notes)
    loss = impl.module.Loss_MeanSquaredError()
    assert loss.calculate(np.zeros((2, 2)), np.ones((2, 2))) == 1.0


def test_siblings_are_found_without_touching_sys_path_or_shadowing_the_tool(tmp_path):
    import sys
    write(tmp_path, "helpers.py", "SCALE = 0.5\n")
    write(tmp_path, "reference.py", "raise SystemExit('a learner file named like the tool')\n")
    path = write(tmp_path, "net.py", """\
        import reference
        from helpers import SCALE

        class Activation_Linear:
            def forward(self, inputs):
                self.output = SCALE * 2 * inputs
        """)
    before = list(sys.path)
    impl = load(path)
    assert sys.path == before
    assert impl.module.SCALE == 0.5
    assert hasattr(impl.module.reference, "layer_dense")     # the tool's own reference
