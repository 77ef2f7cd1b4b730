"""--impl: any implementation can be checked, whole, partial or empty, even one
that calls nnfs.init() at import; one that cannot be imported gets a clear usage
error naming the file and line."""
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from .impl_loader import ImplLoadError, load
from .registry import BY_NAME, REGISTRY
from .properties import judge
from .strategies import Case
from .suite import component_disagreement

pytestmark = pytest.mark.project

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOK_STYLE = os.path.join(ROOT, "tests", "fixtures", "book_chapter9_style.py")


def write(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ImplLoadError, match=r"--impl .*nowhere\.py: no such file"):
        load(str(tmp_path / "nowhere.py"))


def test_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "broken.py", "import numpy as np\n\nclass Layer_Dense(\n    pass\n")
    with pytest.raises(ImplLoadError) as error:
        load(path)
    assert "broken.py, line 3" in str(error.value) and "SyntaxError" in str(error.value)


def test_exception_at_import_names_file_and_line(tmp_path):
    path = write(tmp_path, "raises.py", """\
        import numpy as np
        x = np.zeros(3)
        y = x[7]
        """)
    with pytest.raises(ImplLoadError) as error:
        load(path)
    message = str(error.value)
    assert "raises.py, line 3" in message and "IndexError" in message
    assert "\n" not in message, "the usage error must fit on one line"


def test_unknown_module_name(tmp_path):
    with pytest.raises(ImplLoadError, match="no module named 'no_such_module_here'"):
        load("no_such_module_here")


def test_nnfs_patch_is_detected_undone_and_reported(tmp_path):
    path = write(tmp_path, "patched.py", """\
        import nnfs
        nnfs.init()
        from numpy_impl import Activation_ReLU
        """)
    impl = load(path)
    assert np.dot.__module__ != "nnfs.core" and np.random.randn(2).dtype == np.float64
    assert np.zeros(1).dtype == np.float64
    assert impl.notes and "nnfs.init()" in impl.notes[0] and "numpy.dot" in impl.notes[0]


def test_pytest_usage_error_for_a_broken_impl(tmp_path):
    path = write(tmp_path, "my_nn.py", "def f(:\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist",
                           f"--impl={path}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 4, done.stdout + done.stderr   # pytest's usage error
    assert "my_nn.py, line 1" in done.stderr and "Traceback" not in done.stderr


def test_a_partial_wrong_nnfs_patched_file_is_reported_plainly(tmp_path):
    """One real `pytest --impl=my_nn.py` run on a learner-like file: it calls
    nnfs.init(), has a correct ReLU, a softmax whose backward keeps only the
    Jacobian's diagonal, and no Layer_Dense."""
    partial = write(tmp_path, "my_nn.py", """\
        import nnfs
        import numpy as np
        from numpy_impl import Activation_ReLU
        nnfs.init()

        class Activation_Softmax:
            def forward(self, inputs):
                exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
                self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)

            def backward(self, dvalues):
                self.dinputs = self.output * (1 - self.output) * dvalues
        """)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", f"--impl={partial}",
         "tests/test_components.py", "-k",
         "Activation_ReLU-float64 or Activation_Softmax-float64 or Layer_Dense-float64"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert done.returncode == 1, out[-3000:]
    summary = out.split("cross-check summary: my_nn.py vs torch")[1]
    assert re.search(r"Activation_ReLU\s+agrees", summary), summary
    assert re.search(r"Activation_Softmax\s+DISAGREES\s+dinputs \[float64\]", summary), summary
    assert "[softmax-jacobian-diagonal-only]" in summary       # the diagnosis, named
    assert re.search(r"Layer_Dense\s+skipped\s+my_nn.py has no Layer_Dense", summary), summary
    assert "patched NumPy at import (nnfs.init())" in out
    # The failure itself: worst element, and the shrunk case ready to paste.
    assert "worst at" in out and "dvalues = np.array(" in out
    assert "Failing test case" in out or "Falsifying example" in out


def test_an_empty_file_says_nothing_was_checked(tmp_path):
    empty = write(tmp_path, "empty_nn.py", "import numpy as np\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", f"--impl={empty}",
         "tests/test_components.py"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout
    assert "Nothing was checked: empty_nn.py provides none of the book's classes" in done.stdout


def test_book_chapter_9_style_differs_from_torch_only_where_its_formulas_do():
    impl = load(BOOK_STYLE)
    assert any("nnfs.init()" in note for note in impl.notes)
    chapter_9 = [c for c in REGISTRY if impl.find(c.class_names) is not None]
    assert {c.name for c in chapter_9} == {
        "Layer_Dense", "Activation_ReLU", "Activation_Softmax", "Loss",
        "Loss_CategoricalCrossentropy", "Activation_Softmax_Loss_CategoricalCrossentropy"}
    # 25 examples per property here: the full 100 run on numpy_impl in the suite.
    failing = {c.name: component_disagreement(impl, c, max_examples=25) for c in chapter_9}
    failing = {name: found for name, found in failing.items() if found is not None}
    assert set(failing) == {"Loss_CategoricalCrossentropy",
                            "Activation_Softmax_Loss_CategoricalCrossentropy"}, failing
    # Reported as what they are, each shown on a case made for it:
    cce = BY_NAME["Loss_CategoricalCrossentropy"]
    cls = impl.find(cce.class_names)
    p = np.array([[0.0, 1.0], [0.5, 0.5]])          # a 0 for the correct class of row 0
    # - the book's gradient ignores its own clip (-1/0 where torch's clamp gives 0),
    message = judge(cls, cce, Case(np.float64, "clip", dict(y_pred=p, y_true=np.array([0, 1]))))
    assert "[cce-clip-ignored-in-backward]" in message, message
    # - its np.eye(labels)[y_true] turns a float32 gradient into float64,
    message = judge(cls, cce, Case(np.float32, "dtype", dict(
        y_pred=np.full((2, 2), 0.5, np.float32), y_true=np.array([0, 1]))))
    assert "has dtype float64" in message, message
    # - and -y_true wraps around for one-hot labels of an unsigned dtype (-1 -> 255).
    message = judge(cls, cce, Case(np.float64, "uint8", dict(
        y_pred=np.full((2, 2), 0.5), y_true=np.eye(2, dtype=np.uint8))))
    assert "is -255 times torch's" in message, message
    # Its combined loss is the clipped -log(softmax): wrong for extreme logits.
    combined = BY_NAME["Activation_Softmax_Loss_CategoricalCrossentropy"]
    logits = np.array([[0.0, 100.0], [1.0, 2.0]])
    message = judge(impl.find(combined.class_names), combined,
                    Case(np.float64, "extreme", dict(inputs=logits, y_true=np.array([0, 1]))))
    assert "[combined-loss-from-clipped-softmax]" in message, message
