"""Name the mistake: the suite's diagnosis of a disagreeing quantity, checked on
implementations that are wrong in known ways that the catalogue does not list
(a constant factor, a sign, a transpose, float32 arithmetic, a float64 result,
NaN where torch is finite) and on one that is wrong in no known way.

Every catalogue entry is also named: see tests/test_mutants.py."""
import textwrap

import pytest

from .impl_loader import load
from .registry import BY_NAME
from .suite import first_disagreement

pytestmark = pytest.mark.project

# Each: a subclass of a numpy_impl class that spoils one quantity after the
# correct computation, and words the diagnosis must contain.
WRONG = {
    "sign": ("Layer_Dense", "self.dweights = -self.dweights", "wrong SIGN"),
    "factor 2": ("Layer_Dense", "self.dweights = 2 * self.dweights", "is 2 times torch's"),
    "times batch": ("Activation_Softmax_Loss_CategoricalCrossentropy",
                    "self.dinputs = self.dinputs * len(self.dinputs)",
                    "not divided by the batch size"),
    "over batch": ("Layer_Dense", "self.dbiases = self.dbiases / len(dvalues)",
                   "divided once too often"),
    "transposed": ("Layer_Dense", "self.dweights = np.ascontiguousarray(self.dweights.T)",
                   "TRANSPOSED"),
    "float32 arithmetic": ("Layer_Dense",
                           "self.dinputs = np.dot(dvalues.astype(np.float32), "
                           "self.weights.T.astype(np.float32)).astype(dvalues.dtype)",
                           "only to float32 precision"),
    "float64 result": ("Activation_Softmax", "self.dinputs = self.dinputs.astype(np.float64)",
                       "has dtype float64 where torch's is float32"),
    "nan": ("Activation_Softmax",
            "self.dinputs = self.dinputs.copy(); self.dinputs.flat[0] = np.nan",
            "NaN or inf where torch's is finite"),
    "unknown": ("Activation_Softmax", "self.dinputs = self.dinputs + 1e-3",
                "no known mistake matches"),
}


def spoiled_module(tmp_path, name, class_name, statement):
    source = textwrap.dedent(f"""
        import numpy as np
        from numpy_impl import *
        import numpy_impl

        class {class_name}(numpy_impl.{class_name}):
            def backward(self, dvalues, *args):
                super().backward(dvalues, *args)
                {statement}
        """)
    path = tmp_path / f"spoiled_{name.replace(' ', '_')}.py"
    path.write_text(source)
    return str(path)


@pytest.mark.parametrize("name", list(WRONG))
def test_diagnosis_names_the_relation(tmp_path, name):
    class_name, statement, words = WRONG[name]
    impl = load(spoiled_module(tmp_path, name, class_name, statement))
    found = first_disagreement(impl, [BY_NAME[class_name]])
    assert found is not None, f"the suite missed the spoiled {class_name} ({name})"
    diagnoses = [line for line in found.message.splitlines() if "diagnosis:" in line]
    assert diagnoses, found.message
    assert any(words in line for line in diagnoses), found.message
    if name == "unknown":
        assert len(diagnoses) == 1, "claimed a diagnosis for an unknown bug"


def test_comparison_script_names_each_catalogued_mistake(tmp_path, capsys):
    """scripts/compare_gradients.py, run on each mistake's component with its demo
    case, exits 1 and names the mistake (when the demo case shows it at all)."""
    from .mutants.apply import patched_copy
    from .mutants.catalogue import all_mistakes
    from .report import load_compare_script
    script = load_compare_script()
    # Registry components only: the script has no optimizer sections (optimizer
    # mistakes are named by tests/test_optimizers.py).
    mistakes = [m for m in all_mistakes() if m.component in BY_NAME]
    unnamed, shown = [], 0
    for mistake in mistakes:
        path = patched_copy(mistake, str(tmp_path))
        statuses = []
        for dtype in ("float64", "float32"):
            status = script.main([f"--impl={path}", "--component", mistake.component,
                                  "--dtype", dtype])
            out = capsys.readouterr().out
            statuses.append(status)
            if status == 1:
                break
        if status == 1:
            shown += 1
            if f"[{mistake.name}]" not in out:
                unnamed.append((mistake.name, out[-1500:]))
        else:
            assert statuses == [0, 0], (mistake.name, statuses)
    assert not unnamed, unnamed
    assert shown >= 0.8 * len(mistakes), f"only {shown} mistakes show on the demo cases"
