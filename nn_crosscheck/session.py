"""A session drives the user's classes through one check on one case.

Every call into the user's code goes through it, so that:
- names bind (nn_crosscheck/binding.py): the user's class, attribute, method and
  keyword names play the book's parts;
- an exception in the user's code becomes an ERROR for the quantities that call
  was to produce, with the user's file and line and the call that was made;
  later calls on the same object are "not run", other objects go on, so one
  failure never hides another;
- a missing method or setting makes its quantities "not checked", saying what
  was looked for;
- a quantity is read from the book's attribute (or an alias), or, when the
  method returns it without setting the attribute, from the return value (and
  a note says so);
- every call is written down: the transcript is the reproduction a learner can
  paste, and says which call raised;
- the arguments are copies: writing into them is detected.

    s = Session(binder, implementation, case)
    layer = s.make("Layer_Dense", 3, 2)
    s.set(layer, "weights", s.arg("weights"))
    s.call(layer, "forward", s.arg("inputs"), produces=["output"])
    s.call(layer, "backward", s.arg("dvalues"), produces=["dweights", "dbiases", "dinputs"])
    s.results   # {quantity: Produced | Raised | Skipped}
"""
import inspect
import io
import re

import warnings
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field

import numpy as np

from .binding import (EXTRA_ARGUMENT_KINDS, argument_of, normalized, signature_of,
                      signature_parameters)
from .loader import MissingDependency, where
from .verdicts import UserError


@dataclass
class Produced:
    value: object
    note: str = ""          # e.g. "returned by forward() (it sets no .output)"


@dataclass
class Raised:
    error: UserError


@dataclass
class Skipped:
    reason: str             # "no backward()", "not run: forward() raised", ...


# Arguments the book's methods take with a default that its own callers leave out.
BOOK_OPTIONAL = {"reinit": False, "includeregularization": False}

MODULE_NAMES = {"np": "import numpy as np", "numpy": "import numpy",
                "math": "import math", "nnfs": "import nnfs"}


class StandIn:
    """An object the tool makes with the book's attribute names, for a class the
    file does not have (a layer for its optimizer). The user's code reading
    another name from it is a binding to declare, not an error of theirs."""


class NotApplicable(Exception):
    """A setting or method the check needs is not there: what remains of the run
    is not checked (the message says why)."""


class _Stop(Exception):
    """The run cannot go on (the object it needs raised or is missing)."""


VARIABLE_NAMES = {
    "Layer_Dense": "layer", "Layer_Dropout": "dropout", "Layer_Input": "input_layer",
    "Activation_Softmax_Loss_CategoricalCrossentropy": "loss_activation",
    "Model": "model", "Accuracy_Categorical": "accuracy", "Accuracy_Regression": "accuracy",
    "Accuracy": "accuracy",
}


def variable_for(role):
    if role in VARIABLE_NAMES:
        return VARIABLE_NAMES[role]
    if role.startswith("Activation_"):
        return "activation"
    if role.startswith("Loss"):
        return "loss_function"
    if role.startswith("Optimizer_"):
        return "optimizer"
    return role.lower()


@dataclass
class Handle:
    """One of the user's objects in the session."""
    role: str
    obj: object
    var: str                   # its name in the transcript
    cls_name: str
    broken: str = ""           # why later calls on it cannot run


