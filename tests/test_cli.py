"""The command line as documented: exit codes 0 / 1 / 2 / 3, the same --impl
spellings for both commands, --quiet and --json, one-line usage errors, and a
dotted module name resolved from where the command runs. In-process (main(argv))
where the process boundary does not matter; the real processes are the slow
tier (test_commands.py)."""
import json
import os
import textwrap

import pytest

from nn_crosscheck import cli
from nn_crosscheck.cli import main

BAD_RELU = """
import numpy as np

class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs < 0] = 0      # should be <= 0
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "bad_relu.py").write_text(BAD_RELU)
    (tmp_path / "misnamed.py").write_text("class Activation_Relux:\n    pass\n\n"
                                          "class Layer_Dens:\n    pass\n")
    (tmp_path / "broken.py").write_text("class Layer_Dense(:\n    pass\n")
    package = tmp_path / "mypackage"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "net.py").write_text(BAD_RELU)
    return tmp_path


def compare(capsys, *argv):
    status = main(["compare", "--examples", "3", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_agreeing_quantities_exit_0_with_one_line_each(capsys):
    status, out, err = compare(capsys, "--component", "Activation_ReLU", "--dtype", "float64")
    assert status == 0, out + err
    assert "output [float64]  agrees" in out and "dinputs [float64]  agrees" in out
    assert out.strip().splitlines()[-1].startswith("agrees: all ")


def test_a_disagreement_exits_1_and_names_it(files, capsys):
    status, out, err = compare(capsys, "--impl", str(files / "bad_relu.py"))
    assert status == 1
    assert "dinputs [float64]  DISAGREES only at a kink (both are subgradients)" in out
    assert "[relu-gradient-at-zero]" in out and "to reproduce (paste into Python):" in out
    assert out.strip().splitlines()[-1] == \
        "DISAGREES: Activation_ReLU (dinputs) -- bad_relu.py vs torch"


def test_nothing_checked_exits_3_with_the_closest_book_names(files, capsys):
    status, out, err = compare(capsys, "--impl", str(files / "misnamed.py"))
    assert status == 3
    assert "Nothing was checked: misnamed.py has none of the book's classes" in out
    assert "Layer_Dens: did you mean Layer_Dense" in out
    assert "Activation_Relux: did you mean Activation_ReLU" in out


@pytest.mark.parametrize("argv,needle", [
    (["--impl", "no_such_file.py"], "no such file"),
    (["--impl", "{tmp}/broken.py"], "SyntaxError"),
    (["--no-such-option"], "unrecognized arguments"),
    (["--seed", "-1"], "expected a whole number >= 0"),
    (["--examples", "0"], "expected a whole number >= 1"),
    (["--component", "Nonsense"], "unknown component 'Nonsense'"),
    (["--plot", "/no/such/folder/x.png"], "cannot write there"),
])
def test_usage_errors_exit_2_with_one_line(files, capsys, argv, needle):
    status, out, err = compare(capsys, *[a.replace("{tmp}", str(files)) for a in argv])
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nn-crosscheck compare: ") and needle in lines[0]


def test_an_unknown_profile_is_a_usage_error_for_both_commands(capsys, monkeypatch):
    assert main(["test", "--hypothesis-profile=nightly"]) == 2
    assert "not a profile" in capsys.readouterr().err
    monkeypatch.setenv("CROSSCHECK_PROFILE", "nightly")
    assert main(["compare", "--component", "Loss"]) == 2
    assert "CROSSCHECK_PROFILE='nightly' is not a profile" in capsys.readouterr().err


def test_quiet_prints_the_summary_only(files, capsys):
    status, out, err = compare(capsys, "--impl", str(files / "bad_relu.py"), "--quiet")
    assert status == 1
    assert "to reproduce" not in out and "== summary: bad_relu.py vs torch" in out
    assert len(out.splitlines()) < 30


def test_json_has_one_object_per_check_quantity_and_dtype(files, capsys):
    status, out, err = compare(capsys, "--impl", str(files / "bad_relu.py"), "--json")
    data = json.loads(out)
    assert status == 1 and data["exit_status"] == 1 and data["implementation"] == "bad_relu.py"
    bad = [v for v in data["verdicts"] if v["outcome"] == "DISAGREES"]
    assert {(v["check"], v["quantity"]) for v in bad} == {("Activation_ReLU", "dinputs")}
    v = bad[0]
    assert len(v["worst"]["index"]) == 2 and v["worst"]["torch"] == 0.0
    assert v["worst"]["yours"] != 0.0 and v["regime"].startswith("only at a kink")
    assert v["worst"]["allowed"] > 0 and "[relu-gradient-at-zero]" in " ".join(v["diagnosis"])
    assert "reproduction" in v and "Activation_ReLU()" in v["reproduction"]
    assert {"check", "outcome", "counts"} <= set(data["summary"][0])


def test_both_commands_take_the_same_impl_spellings(files):
    parser = cli.test_parser()
    for argv in (["--impl", "my_nn.py"], ["--impl=my_nn.py"]):
        args, rest = parser.parse_known_args(argv + ["-x"])
        assert args.impl == "my_nn.py" and rest == ["-x"]


def test_a_dotted_module_name_is_resolved_from_the_current_directory(files, capsys,
                                                                     monkeypatch):
    monkeypatch.chdir(files)
    status, out, err = compare(capsys, "--impl", "mypackage.net", "--component",
                               "Activation_ReLU", "--dtype", "float64")
    assert status == 1, out + err
    assert "mypackage.net vs torch" in out


def test_every_script_the_readme_names_exists_and_runs_as_written():
    """The README names scripts as `scripts/NAME` (run directly: executable) or
    `scripts/NAME.py` (run with the venv's python): each must be there."""
    import os
    import re
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "README.md")) as f:
        readme = f.read()
    named = set(re.findall(r"scripts/([A-Za-z_]+(?:\.py)?)", readme))
    assert {"compare", "test", "train_compare"} <= named
    for name in named:
        path = os.path.join(root, "scripts", name)
        assert os.path.isfile(path), f"README names scripts/{name}, which is not there"
        if not name.endswith(".py"):
            assert os.access(path, os.X_OK), f"scripts/{name} is not executable"
