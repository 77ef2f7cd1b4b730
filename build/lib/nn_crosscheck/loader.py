"""Load the implementation under test: `numpy_impl`, a dotted module name, a
package folder or a .py file, the way array-api-tests lets any array library be
tested.

A learner's file is a script as much as a library: the book's chapter files
create data, train for thousands of epochs, print and plot at module level, and
call nnfs.init(). By default the loader imports a file for its DEFINITIONS only
(`definitions_only`): imports, functions, classes, constants and aliases run;
statements that compute with the file's own objects, loops, prints, plots and
data loading do not. It says once which lines it skipped.

More of what a learner's file may do, and what the loader does about it:
- `import cv2` (or any package that is not installed) at module level, used
  only inside functions: the name is bound to a stand-in that raises a clear
  error if it is ever used, and a note says which functions would need it.
- a syntax error after the last definition (a pasted `>>>` session): reported
  with its line; the definitions before it are checked.
- nnfs.init() (with --run-module-code, or inside a definition that runs at
  import): it patches NumPy for the whole process; the loader restores NumPy's
  own functions and notes it.
"""
import ast
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from itertools import count

import numpy as np

DEFAULT = "numpy_impl"
SLOW_IMPORT = 1.0     # seconds: an import slower than this is reported

# NumPy's own functions, taken when this module is first imported (before any
# implementation under test is). nnfs.init() replaces exactly these.
_PATCHABLE = ((np, "dot"), (np, "zeros"), (np, "eye"), (np.random, "randn"))
_PRISTINE = {(owner.__name__, name): getattr(owner, name) for owner, name in _PATCHABLE}
_unique = count()


class ImplLoadError(Exception):
    """The implementation could not be loaded; the message is for the user (one line)."""


@dataclass
class Implementation:
    """The module under test and what the loader has to say about it."""
    module: object
    label: str                     # how the user named it: a file name or a module name
    path: str = ""                 # the file, when there is one
    import_name: str = ""          # the name a reproduction imports it by
    notes: list = field(default_factory=list)     # said once, in every report
    problems: list = field(default_factory=list)  # errors in the file itself (a syntax error)
    skipped_names: dict = field(default_factory=dict)  # name -> line of skipped code binding it
    seconds: float = 0.0           # import time
    skipped_code: bool = False     # module-level code was skipped (importing it would run it)

    @property
    def is_project(self):
        return self.label == DEFAULT


# ---------------------------------------------------------------- NumPy patches
def undo_nnfs_patch():
    """Put back NumPy's functions if something replaced them; return their names."""
    restored = []
    for owner, name in _PATCHABLE:
        original = _PRISTINE[(owner.__name__, name)]
        if getattr(owner, name) is not original:
            setattr(owner, name, original)
            restored.append(f"{owner.__name__}.{name}")
    return restored


# ---------------------------------------------------------------- where an error happened
def where(exc, path=None):
    """'file.py, line N' for the deepest frame in the user's file (or, without a
    path, the deepest frame outside this package and importlib)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{os.path.basename(exc.filename)}, line {exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    if path:
        mine = [f for f in frames if os.path.abspath(f.filename) == os.path.abspath(path)]
        if mine:
            return f"{os.path.basename(mine[-1].filename)}, line {mine[-1].lineno}"
    here = os.path.dirname(os.path.abspath(__file__))
    outside = [f for f in frames if "importlib" not in f.filename
               and not os.path.abspath(f.filename).startswith(here)]
    if outside:
        return f"{os.path.basename(outside[-1].filename)}, line {outside[-1].lineno}"
    return "(unknown place)"


# ---------------------------------------------------------------- definitions only
# Callables whose result is a plain constant: an assignment calling only these
# (on constants) is a definition, e.g. EPSILON = np.float32(1e-7).
_PURE_BUILTINS = {"float", "int", "str", "bool", "tuple", "list", "dict", "set", "frozenset",
                  "range", "len", "abs", "min", "max", "round", "complex", "bytes", "object",
                  "staticmethod", "classmethod", "property", "type", "getattr", "sorted",
                  "zip", "enumerate", "reversed", "isinstance", "issubclass", "callable",
                  "namedtuple", "defaultdict", "OrderedDict", "dataclass", "field",
                  "TypeVar", "NamedTuple"}
_PURE_MODULES = {"np", "numpy", "math", "typing", "collections", "dataclasses", "enum",
                 "functools", "itertools", "operator", "abc", "os.path", "decimal", "fractions"}
# ... except these, which read files, draw random numbers or change global state.
_IMPURE = {"load", "loadtxt", "genfromtxt", "fromfile", "save", "savez", "seed", "set_printoptions",
           "seterr", "random", "rand", "randn", "randint", "normal", "uniform", "binomial",
           "choice", "shuffle", "permutation", "listdir", "walk", "makedirs",
           "mkdir", "remove", "system"}


def _dotted(node):
    """'np.random.randn' for an attribute chain, '' for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


