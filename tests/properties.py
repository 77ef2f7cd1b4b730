"""The generic properties, as functions of (implementation class, component,
dtype). tests/test_components.py runs them under pytest for the implementation
chosen with --impl; tests/suite.py runs the same properties in-process against
any implementation (the mistake catalogue's kill test)."""
import numpy as np
from hypothesis import given, strategies as st
from hypothesis.control import current_build_context
from hypothesis.errors import InvalidArgument

from .check import run_full
from .compare import compare
from .diagnosis import diagnose, diagnose_exception, diagnose_in_place


def _final_example():
    """True when Hypothesis runs the shrunk failing example one last time (or
    outside Hypothesis): the moment worth spending time on a diagnosis."""
    try:
        return current_build_context().is_final
    except InvalidArgument:
        return True


def _with_diagnosis(message, lines):
    if not _final_example():
        return message
    return message + "".join(f"\n  diagnosis: {line}" for line in lines())


def judge(cls, component, case):
    """None when every quantity of the implementation equals torch's on `case` and
    no argument was written into; otherwise one message per problem (with, on the
    final example, a diagnosis: which classic mistake the result looks like)."""
    try:
        run = run_full(cls, component, case)
    except Exception as raised:
        error = raised
        message = f"{component.name} raised {type(error).__name__}: {error}"
        raise AssertionError(_with_diagnosis(
            message, lambda: diagnose_exception(component, case, error))) from error
    problems = []
    for q in component.quantities:
        verdict = compare(component.name, q, run.yours[q], run.theirs[q], run.scales[q],
                          case.dtype)
        if not verdict.ok:
            problems.append(_with_diagnosis(verdict.message(), lambda: diagnose(
                component, q, case, run.yours[q], run.theirs[q], run.scales[q])))
    if run.changed:
        message = (f"{component.name} arguments ({np.dtype(case.dtype).name}): changed "
                   f"{', '.join(run.changed)} in place; "
                   f"forward and backward must leave what they are given untouched "
                   f"(copy before writing)")
        problems.append(_with_diagnosis(
            message, lambda: diagnose_in_place(component, case, run.changed)))
    return "\n".join(problems) or None


def poisoned(case, component, draw):
    """The case with one element of its first real-valued argument made NaN or ±inf
    (`draw` draws from a strategy: a composite's draw, or st.data()'s)."""
    name = next(n for n in component.arguments
                if np.issubdtype(case.arrays[n].dtype, np.floating))
    target = case.arrays[name].copy()
    index = tuple(draw(st.integers(0, s - 1)) for s in target.shape)
    target[index] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    arrays = dict(case.arrays, **{name: target})
    return case.__class__(case.dtype, f"{case.regime}, {name}{list(index)} non-finite", arrays)


@st.composite
def cases(draw, component, dtype):
    """The component's cases; one in four has a NaN or ±inf planted in it: those are
    not errors, and must come out where torch's do. (Shrinking prefers the clean
    variant, so a failure only shows a non-finite value when it needs one.)"""
    case = draw(component.cases(dtype))
    if draw(st.sampled_from([False, False, False, True])):
        case = poisoned(case, component, draw)
    return case


def matches_torch(cls, component, dtype):
    """Property: every quantity (output, loss, dweights, dbiases, dinputs, ...)
    equals torch's, NaN and ±inf included, and the call leaves its arguments as
    they were."""
    @given(case=cases(component, dtype))
    def matches_torch(case):
        with np.errstate(all="ignore"):
            message = judge(cls, component, case)
        assert message is None, message
    return matches_torch


def all_properties(cls, component, dtypes):
    """(label, property) for every property of one component."""
    for dtype in dtypes:
        yield f"matches torch [{np.dtype(dtype).name}]", matches_torch(cls, component, dtype)
