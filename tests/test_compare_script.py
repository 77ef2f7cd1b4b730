"""scripts/compare_gradients.py, the side-by-side report, run as a learner runs it:
in a subprocess, reading its exit status and its output. Plus the table
formatting of tests/report.py in-process (it must never hide a bad element).

Few subprocess runs: each full report imports torch (~2 s)."""
import os
import subprocess
import sys

import numpy as np
import pytest

from .report import block, judge, load_compare_script

pytestmark = pytest.mark.project

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "scripts", "compare_gradients.py")

# numpy_impl, except a ReLU whose backward lets the gradient through at x == 0
# (torch gives 0 there). Everything else is the correct implementation.
BROKEN_RELU = '''
import numpy as np
from numpy_impl import *  # noqa: F401,F403  the correct classes


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs < 0] = 0      # should be <= 0
'''


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, SCRIPT, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_correct_implementation_agrees_and_plots(tmp_path):
    png = tmp_path / "report.png"
    r = run("--plot", str(png))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    lines = r.stdout.splitlines()
    assert "DISAGREE" not in r.stdout
    assert any(line.startswith("all ") and "agree with torch" in line for line in lines[-3:])
    # Every section was run, on both sides.
    for title in ("== Layer_Dense ", "== spiral network", "== single neuron"):
        assert any(line.startswith(title) for line in lines), title
    assert "NumPy" in r.stdout and "torch" in r.stdout
    assert png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_broken_relu_is_named_and_exits_1(tmp_path, capsys):
    (tmp_path / "broken_relu.py").write_text(BROKEN_RELU)
    # In-process (main(argv)): the exit codes and one-line errors of the real
    # process are covered by the subprocess tests above and below.
    status = load_compare_script().main(["--impl", str(tmp_path / "broken_relu.py")])
    r = subprocess.CompletedProcess([], status, capsys.readouterr().out, "")
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr
    last = r.stdout.splitlines()[-1]
    assert last.startswith("DISAGREE: Activation_ReLU (dinputs)"), last
    # Only ReLU is blamed: the correct classes imported from numpy_impl agree.
    summary = r.stdout.split("== summary ")[1].splitlines()
    relu = [s for s in summary if s.split()[:1] == ["Activation_ReLU"]]
    dense = [s for s in summary if s.split()[:1] == ["Layer_Dense"]]
    assert relu and "DISAGREE" in relu[0] and "dinputs" in relu[0], summary
    assert dense and "agree" in dense[0], summary
    # The disagreeing element is shown: the demo puts inputs[0, 0] exactly at 0.
    worst = [s for s in r.stdout.splitlines() if s.strip().startswith("[0, 0]")
             and s.rstrip().endswith("WORST")]
    assert worst, "the worst element of ReLU dinputs is not shown"
    assert worst[0].split()[3] == "0.0", worst[0]         # torch's value there


@pytest.mark.parametrize("args,needle", [
    (["--impl", "no_such_file.py"], "no such file"),
    (["--impl", "{tmp}/syntax_error.py"], "SyntaxError"),
    (["--no-such-option"], "unrecognized arguments"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path, args, needle):
    (tmp_path / "syntax_error.py").write_text("class Layer_Dense(:\n    pass\n")
    r = run(*[a.replace("{tmp}", str(tmp_path)) for a in args], cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("compare_gradients: ") and needle in lines[0], lines[0]


# ---------------------------------------------------------------- tests/report.py
def test_long_array_shows_the_disagreeing_elements_and_counts_the_rest():
    theirs = np.linspace(-1, 1, 200).reshape(100, 2)
    yours = theirs.copy()
    yours[57, 1] += 1e-3          # the worst, in the middle of the array
    yours[80, 0] += 1e-6
    q = judge("Demo", "dinputs", yours, theirs, np.ones_like(theirs), np.float64)
    assert not q.ok
    text = "\n".join(block(q, np.float64))
    rows = {line.split("]")[0].strip() + "]": line for line in text.splitlines()
            if line.strip().startswith("[")}
    assert rows["[57, 1]"].rstrip().endswith("WORST")
    assert rows["[80, 0]"].rstrip().endswith("x")
    assert str(yours[57, 1]) in rows["[57, 1]"] and str(theirs[57, 1]) in rows["[57, 1]"]
    assert "2 of 200 elements differ" in text
    # The elided stretches say how many elements they hold: shown + hidden = 200.
    hidden = sum(int(line.split()[1]) for line in text.splitlines()
                 if line.strip().startswith("..."))
    assert hidden + len(rows) == 200
    assert max(len(line) for line in text.splitlines()) < 80


def test_disagreeing_gradient_gets_the_finite_differences_opinion(tmp_path, capsys):
    (tmp_path / "diagonal_softmax.py").write_text(
        "import numpy as np\n"
        "from numpy_impl import *  # noqa: F401,F403\n\n\n"
        "class Activation_Softmax:\n"
        "    def forward(self, inputs):\n"
        "        e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))\n"
        "        self.output = e / np.sum(e, axis=1, keepdims=True)\n\n"
        "    def backward(self, dvalues):\n"
        "        self.dinputs = self.output * (1 - self.output) * dvalues\n")
    status = load_compare_script().main(["--impl", str(tmp_path / "diagonal_softmax.py"),
                                         "--component", "Activation_Softmax"])
    out = " ".join(capsys.readouterr().out.split())
    assert status == 1
    assert "third opinion: Activation_Softmax dinputs: finite differences side with torch" in out
    assert "[softmax-jacobian-diagonal-only]" in out
