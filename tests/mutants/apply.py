"""Apply a catalogued mistake to a copy of numpy_impl and load the copy."""
import os
import re
import shutil

from ..impl_loader import load

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "numpy_impl")


class PatchDoesNotApply(Exception):
    pass


def patched_copy(mistake, directory):
    """Write numpy_impl with `mistake` applied into directory/<package>; return its path."""
    package = "mistake_" + re.sub(r"\W", "_", mistake.name)
    target = os.path.join(directory, package)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__"))
    if mistake.old is not None:
        path = os.path.join(target, mistake.file)
        with open(path) as f:
            text = f.read()
        found = text.count(mistake.old)
        if found != 1:
            raise PatchDoesNotApply(
                f"mistake {mistake.name}: its 'old' text occurs {found} times in "
                f"numpy_impl/{mistake.file} (expected exactly once); update the catalogue")
        with open(path, "w") as f:
            f.write(text.replace(mistake.old, mistake.new))
    return target


def load_mistake(mistake, directory):
    """The Implementation of numpy_impl with `mistake` applied."""
    return load(patched_copy(mistake, directory))
