"""Run the suite's properties in-process against any implementation.

The pytest suite (tests/test_components.py) is the way a learner runs them; this
module serves the tests that need a verdict per implementation quickly (the
mistake catalogue's kill test, the book-style implementation): it stops at a
component's first disagreement and skips shrinking.
"""
from dataclasses import dataclass

from hypothesis import Phase, settings

from . import properties
from .registry import REGISTRY
from .strategies import DTYPES


@dataclass
class Disagreement:
    component: str
    property: str
    message: str


def component_disagreement(impl, component, max_examples=None, dtypes=DTYPES):
    """The first failing property of one component for `impl`, or None (also when
    the implementation lacks the component).

    Every property runs with the active Hypothesis profile's settings (or
    `max_examples`), without the shrink phase: only *whether* it fails matters.
    A first sweep with a few examples per property finds most mistakes at once;
    the second gives every property its full budget.
    """
    cls = impl.find(component.class_names)
    if cls is None:
        return None
    budget = max_examples or settings().max_examples
    for examples in sorted({min(10, budget), budget}):
        fast = settings(settings(), max_examples=examples,
                        phases=[Phase.explicit, Phase.reuse, Phase.generate])
        for label, prop in properties.all_properties(cls, component, dtypes):
            try:
                fast(prop)()
            except Exception as exc:  # AssertionError, or the implementation raising
                return Disagreement(component.name, label, f"{type(exc).__name__}: {exc}")
    return None


def first_disagreement(impl, components=REGISTRY, max_examples=None):
    """The first failing property of `components` (in order) for `impl`, or None."""
    for component in components:
        found = component_disagreement(impl, component, max_examples)
        if found is not None:
            return found
    return None