class _Purity(ast.NodeVisitor):
    """Is an expression a definition (constants, names of things already defined,
    arithmetic on them, calls of pure library functions)?"""

    def __init__(self, defined_here):
        self.defined_here = defined_here
        self.pure = True

    def visit_Call(self, node):
        name = _dotted(node.func)
        root, _, rest = name.rpartition(".")
        last = name.rsplit(".", 1)[-1]
        if not name or last in _IMPURE:
            self.pure = False
        elif "." not in name:
            # A bare call: a builtin constructor, or a class or function of the
            # file itself (creating objects, running code: not a definition).
            if name not in _PURE_BUILTINS:
                self.pure = False
        elif name.split(".")[0] not in _PURE_MODULES and root not in _PURE_MODULES:
            self.pure = False
        self.generic_visit(node)

    def visit_Name(self, node):
        # A name the file's definitions have not bound (and no builtin): set by
        # code that was skipped, so this statement cannot run without it.
        if isinstance(node.ctx, ast.Load) and node.id not in self.defined_here \
                and not hasattr(builtins, node.id):
            self.pure = False

    def visit_Lambda(self, node):
        pass                          # a lambda's body runs later: it is a definition

    def visit_comprehension(self, node):
        self.pure = False             # loops over data: not a definition

    def visit_Await(self, node):
        self.pure = False

    visit_Yield = visit_YieldFrom = visit_NamedExpr = visit_Await


def _is_pure(expr, defined_here):
    checker = _Purity(defined_here)
    checker.visit(expr)
    return checker.pure


