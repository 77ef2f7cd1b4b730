"""The install path: `pip install .` into a fresh virtual environment gives the
console command, `python -m nn_crosscheck` and the pytest plugin, usable from a
directory outside the repository. (The slow tier. The dependencies are the
project venv's, made visible through a .pth file, so that torch is not copied
again; the project itself is built and installed from the repository.)"""
import os
import subprocess
import sys
import sysconfig

import pytest

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEARNER = """
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
        self.dbiases = np.mean(dvalues, axis=0, keepdims=True)     # the sum, in torch
        self.dinputs = np.dot(dvalues, self.weights.T)
"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    where = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = str(where / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                         "['purelib'])"], capture_output=True, text=True,
                          check=True).stdout.strip()
    with open(os.path.join(site, "project_dependencies.pth"), "w") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")
    # Build the wheel with the project's tools, install it in the fresh environment.
    wheels = tmp_path_factory.mktemp("wheels")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "--no-build-isolation", "--disable-pip-version-check", "--quiet",
                            "-w", str(wheels), ROOT], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = [str(p) for p in wheels.iterdir() if p.suffix == ".whl"]
    done = subprocess.run([python, "-m", "pip", "install", "--no-deps",
                           "--disable-pip-version-check", "--quiet", wheel],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return where


def test_pip_install_gives_the_command_the_module_and_the_plugin(venv, tmp_path):
    (tmp_path / "my_nn.py").write_text(LEARNER)
    (tmp_path / "test_mine.py").write_text("def test_mine():\n    assert True\n")
    bin_dir = venv / "bin"
    # installed, not the repository's copy
    where = subprocess.run([str(bin_dir / "python"), "-c", "import nn_crosscheck, numpy_impl; "
                            "print(nn_crosscheck.__file__, numpy_impl.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert str(venv) in where.stdout and ROOT not in where.stdout, where.stdout + where.stderr
    command = subprocess.run([str(bin_dir / "nn-crosscheck"), "compare", "--impl", "my_nn.py",
                              "--component", "Layer_Dense", "--quiet"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert command.returncode == 1, command.stdout + command.stderr
    assert "Layer_Dense" in command.stdout and "dbiases" in command.stdout
    module = subprocess.run([str(bin_dir / "python"), "-m", "nn_crosscheck", "compare",
                             "--impl", "my_nn.py", "--component", "Layer_Dense", "--json"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert module.returncode == 1 and '"dense-dbiases-mean"' in module.stdout
    plugin = subprocess.run([str(bin_dir / "python"), "-m", "pytest", "-p", "no:cacheprovider",
                             "--crosscheck=my_nn.py", "-k", "mine or Layer_Dense"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert plugin.returncode == 1, plugin.stdout[-3000:] + plugin.stderr
    assert "test_mine.py ." in plugin.stdout or "1 passed" in plugin.stdout
    assert "Layer_Dense                     DISAGREES    dbiases" in plugin.stdout
    alone = subprocess.run([str(bin_dir / "python"), "-m", "pytest", "-p", "no:cacheprovider"],
                           cwd=tmp_path,
                           capture_output=True, text=True)
    assert alone.returncode == 0 and "cross-check" not in alone.stdout, alone.stdout
