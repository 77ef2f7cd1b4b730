"""The layout's rules, read from the source: imports flow one way
(numpy_impl <- reference <- nn_crosscheck <- scripts), nobody edits sys.path,
and no test module imports another (shared test data lives in tests/corpus/ and
tests/fixtures/, which are not test modules)."""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# what each top-level part must not import
FORBIDDEN = {
    "numpy_impl": {"reference", "nn_crosscheck", "tests", "scripts"},
    "reference": {"numpy_impl", "nn_crosscheck", "tests", "scripts"},
    "nn_crosscheck": {"tests", "scripts"},
}


def python_files(part):
    for path in sorted((ROOT / part).rglob("*.py")):
        if {"corpus", "fixtures", "__pycache__"} & set(path.relative_to(ROOT).parts):
            continue          # learners' files, some deliberately broken
        yield path


def imported_modules(path, source=None):
    """The absolute dotted names a file imports, relative imports resolved; for
    `from M import N`, M.N (N may be a module or a name in M)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    source = path.read_text() if source is None else source
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module
            # each name may itself be a module (from tests import test_cli)
            yield from (f"{module}.{alias.name}" for alias in node.names)


def test_the_helper_reads_imports_as_python_does():
    source = ("import numpy_impl.layers\nfrom . import components\n"
              "from .optimizers import x\nfrom nn_crosscheck import y\n"
              "from ..tests import test_cli\n")
    assert list(imported_modules(ROOT / "reference" / "probe.py", source)) == [
        "numpy_impl.layers", "reference.components", "reference.optimizers.x",
        "nn_crosscheck.y", "tests.test_cli"]


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_imports_flow_one_way(part):
    wrong = [f"{path.relative_to(ROOT)} imports {module}"
             for path in python_files(part) for module in imported_modules(path)
             if module.split(".")[0] in FORBIDDEN[part]]
    assert not wrong, "\n".join(wrong)


def test_no_test_module_imports_another():
    wrong = [f"{path.relative_to(ROOT)} imports {module}"
             for path in python_files("tests") for module in imported_modules(path)
             if module.split(".")[-1].startswith("test_") or module.startswith("tests.test_")]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("part", ["numpy_impl", "reference", "nn_crosscheck", "scripts"])
def test_nothing_edits_sys_path(part):
    wrong = [str(path.relative_to(ROOT)) for path in python_files(part)
             if any(isinstance(node, ast.Attribute) and node.attr == "path"
                    and isinstance(node.value, ast.Name) and node.value.id == "sys"
                    for node in ast.walk(ast.parse(path.read_text())))]
    assert not wrong, "sys.path used in: " + ", ".join(wrong)