def _bound_names(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for t in target.elts for n in _bound_names(t)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def _kind(stmt):
    """A few words for what a skipped statement is, for the note."""
    if isinstance(stmt, (ast.For, ast.While, ast.AsyncFor)):
        return "loop"
    if isinstance(stmt, ast.If) and _is_main_guard(stmt):
        return "__main__ block"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        name = _dotted(stmt.value.func)
        if name == "print":
            return "print"
        if name.startswith(("plt.", "pyplot.", "matplotlib.")):
            return "plot"
        if name == "nnfs.init" or name == "init":
            return "nnfs.init()"
        return "call"
    if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        value = stmt.value
        if isinstance(value, ast.Call):
            name = _dotted(value.func)
            if name.endswith(("_data", "data_mnist", "mnist_dataset")) or "load" in name:
                return "data loading"
        return "assignment"
    return type(stmt).__name__.lower()


def _is_main_guard(stmt):
    test = stmt.test
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__")


def _plural(word, n):
    if n == 1:
        return f"1 {word}"
    return f"{n} {word}es" if word.endswith(("h", "s")) else f"{n} {word}s"


@dataclass
class Filtered:
    tree: ast.Module
    skipped: list            # (first line, last line, kind) of each skipped statement
    bound_by_skipped: dict   # name -> line


def definitions_only(tree):
    """The module's definitions: imports, defs, classes, docstrings and
    assignments of pure expressions (see _Purity), and `if`/`try` blocks made only
    of those. Everything else is dropped and listed."""
    kept, skipped, bound = [], [], {}
    defined = set()

    def keep(stmt):
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                             ast.AsyncFunctionDef, ast.ClassDef, ast.Pass, ast.Global)):
            return True
        if isinstance(stmt, ast.Expr):
            return isinstance(stmt.value, ast.Constant)        # a docstring
        if isinstance(stmt, ast.Assign):
            return (all(_bound_names(t) and not isinstance(t, (ast.Attribute, ast.Subscript))
                        for t in stmt.targets) and _is_pure(stmt.value, defined))
        if isinstance(stmt, ast.AnnAssign):
            return (isinstance(stmt.target, ast.Name)
                    and (stmt.value is None or _is_pure(stmt.value, defined)))
        if isinstance(stmt, ast.If):
            return not _is_main_guard(stmt) and _is_pure(stmt.test, defined) and all(
                keep(s) for s in stmt.body + stmt.orelse)
        if isinstance(stmt, ast.Try):
            return all(keep(s) for s in stmt.body + stmt.orelse + stmt.finalbody) and all(
                keep(s) for h in stmt.handlers for s in h.body)
        return False

    for stmt in tree.body:
        if keep(stmt):
            kept.append(stmt)
            for node in ast.walk(stmt) if not isinstance(
                    stmt, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) else [stmt]:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                    defined.add(node.name)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    defined.add(node.id)
                elif isinstance(node, ast.alias):
                    defined.add((node.asname or node.name).split(".")[0])
        elif isinstance(stmt, ast.If) and _is_main_guard(stmt):
            continue              # does not run on import anyway: not worth a mention
        else:
            skipped.append((stmt.lineno, getattr(stmt, "end_lineno", stmt.lineno), _kind(stmt)))
            targets = []
            if isinstance(stmt, ast.Assign):
                targets = [n for t in stmt.targets for n in _bound_names(t)]
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
                targets = _bound_names(stmt.target)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):
                targets = _bound_names(stmt.target)
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    targets.append(node.id)
            for name in targets:
                bound.setdefault(name, stmt.lineno)
    return Filtered(ast.Module(body=kept, type_ignores=[]), skipped, bound)


def describe_skipped(label, skipped):
    """'my_nn.py: skipped module-level code at lines 197-255 (training loop, 6 prints)'."""
    if not skipped:
        return ""
    spans = []
    for first, last, _ in skipped:
        if spans and first <= spans[-1][1] + 3:       # blank lines and comments between
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    where_ = ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans[:6])
    if len(spans) > 6:
        where_ += ", ..."
    kinds = {}
    for _, _, kind in skipped:
        kinds[kind] = kinds.get(kind, 0) + 1
    words = []
    for kind, n in kinds.items():
        if kind == "loop":
            words.append("training loop" if n == 1 else f"{n} loops")
        elif kind in ("print", "plot", "call", "assignment"):
            words.append(_plural(kind, n))
        else:
            words.append(kind if n == 1 else f"{kind} x{n}")
    return (f"{label}: skipped module-level code at line{'s' if len(spans) > 1 or spans[0][0] != spans[0][1] else ''} "
            f"{where_} ({', '.join(words)}); --run-module-code runs it")


# ---------------------------------------------------------------- missing packages
class MissingDependency(ModuleNotFoundError):
    """Raised when a stand-in for a module that could not be imported is used:
    what needed it is not checked (it is not the user's mistake)."""


class MissingModule:
    """Stands in for a module that is not installed. Using it raises an error
    that says so (any attribute, any call)."""

    def __init__(self, name, users, why="is not installed"):
        self.__dict__["_name"] = name
        self.__dict__["_users"] = users
        self.__dict__["_why"] = why

    def _fail(self, what):
        users = f"; {', '.join(self._users)} need{'s' if len(self._users) == 1 else ''} it" \
            if self._users else ""
        raise MissingDependency(f"{self._name} {self._why}{users} ({what})",
                                name=self._name)

    def __getattr__(self, attribute):
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        self._fail(f"{self._name}.{attribute} was used")

    def __call__(self, *args, **kwargs):
        self._fail(f"{self._name}() was called")

    def __repr__(self):
        return f"<stand-in for {self._name}, which {self._why}>"

    def __mro_entries__(self, bases):
        # `class Loss_MSE(Loss)` where Loss came from the missing module: the class
        # is still defined (on object), so what it defines itself can be checked;
        # what it would inherit is missing, and reported as not checked.
        return (object,)


