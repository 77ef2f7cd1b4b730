"""The catalogue of classic mistakes, as code.

Each mistake is a small subclass of a numpy_impl class that overrides the one
method the learner got wrong, with the mistaken line written out as a learner
writes it. Rewording numpy_impl cannot break it: it relies only on the book's
attribute names (inputs, output, weights, dinputs, ...), which any book-style
implementation keeps.

    @mistake("dense-dbiases-mean", "Layer_Dense",
             description="your dbiases is the MEAN of dvalues over the batch; torch uses the SUM",
             fix="use np.sum(dvalues, axis=0, keepdims=True)")
    class DenseDbiasesMean(Layer_Dense):
        def backward(self, dvalues):
            super().backward(dvalues)
            self.dbiases = np.mean(dvalues, axis=0, keepdims=True)

Two uses: the kill test (tests/test_catalogue.py) requires the cross-check to
catch every mistake and its diagnosis to name it; the diagnosis
(nn_crosscheck/diagnosis/__init__.py) names a learner's mistake when one of
these reproduces the learner's values. Entries marked `book=True` are the
book's own formulas where they differ from torch: a verdict they explain is
labelled "as the book writes it".
"""
import types
from dataclasses import dataclass
from functools import lru_cache

MISTAKES = []


@dataclass(frozen=True, kw_only=True)
class Mistake:
    name: str             # a short identifier, e.g. "dense-dbiases-mean"
    check: str            # the check that catches it (a record's name)
    role: str             # the book class it replaces
    cls: type             # the mistaken class
    description: object   # what the mistake is, in the learner's words; or a dict by
    #                         what differs ("values", "dtype", ...) when it shows in several ways
    fix: str              # how to fix it
    book: bool = False    # the book's own code does this

    def describe(self, what="values"):
        if isinstance(self.description, dict):
            return self.description.get(what) or self.description.get("values") or next(
                iter(self.description.values()))
        return self.description

    def label(self, what="values"):
        head = "as the book writes it: " if self.book else "looks like: "
        return f"{head}{self.describe(what)} (fix: {self.fix}) [{self.name}]"


def mistake(name, check, role=None, *, description, fix, book=False):
    """Register the decorated class as a catalogued mistake."""
    def register(cls):
        MISTAKES.append(Mistake(name=name, check=check, role=role or check, cls=cls,
                                description=description, fix=fix, book=book))
        return cls
    return register


@lru_cache(maxsize=None)
def all_mistakes():
    """Every entry, in the book's order (importing the families registers them)."""
    from .mistakes import activations, layers, losses, optimizers  # noqa: F401
    return tuple(MISTAKES)


def for_check(name):
    return [m for m in all_mistakes() if m.check == name]


def module_with(mistake):
    """numpy_impl, with the mistaken class in its role's place: an implementation
    the engine can check like any other."""
    import numpy_impl
    module = types.ModuleType(f"numpy_impl_with_{mistake.name.replace('-', '_')}_in_"
                              f"{mistake.role}")
    module.__dict__.update({k: v for k, v in vars(numpy_impl).items()
                            if not k.startswith("__")})
    setattr(module, mistake.role, mistake.cls)
    return module


_TARGETS = {}


def target_for(mistake):
    """A Target (nn_crosscheck.engine) for numpy_impl with this one mistake
    (made once per process)."""
    from ..binding import Binder
    from ..engine import Target
    from ..loader import Implementation
    key = (mistake.name, mistake.role)
    if key not in _TARGETS:
        module = module_with(mistake)
        implementation = Implementation(module, f"numpy_impl with {mistake.name}",
                                        import_name="numpy_impl")
        _TARGETS[key] = Target(implementation, Binder(module, implementation.label))
    return _TARGETS[key]
