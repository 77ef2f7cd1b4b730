"""Run the suite's properties in-process against any implementation.

The pytest suite (tests/test_components.py) is the way a learner runs them; this
module serves the mistake catalogue's kill test, which needs a verdict per
implementation quickly: it stops at the first disagreement and skips shrinking.
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


def first_disagreement(impl, components=REGISTRY, max_examples=None):
    """The first property of `components` that fails for `impl`, or None.

    Every property is run with the active Hypothesis profile's settings (or
    `max_examples`), without the shrink phase: only *whether* it fails matters.
    """
    budget = max_examples or settings().max_examples
    # A first sweep with a few examples per property finds most mistakes at once;
    # the second gives every property its full budget.
    for examples in sorted({min(10, budget), budget}):
        fast = settings(settings(), max_examples=examples,
                        phases=[Phase.explicit, Phase.reuse, Phase.generate])
        for component in components:
            cls = impl.find(component.class_names)
            if cls is None:
                continue
            for label, prop in properties.all_properties(cls, component, DTYPES):
                try:
                    fast(prop)()
                except Exception as exc:  # AssertionError, or the implementation raising
                    return Disagreement(component.name, label, f"{type(exc).__name__}: {exc}")
    return None