def _installed(module_name):
    top = module_name.split(".")[0]
    if top in sys.modules:
        return True
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def _users_of(tree, names):
    """Top-level functions and classes whose body mentions any of `names`."""
    users = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(stmt)):
                users.append(stmt.name)
    return users


def _relative_target_exists(folder, level, module, name=None):
    """Does `from <level dots><module> import name` find a file next to `folder`?"""
    base = folder
    for _ in range(level - 1):
        base = os.path.dirname(base)
    parts = [p for p in (module or "").split(".") if p] + ([name] if name else [])
    if not parts:
        return True
    target = os.path.join(base, *parts)
    return os.path.isfile(target + ".py") or os.path.isdir(target)


def stand_in_missing_imports(tree, namespace, folder=None):
    """Replace top-level imports of packages that are not installed (and relative
    imports of files that are not there) by stand-ins bound in `namespace`;
    return notes (one per package) and the modified tree."""
    notes, body = [], []
    for stmt in tree.body:
        missing = []
        if isinstance(stmt, ast.ImportFrom) and stmt.level > 0 and folder is not None:
            if stmt.module is None:
                missing = [a for a in stmt.names
                           if not _relative_target_exists(folder, stmt.level, None, a.name)]
                kept = [a for a in stmt.names if a not in missing]
            else:
                found = _relative_target_exists(folder, stmt.level, stmt.module)
                missing, kept = ([], stmt.names) if found else (stmt.names, [])
            if kept:
                body.append(ast.copy_location(
                    ast.ImportFrom(module=stmt.module, names=kept, level=stmt.level), stmt))
            if not missing:
                continue
            where = "." * stmt.level + (stmt.module or "")
            label = os.path.basename(folder) or folder
            bindings = {(a.asname or a.name): f"{where}.{a.name}".replace("..", ".")
                        if stmt.module else f"{where}{a.name}" for a in missing}
            users = _users_of(tree, set(bindings))
            for local, full in bindings.items():
                namespace[local] = MissingModule(
                    full, users, f"could not be imported (no such file in {label}/)")
            used = (f"; {', '.join(users)} would need it" if users
                    else "; nothing in the file's definitions uses it")
            notes.append(f"the relative import {where} (line {stmt.lineno}) names no file in "
                         f"{label}/{used}")
            continue
        if isinstance(stmt, ast.Import):
            missing = [a for a in stmt.names if not _installed(a.name)]
            present = [a for a in stmt.names if _installed(a.name)]
            bindings = {(a.asname or a.name.split(".")[0]): a.name for a in missing}
            if present:
                body.append(ast.copy_location(ast.Import(names=present), stmt))
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module \
                and not _installed(stmt.module):
            missing = stmt.names
            bindings = {(a.asname or a.name): f"{stmt.module}.{a.name}" for a in missing}
        else:
            body.append(stmt)
            continue
        if not missing:
            continue
        users = _users_of(tree, set(bindings))
        for local, full in bindings.items():
            package = full.split(".")[0]
            namespace[local] = MissingModule(package, users)
            used = (f"; {', '.join(users)} would need it" if users
                    else "; nothing in the file's definitions uses it")
            note = f"{package} is not installed{used}"
            if note not in notes:
                notes.append(note)
    return notes, ast.Module(body=body, type_ignores=[])


# ---------------------------------------------------------------- syntax errors
def parse_what_parses(source, path):
    """(tree, problem): the whole file, or, when it does not parse, its longest
    prefix that does (ending at a top-level statement), with the syntax error."""
    try:
        return ast.parse(source, filename=path), None
    except SyntaxError as error:
        first_error = error
    lines = source.splitlines(keepends=True)
    bad = (first_error.lineno or len(lines)) - 1
    # Back off to the start of the top-level statement holding the error: the
    # last line before it that starts at column 0 and is not a continuation.
    for end in range(bad, 0, -1):
        line = lines[end] if end < len(lines) else ""
        if line[:1].strip() and not line.startswith((")", "]", "}", "#")):
            try:
                return ast.parse("".join(lines[:end]), filename=path), (first_error, end)
            except SyntaxError:
                continue
    return None, (first_error, 0)


