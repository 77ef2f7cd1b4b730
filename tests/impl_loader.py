"""Load the implementation under test: `numpy_impl`, a dotted module name, or a
path to a .py file, the way array-api-tests lets any array library be tested.

The book's chapter files call nnfs.init() at import time. It replaces np.dot
(float64 inside, float32 out), np.zeros, np.eye and np.random.randn for the whole
process, which would make every float64 check meaningless. The loader notices
the patch, restores NumPy's own functions and records a note saying so.
"""
import importlib
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass, field
from itertools import count

import numpy as np

DEFAULT = "numpy_impl"

# NumPy's own functions, taken when this module is first imported (before any
# implementation under test is). nnfs.init() replaces exactly these.
_PATCHABLE = ((np, "dot"), (np, "zeros"), (np, "eye"), (np.random, "randn"))
_PRISTINE = {(owner.__name__, name): getattr(owner, name) for owner, name in _PATCHABLE}
_unique = count()


class ImplLoadError(Exception):
    """The implementation could not be loaded; the message is for the user."""


@dataclass
class Implementation:
    module: object
    label: str                       # how the user named it: a file name or module
    notes: list = field(default_factory=list)

    def find(self, class_names):
        """The first of class_names the module defines, or None. None as well when
        class_names carries a `supports(cls)` test (tests/registry.py: a record of
        a later chapter's feature) and the class fails it."""
        for name in class_names:
            cls = getattr(self.module, name, None)
            if cls is not None:
                supports = getattr(class_names, "supports", None)
                return cls if supports is None or supports(cls) else None
        return None

    def missing(self, component):
        feature = getattr(component.class_names, "feature", "")
        return (f"{self.label} has no {' or '.join(component.class_names)}"
                + (f" {feature}" if feature else ""))


def undo_nnfs_patch():
    """Put back NumPy's functions if something replaced them; return their names."""
    restored = []
    for owner, name in _PATCHABLE:
        original = _PRISTINE[(owner.__name__, name)]
        if getattr(owner, name) is not original:
            setattr(owner, name, original)
            restored.append(f"{owner.__name__}.{name}")
    return restored


def _where_it_failed(exc, path):
    """'file.py, line N' for the deepest frame in the user's file, if any."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}, line {exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    if path:
        mine = [f for f in frames if os.path.abspath(f.filename) == os.path.abspath(path)]
        if mine:
            return f"{mine[-1].filename}, line {mine[-1].lineno}"
    outside = [f for f in frames if "importlib" not in f.filename
               and not f.filename.endswith("impl_loader.py")]
    if outside:
        return f"{outside[-1].filename}, line {outside[-1].lineno}"
    return "(unknown place)"


def load(spec=None):
    """Import the implementation named by `spec` (None means numpy_impl)."""
    spec = spec or DEFAULT
    is_path = spec.endswith(".py") or os.sep in spec or os.path.isfile(spec)
    path = os.path.abspath(spec) if is_path else None
    label = os.path.basename(spec.rstrip(os.sep)) if is_path else spec
    if is_path and os.path.isfile(os.path.join(path, "__init__.py")):
        # A package folder: import it under its own name from its parent folder.
        path = os.path.join(path, "__init__.py")
    elif is_path and not os.path.isfile(path):
        raise ImplLoadError(f"--impl {spec}: no such file ({path})")
    added_to_path = []
    try:
        if is_path:
            # Let the file import its neighbours, as it would when run directly.
            folder = os.path.dirname(path)
            if folder not in sys.path:
                sys.path.insert(0, folder)
                added_to_path.append(folder)
            name = f"_impl_under_test_{next(_unique)}"
            package_dir = os.path.dirname(path) if path.endswith("__init__.py") else None
            module_spec = importlib.util.spec_from_file_location(
                name, path, submodule_search_locations=[package_dir] if package_dir else None)
            module = importlib.util.module_from_spec(module_spec)
            sys.modules[name] = module
            module_spec.loader.exec_module(module)
        else:
            if os.getcwd() not in sys.path:
                sys.path.insert(0, os.getcwd())
                added_to_path.append(os.getcwd())
            module = importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        if not is_path and exc.name and spec.startswith(exc.name):
            raise ImplLoadError(f"--impl {spec}: no module named {exc.name!r} "
                                f"(give a dotted module name importable from "
                                f"{os.getcwd()}, or a path to a .py file)") from None
        raise ImplLoadError(f"--impl {spec}: importing it failed at "
                            f"{_where_it_failed(exc, path)}: "
                            f"{type(exc).__name__}: {exc}") from None
    except BaseException as exc:  # SyntaxError, SystemExit, anything the module raises
        if isinstance(exc, KeyboardInterrupt):
            raise
        detail = exc.msg if isinstance(exc, SyntaxError) else exc
        raise ImplLoadError(f"--impl {spec}: importing it failed at "
                            f"{_where_it_failed(exc, path)}: "
                            f"{type(exc).__name__}: {detail}") from None
    finally:
        for folder in added_to_path:
            if folder in sys.path:
                sys.path.remove(folder)
    implementation = Implementation(module, label)
    restored = undo_nnfs_patch()
    if restored:
        implementation.notes.append(
            f"{label} patched NumPy at import (nnfs.init()): restored "
            f"{', '.join(restored)} to NumPy's own so the float64 checks stay meaningful")
    return implementation