@dataclass
class Session:
    binder: object
    implementation: object
    case: object
    results: dict = field(default_factory=dict)     # quantity -> Produced/Raised/Skipped
    transcript: list = field(default_factory=list)  # lines of Python
    given: dict = field(default_factory=dict)       # argument name -> the copy handed out
    names: dict = field(default_factory=dict)       # id(array) -> its name in the transcript
    extra_arrays: dict = field(default_factory=dict)  # name -> array (not from the case)
    watched: dict = field(default_factory=dict)     # name -> copies of extra arrays handed out
    overrides: dict = field(default_factory=dict)   # case arrays the run found to differ
    #                                                 (a dropout mask read back), for torch
    used_classes: dict = field(default_factory=dict)  # user's class name -> role
    printed: list = field(default_factory=list)     # what the user's code printed
    notes: list = field(default_factory=list)
    _vars: dict = field(default_factory=dict)
    last_error: UserError = None    # the latest exception from the user's code
    last_return: object = None      # what the latest call returned
    steps: list = field(default_factory=list)       # (first line, end, quantities) per step

    # -------------------------------------------------------------- values
    def arg(self, name):
        """A fresh copy of the case's array `name`, for one call. Writing into it
        does not change the case; `changed()` reports it."""
        copy = np.array(self.case.arrays[name], copy=True)
        self.given.setdefault(name, []).append(copy)
        self.names[id(copy)] = name
        return copy

    def value(self, name, array, watch=False):
        """A value that is not a case array (e.g. torch's softmax given as dvalues),
        named for the transcript. watch: hand out a copy and report writes into it."""
        self.extra_arrays[name] = np.array(array, copy=True)
        if watch:
            array = np.array(array, copy=True)
            self.watched.setdefault(name, []).append(array)
        self.names[id(array)] = name
        return array

    def override(self, name, array):
        """torch is to use `array` as the case's `name` (see DropoutDraws)."""
        self.overrides[name] = array

    def changed(self):
        """Names of the arrays handed out that the implementation wrote into."""
        changed = []
        for name, copies in self.given.items():
            original = self.case.arrays[name]
            if any(not np.array_equal(c, original, equal_nan=True) for c in copies):
                changed.append(name)
        for name, copies in self.watched.items():
            original = self.extra_arrays[name]
            if any(not np.array_equal(c, original, equal_nan=True) for c in copies):
                changed.append(name)
        return changed

    # -------------------------------------------------------------- transcript
    def _text(self, value):
        if isinstance(value, Handle):
            return value.var
        if isinstance(value, np.ndarray):
            name = self.names.get(id(value))
            if name is None:
                name = f"array_{len(self.extra_arrays) + 1}"
                self.value(name, value)
            return name
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, (list, tuple)) and any(isinstance(v, (np.ndarray, Handle))
                                                    for v in value):
            inner = ", ".join(self._text(v) for v in value)
            return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
        return repr(value)

    def _call_text(self, target, args, kwargs):
        parts = [self._text(a) for a in args] + [f"{k}={self._text(v)}" for k, v in kwargs.items()]
        return f"{target}({', '.join(parts)})"

    def _shapes(self, args):
        shapes = [f"{self._text(a)}: {a.dtype} {a.shape}" for a in args
                  if isinstance(a, np.ndarray) and a.ndim]
        return f"  # {', '.join(shapes)}" if shapes else ""

    # -------------------------------------------------------------- calling the user's code
    def _run_user(self, function, args, kwargs, line, produces, handle=None, stateful=True):
        """function(*args, **kwargs), turning an exception into Raised results."""
        self.transcript.append(line)
        output = io.StringIO()
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"), redirect_stdout(output):
                warnings.simplefilter("ignore")
                result = function(*args, **kwargs)
        except (KeyboardInterrupt, SystemExit):
            raise
        except AttributeError as exc:
            stand_in = getattr(exc, "obj", None)
            if not isinstance(stand_in, StandIn):
                self._raised(exc, line, produces, handle, stateful)
            book = ", ".join(n for n in vars(stand_in) if not n.startswith("_"))
            raise NotApplicable(
                f"{line.split('(')[0].strip()}() reads .{exc.name} of the layer this tool made "
                f"with the book's attribute names ({book}); say which of them it is: "
                f"--bind Layer_Dense.<book name>={exc.name} (or NN_CROSSCHECK)") from None
        except MissingDependency as exc:
            # Their code needs a module that could not be imported: not checked.
            if handle is not None and stateful:
                handle.broken = f"not run: {exc}"
            raise NotApplicable(str(exc)) from None
        except BaseException as exc:
            self._raised(exc, line, produces, handle, stateful)
        finally:
            if output.getvalue():
                self.printed.append(output.getvalue())
        return result

    def _raised(self, exc, line, produces, handle, stateful):
        """Their code raised: an ERROR for every quantity the call produces, the
        object marked broken (if the call changes it), and this step stopped."""
        error = self._user_error(exc, line)
        self.last_error = error
        for quantity in produces:
            self.results.setdefault(quantity, Raised(error))
        if handle is not None and stateful:
            handle.broken = f"not run: {line.split('(')[0]}() raised before it"
        raise _Stop() from None

    def _user_error(self, exc, line):
        path = getattr(self.implementation, "path", "")
        hint = ""
        skipped = getattr(self.implementation, "skipped_names", {})
        if isinstance(exc, NameError) and getattr(exc, "name", None) in skipped:
            hint = (f"{exc.name} is set by module-level code at line {skipped[exc.name]}, which "
                    f"was skipped; --run-module-code runs it")
        elif isinstance(exc, NameError) and getattr(exc, "name", None) in MODULE_NAMES:
            hint = f"the file uses {exc.name} without `{MODULE_NAMES[exc.name]}`"
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return UserError(type=type(exc).__name__, message=message[:300],
                         where=where(exc, path), call=line.strip(), hint=hint)

    def make(self, role, *args, settings=None, var=None, produces=(), derive=None):
        """Construct the user's class for `role`. settings: the book's keyword
        arguments ({"rho": 0.9}); a setting the class cannot take raises
        NotApplicable. derive: (cls -> (subclass, its source text)) to construct
        a subclass instead (e.g. a Loss whose forward hands back given values).
        Returns a Handle."""
        binding = self.binder.find(role)
        if binding is None:
            raise NotApplicable(f"no {role}")
        cls = binding.obj
        name = binding.name
        if derive is not None:
            cls, text = derive(cls)
            self.transcript.append(text)
            self.used_classes[binding.name] = role
            name = cls.__name__
        kwargs = {}
        for book_name, value in (settings or {}).items():
            theirs = self.binder.keyword(cls, role, book_name)
            if theirs is None:
                raise NotApplicable(f"{binding.name}() takes no {book_name}")
            kwargs[theirs or book_name] = value
        var = var or self._variable(role)
        self.used_classes[binding.name] = role
        line = f"{var} = " + self._call_text(name, args, kwargs)
        obj = self._run_user(cls, args, kwargs, line, produces)
        return Handle(role, obj, var, binding.name)

    def wrap(self, role, obj, var):
        """A Handle for an object the user's code made (e.g. a model's layer)."""
        return Handle(role, obj, var, type(obj).__name__)

    def _variable(self, role):
        base = variable_for(role)
        n = self._vars.get(base, 0) + 1
        self._vars[base] = n
        return base if n == 1 else f"{base}{n}"

    def has(self, handle, method):
        return self.binder.method(handle.obj, handle.role, method) is not None

    def call(self, handle, method, *args, produces=(), returns=None, stateful=True,
             optional=False, training=None, extras=None, raising=(), **book_kwargs):
        """handle.method(*args, **book_kwargs) with the user's names.

        produces: quantities read after the call from the object's attributes of
          the same book names (or the return value, when the method returns it and
          sets no attribute); returns: a quantity that IS the return value.
        training: passed as training=... when the method takes it.
        extras: {"learning_rate": x, "iteration": t}: values for arguments the
          user's method requires beyond the book's (update_params(layer, lr)).
        optional: a missing method makes `produces` not checked without
          stopping the run (a method nothing later depends on).
        raising: more quantities that are an ERROR if this call raises.
        """
        wanted = list(produces) + ([returns] if returns else []) + list(raising)
        if handle.broken:
            for q in wanted:
                self.results.setdefault(q, Skipped(handle.broken))
            if optional or not stateful:
                return None
            raise _Stop()
        name = self.binder.method(handle.obj, handle.role, method)
        if name is None:
            reason = f"{handle.cls_name} has no {method}()"
            for q in wanted:
                self.results.setdefault(q, Skipped(reason))
            if optional or not stateful:
                return None
            handle.broken = f"not run: {reason}"
            raise _Stop()
        function = getattr(handle.obj, name)
        kwargs = self._keywords(handle, function, method, book_kwargs)
        args, kwargs = self._fill(handle, function, name, args, kwargs, training, extras or {})
        line = self._call_text(f"{handle.var}.{name}", args, kwargs) + self._shapes(args)
        result = self._run_user(function, _unwrap(args), _unwrap(kwargs), line, wanted, handle,
                                stateful)
        self.last_return = result
        if returns:
            self.results.setdefault(returns, Produced(result))
        for quantity in produces:
            self.read(handle, quantity, returned=result, method=name)
        return result

    def attempt(self, handle, method, *args, **kwargs):
        """A call the run can do without (priming a backward with a forward): True
        when it ran; when it raises, nothing is recorded or written down, and False."""
        length = len(self.transcript)
        try:
            self.call(handle, method, *args, stateful=False, optional=True, **kwargs)
            return True
        except (_Stop, NotApplicable):
            del self.transcript[length:]
            self.last_error = None
            return False

    def call_function(self, handle, *args, produces=(), returns=None, raising=(), **kwargs):
        """handle.obj(*args, **kwargs) for a book function (not a method)."""
        wanted = list(produces) + ([returns] if returns else []) + list(raising)
        line = self._call_text(handle.var, args, kwargs) + self._shapes(args)
        self.used_classes[handle.cls_name] = handle.role
        result = self._run_user(handle.obj, _unwrap(args), _unwrap(kwargs), line, wanted)
        if returns:
            self.results.setdefault(returns, Produced(result))
        self.last_return = result
        return result

    def _keywords(self, handle, function, method, book_kwargs):
        kwargs = {}
        for book_name, value in book_kwargs.items():
            theirs = self.binder.keyword(function, handle.role, book_name)
            if theirs is None:
                raise NotApplicable(f"{handle.cls_name}.{method}() takes no {book_name}")
            kwargs[theirs or book_name] = value
        return kwargs

    def _fill(self, handle, function, name, args, kwargs, training, extras):
        """Add `training` where the method takes it, and the extras its required
        parameters ask for (by their names); refuse what cannot be supplied."""
        parameters = signature_parameters(function)
        if parameters is None:
            return args, kwargs
        parameters = [p for p in parameters.values()
                      if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY,
                                                           p.POSITIONAL_OR_KEYWORD)]
        rest = positional[len(args):]
        kwargs = dict(kwargs)
        if training is not None:
            for p in parameters:
                if normalized(p.name) in ("training", "istraining", "train") \
                        and p.name not in kwargs and p not in positional[:len(args)]:
                    kwargs[p.name] = training
        for p in rest + [p for p in parameters if p.kind is p.KEYWORD_ONLY]:
            if p.default is not inspect.Parameter.empty or p.name in kwargs:
                continue
            kind = next((k for k, names in EXTRA_ARGUMENT_KINDS.items()
                         if normalized(p.name) in {normalized(n) for n in names}), None)
            if kind is not None and kind in extras:
                kwargs[p.name] = extras[kind]
                self.notes.append(f"{handle.cls_name}.{name}() takes {p.name}: given the "
                                  f"book loop's {'learning rate' if kind == 'learning_rate' else 'step counter'}")
                continue
            if normalized(p.name) in BOOK_OPTIONAL:
                # the book's method has a default there and its callers leave it out
                kwargs[p.name] = BOOK_OPTIONAL[normalized(p.name)]
                self.notes.append(f"{handle.cls_name}.{name}() requires {p.name}, which the "
                                  f"book's callers leave out (its default: "
                                  f"{kwargs[p.name]!r}): given {kwargs[p.name]!r}")
                continue
            raise NotApplicable(f"{handle.cls_name}.{name}() requires {p.name}, which the "
                                f"book's call does not give (declare it: see the README, "
                                f"'Binding')")
        args, kwargs = self._by_name(handle, name, positional, args, kwargs)
        signature = signature_of(function)
        try:
            if signature is not None:
                signature.bind(*args, **kwargs)
        except TypeError as exc:
            call = self._call_text(f"{handle.var}.{name}", args, kwargs)
            raise NotApplicable(f"{handle.cls_name}.{name}{signature} cannot be called as the "
                                f"book calls it ({call}): {exc}") from None
        return args, kwargs

    def _by_name(self, handle, name, positional, args, kwargs):
        """Arguments the method names in another order (forward(y_true, y_pred))
        are passed by name, and said so."""
        given = [self.names.get(id(a)) for a in args]
        if len(args) < 2 or None in given or len(positional) < len(args):
            return args, kwargs
        wanted = [argument_of(p.name) for p in positional[:len(args)]]
        book = ["y_pred" if g in ("y_pred", "dvalues") else g for g in given]
        if None in wanted or wanted == book or sorted(wanted) != sorted(book):
            return args, kwargs
        by_book = dict(zip(book, args))
        kwargs = dict(kwargs)
        for p, w in zip(positional[:len(args)], wanted):
            kwargs[p.name] = by_book[w]
        note = (f"{handle.cls_name}.{name}() takes "
                f"({', '.join(p.name for p in positional[:len(args)])}): the arguments are "
                f"passed by name")
        if note not in self.notes:
            self.notes.append(note)
        return (), kwargs

    def produce(self, quantity, value, note=""):
        """Record a quantity the run computed from several calls (a trajectory)."""
        self.results.setdefault(quantity, Produced(value, note))

    def skip(self, quantity, reason):
        self.results.setdefault(quantity, Skipped(reason))

    @contextmanager
    def quiet(self):
        """Calls made inside are not written down one by one (a loop of steps: the
        run writes the loop itself)."""
        length = len(self.transcript)
        try:
            yield
        finally:
            failed = self.last_error is not None and any(
                isinstance(r, Raised) for r in self.results.values())
            kept = self.transcript[length:]
            del self.transcript[length:]
            if failed and kept:
                self.transcript.append(f"# ... then, at the step that raised:\n{kept[-1]}")

    # -------------------------------------------------------------- attributes
    def set(self, handle, attribute, value):
        """handle.<attribute> = value, under the user's name for it."""
        name = self.binder.attribute(handle.obj, handle.role, attribute,
                                     existing_only=False) or attribute
        self.transcript.append(f"{handle.var}.{name} = {self._text(value)}")
        setattr(handle.obj, name, _unwrap(value))
        return name

    def get(self, handle, attribute):
        """The user's value for a book attribute, or None if it has none."""
        name = self.binder.attribute(handle.obj, handle.role, attribute)
        return None if name is None else getattr(handle.obj, name)

    def read(self, handle, quantity, attribute=None, returned=None, method=""):
        """Record a produced quantity: the attribute, else the return value."""
        attribute = attribute or quantity
        name = self.binder.attribute(handle.obj, handle.role, attribute)
        if name is not None:
            try:
                value = getattr(handle.obj, name)
            except Exception as exc:      # a property that raises
                self.results.setdefault(quantity, Raised(self._user_error(
                    exc, f"{handle.var}.{name}")))
                return
            self.transcript.append(f"print({handle.var}.{name})  # {quantity}")
            self.results.setdefault(quantity, Produced(value))
        elif returned is not None and quantity in ("output", "dinputs"):
            note = f"{handle.cls_name}.{method}() returns its {quantity} (it sets no .{quantity})"
            self.notes.append(note)
            self.results.setdefault(quantity, Produced(returned, note))
        else:
            self.results.setdefault(quantity, Produced(None))

    # -------------------------------------------------------------- running
    def step(self, quantities, function):
        """Run `function()` as a step of its own: if it raises or lacks something,
        `quantities` say so and the run goes on with the next step."""
        self.last_error = None
        start = len(self.transcript)
        try:
            function()
        except _Stop:
            self._unresolved(quantities)
        except NotApplicable as exc:
            for q in quantities:
                self.results.setdefault(q, Skipped(str(exc)))
        finally:
            self.steps.append((start, len(self.transcript), tuple(quantities)))

    def _unresolved(self, quantities, reason=None):
        """After a stop: a quantity that depended on a constructor that raised is
        an ERROR too; one after a failed call is not run."""
        error = self.last_error
        for q in quantities:
            if q in self.results:
                continue
            if reason is not None:
                self.results[q] = Skipped(reason)
            elif error is not None and " = " in error.call.split("(")[0]:
                self.results[q] = Raised(error)
            elif error is not None:
                self.results[q] = Skipped(f"not run: {error.call.split('  #')[0]} raised "
                                          f"before it")
            else:
                self.results[q] = Skipped("not run: an earlier step is missing")

    def execute(self, run, quantities):
        """Run a record's `run(session, case)`; every quantity ends up with a result."""
        self.last_error = None
        try:
            run(self, self.case)
        except _Stop:
            self._unresolved(quantities)
        except NotApplicable as exc:
            self._unresolved(quantities, str(exc))
        self._unresolved(quantities, "not produced by this run")
        return self.results

    def reproduction(self, quantity=None, torch_value=None):
        """Python to paste: imports, the arrays, the calls (of the step that made
        `quantity`, when the run has steps), and torch's value."""
        impl = self.implementation
        lines = list(self.transcript)
        if quantity is not None and self.steps:
            mine = [(a, b) for a, b, qs in self.steps if quantity in qs]
            others = [(a, b) for a, b, qs in self.steps if quantity not in qs]
            if mine:
                lines = [line for i, line in enumerate(self.transcript)
                         if not any(a <= i < b for a, b in others)]
        used = " ".join(lines)
        head = ["import numpy as np"]
        classes = sorted(c for c in self.used_classes if re.search(rf"\b{re.escape(c)}\b", used))
        if classes:
            module = getattr(impl, "import_name", "") or "my_nn"
            path = getattr(impl, "path", "")
            if path and (getattr(impl, "skipped_code", False) or not module.isidentifier()):
                # importing the file would run its training loop (or its name is not a
                # Python name): take its definitions only, as the check did
                head.append(f"from nn_crosscheck import definitions  # the file's classes, "
                            f"without its module-level code")
                head.append(f"my_nn = definitions({path!r})")
                head += [f"{c} = my_nn.{c}" for c in classes]
            else:
                head.append(f"from {module} import {', '.join(classes)}")
        arrays = [(n, self.case.arrays[n]) for n in self.given] + list(self.extra_arrays.items())
        for name, array in arrays:
            if re.search(rf"\b{re.escape(name)}\b", used):
                head.append(f"{name} = {array_text(array)}")
        if quantity is not None and torch_value is not None:
            lines.append(f"# torch's {quantity}: {array_text(np.asarray(torch_value))}")
        return "\n".join(head + lines)


def _unwrap(value):
    """Handles become the user's objects (also inside lists, tuples and dicts)."""
    if isinstance(value, Handle):
        return value.obj
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_unwrap(v) for v in value)
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


def array_text(array):
    """np.array(...) that rebuilds `array` bit for bit (NaN and inf included)."""
    array = np.asarray(array)
    if array.ndim == 0:
        text = f"np.{array.dtype}({array.item()!r})"
    else:
        text = f"np.array({array.tolist()!r}, dtype=np.{array.dtype})"
    return re.sub(r"(?<![\w.'])(nan|inf)(?![\w'])", r"np.\1", text)