# ---------------------------------------------------------------- load
def _resolve(spec, cwd):
    is_path = spec.endswith(".py") or os.sep in spec or os.path.exists(os.path.join(cwd, spec))
    if not is_path:
        return None, spec
    path = os.path.abspath(os.path.join(cwd, spec))
    if os.path.isdir(path):
        if not os.path.isfile(os.path.join(path, "__init__.py")):
            raise ImplLoadError(f"--impl {spec}: a folder, but not a package (no __init__.py)")
        return path, spec
    if not os.path.isfile(path):
        raise ImplLoadError(f"--impl {spec}: no such file ({path})")
    return path, spec


# Modules the tool itself stands on: a learner's file of the same name never replaces them.
_OURS = {"nn_crosscheck", "reference", "numpy_impl", "numpy", "torch", "hypothesis", "pytest",
         "nnfs"}


class UserFolders(importlib.abc.MetaPathFinder):
    """While a learner's file is imported: its folder (and its project's folders)
    are searched first for the modules it imports, as when they run it there,
    without touching the interpreter's search path."""

    def __init__(self, folders):
        self.folders = folders

    def find_spec(self, name, path=None, target=None):
        if path is not None or name.split(".")[0] in _OURS or not self.folders:
            return None           # a submodule: its package's own path finds it
        return importlib.machinery.PathFinder.find_spec(name, list(self.folders))


def load(spec=None, *, run_module_code=False, cwd=None):
    """Import the implementation named by `spec` (None means numpy_impl).

    spec: a path to a .py file or a package folder (relative to `cwd`, default
    the current directory) or a dotted module name importable from `cwd`.
    """
    spec = spec or DEFAULT
    cwd = os.path.abspath(cwd or os.getcwd())
    path, label = _resolve(spec, cwd)
    started = time.perf_counter()
    notes, problems, skipped_names = [], [], {}
    added_to_path = []
    finder = UserFolders(added_to_path)
    sys.meta_path.insert(0, finder)
    try:
        if path and os.path.isdir(path):
            module, import_name = _import_package(path, added_to_path)
            label = os.path.basename(path.rstrip(os.sep))
        elif path:
            module, import_name = _import_file(path, run_module_code, notes, problems,
                                               skipped_names, added_to_path)
            label = os.path.basename(path)
        else:
            added_to_path.append(cwd)
            module, import_name = importlib.import_module(spec), spec
    except ImplLoadError:
        raise
    except ModuleNotFoundError as exc:
        if not path and exc.name and spec.startswith(exc.name):
            raise ImplLoadError(f"--impl {spec}: no module named {exc.name!r} (give a dotted "
                                f"module name importable from {cwd}, or a path to a "
                                f".py file)") from None
        raise ImplLoadError(f"--impl {spec}: importing it failed at {where(exc, path)}: "
                            f"{type(exc).__name__}: {exc}") from None
    except BaseException as exc:     # SyntaxError, SystemExit, anything the module raises
        if isinstance(exc, KeyboardInterrupt):
            raise
        detail = exc.msg if isinstance(exc, SyntaxError) else exc
        hint = ""
        if isinstance(exc, NameError) and getattr(exc, "name", None) in skipped_names:
            hint = (f" ({exc.name} is set by module-level code at line "
                    f"{skipped_names[exc.name]}, which was skipped; --run-module-code runs it)")
        raise ImplLoadError(f"--impl {spec}: importing it failed at {where(exc, path)}: "
                            f"{type(exc).__name__}: {detail}{hint}") from None
    finally:
        sys.meta_path.remove(finder)
    seconds = time.perf_counter() - started
    implementation = Implementation(module, label, path or "", import_name, notes, problems,
                                    skipped_names, seconds,
                                    skipped_code=any(n.startswith(f"{label}: skipped module-level")
                                                     for n in notes))
    restored = undo_nnfs_patch()
    if restored:
        implementation.notes.append(
            f"{label} patched NumPy at import (nnfs.init()): restored {', '.join(restored)} "
            f"to NumPy's own so the float64 checks stay meaningful")
    if seconds > SLOW_IMPORT:
        implementation.notes.append(f"importing {label} took {seconds:.1f} s")
    return implementation


