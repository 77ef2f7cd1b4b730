"""The documented commands as a learner runs them: real processes, from
another directory, reading exit codes and output (the slow tier: each process
imports torch). Also the pytest plugin from a directory outside the repository,
and the same verdicts on every run."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(ROOT, "scripts")
VENV_BIN = os.path.dirname(sys.executable)

BAD_SOFTMAX = """
import numpy as np

class Activation_Softmax:
    def forward(self, inputs):
        e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = e / np.sum(e, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dinputs = self.output * (1 - self.output) * dvalues

class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0
"""


def run(*argv, cwd, timeout=600, env=None):
    return subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture
def learner(tmp_path):
    (tmp_path / "my_nn.py").write_text(BAD_SOFTMAX)
    return tmp_path


def test_scripts_compare_from_another_directory(learner):
    r = run(os.path.join(SCRIPTS, "compare"), "--impl", "my_nn.py", "--quiet", cwd=learner)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Activation_Softmax              DISAGREES    dinputs [float32, float64]" in r.stdout
    assert "Activation_ReLU                 agrees" in r.stdout
    # The summary starts with the failures, then the book's order.
    summary = r.stdout.split("== summary")[1].splitlines()[1:]
    assert summary[0].split()[0] == "Activation_Softmax"


@pytest.mark.parametrize("spelling", [["--impl", "my_nn.py"], ["--impl=my_nn.py"]])
def test_scripts_test_takes_both_spellings_from_another_directory(learner, spelling):
    r = run(os.path.join(SCRIPTS, "test"), *spelling, "-k", "Softmax or ReLU", cwd=learner)
    out = r.stdout
    assert r.returncode == 1, out[-3000:] + r.stderr
    assert "cross-check summary: my_nn.py vs torch" in out
    assert "Activation_Softmax              DISAGREES    dinputs" in out
    assert "[softmax-jacobian-diagonal-only]" in out
    # the failure in the learner's terms, not the harness's
    assert "to reproduce (paste into Python):" in out and "from my_nn import" in out
    for internal in ("impl = Implementation(", "component = Component(", "reproduce_failure",
                     "Traceback"):
        assert internal not in out, internal


def test_scripts_test_without_xdist(learner):
    r = run(os.path.join(SCRIPTS, "test"), "--impl", "my_nn.py", "-p", "no:xdist", "-k",
            "ReLU", cwd=learner)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    assert "Activation_ReLU                 agrees" in r.stdout


def test_usage_errors_are_one_line_with_exit_2(learner):
    for argv in ([os.path.join(SCRIPTS, "compare"), "--seed", "-1"],
                 [os.path.join(SCRIPTS, "test"), "--hypothesis-profile=nightly"],
                 [os.path.join(SCRIPTS, "test"), "--hypothesis-seed=-3"],
                 [os.path.join(SCRIPTS, "compare"), "--impl", "nowhere.py"]):
        r = run(*argv, cwd=learner)
        assert r.returncode == 2, (argv, r.stdout, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr


def test_nothing_checked_is_exit_3_for_both_commands(tmp_path):
    (tmp_path / "misnamed.py").write_text("class Activation_Relux:\n    pass\n")
    for script in ("compare", "test"):
        r = run(os.path.join(SCRIPTS, script), "--impl", "misnamed.py", cwd=tmp_path)
        assert r.returncode == 3, (script, r.stdout[-2000:], r.stderr)
        assert "Activation_Relux: did you mean Activation_ReLU" in r.stdout


def test_the_pytest_plugin_from_a_directory_outside_the_repository(learner):
    (learner / "test_mine.py").write_text("def test_my_own_thing():\n    assert 1 + 1 == 2\n")
    r = run(os.path.join(VENV_BIN, "pytest"), "-p", "no:cacheprovider", "--crosscheck=my_nn.py",
            "-k", "mine or Softmax", cwd=learner)
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr
    assert "test_mine.py::test_my_own_thing PASSED" in r.stdout or "1 passed" in r.stdout
    assert "cross-check summary: my_nn.py vs torch" in r.stdout
    assert "DISAGREES" in r.stdout


def test_same_command_same_verdicts(learner):
    """Two processes (different hash seeds) give the same verdicts, to the bit."""
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        r = run(os.path.join(SCRIPTS, "compare"), "--impl", "my_nn.py", "--json",
                cwd=learner, env=env)
        data = json.loads(r.stdout)
        outputs.append([(v["check"], v["quantity"], v["dtype"], v["outcome"], v["worst"],
                         v["diagnosis"]) for v in data["verdicts"]])
    assert outputs[0] == outputs[1]


def test_the_seed_changes_the_examples_and_the_same_seed_repeats_them(tmp_path):
    """Agreeing quantities report the largest difference seen over their
    examples: the same for the same seed, different for another one."""
    def largest(seed):
        r = run(os.path.join(SCRIPTS, "compare"), "--json", "--seed", seed, "--component",
                "Layer_Dense", "--dtype", "float64", cwd=tmp_path)
        return [v["worst_ratio"] for v in json.loads(r.stdout)["verdicts"]]
    assert largest("5") == largest("5")
    assert largest("5") != largest("0")


def test_train_compare_runs_as_the_readme_writes_it(tmp_path):
    r = run(os.path.join(SCRIPTS, "train_compare"), "--epochs", "50", "--out", "curves.png",
            cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "resynchronized every 5 epochs" in r.stdout


def test_python_dash_m_and_the_console_command(learner):
    for argv in ([sys.executable, "-m", "nn_crosscheck", "compare", "--impl", "my_nn.py",
                  "--component", "Activation_ReLU", "--quiet"],
                 [os.path.join(VENV_BIN, "nn-crosscheck"), "compare", "--impl", "my_nn.py",
                  "--component", "Activation_ReLU", "--quiet"]):
        r = run(*argv, cwd=learner)
        assert r.returncode == 0, r.stdout + r.stderr
        assert r.stdout.strip().splitlines()[-1].startswith("agrees:")


def test_plot_has_a_panel_for_every_compared_gradient(learner):
    r = run(os.path.join(SCRIPTS, "compare"), "--impl", "my_nn.py", "--plot", "report.png",
            "--quiet", cwd=learner)
    assert r.returncode == 1
    assert (learner / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "plot written to report.png" in r.stdout


def test_scripts_test_runs_the_cross_check_only_not_the_tests_where_it_is_called(learner):
    (learner / "test_theirs.py").write_text("def test_theirs():\n    assert False\n")
    r = run(os.path.join(SCRIPTS, "test"), "--impl", "my_nn.py", "-q", "-p", "no:xdist",
            cwd=learner)
    assert "test_theirs" not in r.stdout, r.stdout[-2000:]
    assert "Activation_Softmax" in r.stdout and r.returncode == 1