def _import_package(path, added_to_path):
    parent, name = os.path.split(path.rstrip(os.sep))
    added_to_path.append(parent)
    return importlib.import_module(name), name


def _import_file(path, run_module_code, notes, problems, skipped_names, added_to_path):
    """Execute the file as a fresh module: its definitions only, unless
    run_module_code. Neighbouring files stay importable, as when run directly."""
    folder = os.path.dirname(path)
    added_to_path.append(folder)
    label = os.path.basename(path)
    with open(path, "rb") as f:
        raw = f.read()
    source = raw.decode("utf-8", errors="replace")
    name = f"_impl_under_test_{next(_unique)}"
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
    module.__file__ = path
    sys.modules[name] = module
    tree, problem = parse_what_parses(source, path)
    if problem is not None:
        error, line = problem
        if tree is None or not any(isinstance(s, (ast.ClassDef, ast.FunctionDef))
                                   for s in tree.body):
            raise error
        last = max((s.end_lineno for s in tree.body), default=0)
        after_definitions = not _has_definitions_after(source, error.lineno)
        text = (f"{label}, line {error.lineno}: SyntaxError: {error.msg}; "
                f"checked the definitions before it (lines 1-{last})")
        if after_definitions:
            notes.append(text + " (nothing is defined after it)")
        else:
            problems.append(text + "; the rest of the file could not be read")
    if not run_module_code:
        filtered = definitions_only(tree)
        tree = filtered.tree
        skipped_names.update(filtered.bound_by_skipped)
        described = describe_skipped(label, filtered.skipped)
        if described:
            notes.append(described)
    _find_own_packages(tree, folder, added_to_path, notes)
    levels = [s.level for s in tree.body if isinstance(s, ast.ImportFrom) and s.level > 0]
    if levels:
        _as_package_member(module, folder, max(levels), added_to_path)
    missing_notes, tree = stand_in_missing_imports(tree, module.__dict__, folder)
    notes.extend(missing_notes)
    code = compile(tree, path, "exec")
    exec(code, module.__dict__)
    import_name = os.path.splitext(label)[0]
    return module, import_name


def _find_own_packages(tree, folder, added_to_path, notes, depth=4):
    """`from src.losses import Loss` in a file of the learner's project: a package
    that is not installed but sits in a folder above the file (their project's
    root) is imported from there, as it is when they run their code."""
    wanted = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            wanted += [a.name for a in stmt.names]
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            wanted.append(stmt.module)
    for dotted in dict.fromkeys(wanted):
        top = dotted.split(".")[0]
        if _installed(top):
            continue
        parts = dotted.split(".")
        base = os.path.dirname(folder)
        for _ in range(depth):
            # the whole dotted path must be there (src/losses/loss.py), not merely a
            # folder of that name (/lib)
            target = os.path.join(base, *parts)
            if os.path.isfile(target + ".py") or os.path.isfile(
                    os.path.join(target, "__init__.py")):
                added_to_path.append(base)
                importlib.invalidate_caches()
                note = (f"{top} is not installed; imported it from {base} (the folder "
                        f"above the file that holds it)")
                if note not in notes:
                    notes.append(note)
                break
            parent = os.path.dirname(base)
            if parent == base:
                break
            base = parent


def _as_package_member(module, folder, levels, added_to_path):
    """A file with relative imports (`from .layers import Layer_Dense`) is read as
    a member of the package its folder makes (with or without __init__.py), so
    that its siblings import as they do in its own project."""
    parts, base = [], folder
    for _ in range(levels):
        parts.insert(0, os.path.basename(base))
        base = os.path.dirname(base)
    if not all(p.isidentifier() for p in parts):
        return
    added_to_path.append(base)
    module.__package__ = ".".join(parts)


def _has_definitions_after(source, line):
    """Does a `def` or `class` start at the beginning of a line after `line`?"""
    for text in source.splitlines()[line:]:
        if text.startswith(("def ", "class ", "async def ")):
            return True
    return False
