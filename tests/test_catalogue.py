"""The regression guard: every classic mistake of the catalogue
(nn_crosscheck/diagnosis/mistakes) is caught by the cross-check of its
component and named by the diagnosis; numpy_impl itself is caught by nothing.

The kill test runs the mistake's own check (both dtypes) with a reduced number
of generated cases; the demo case runs as well. The whole catalogue is the
slow tier; the default run takes one mistake per check."""
import pytest

from nn_crosscheck.components import REGISTRY
from nn_crosscheck.diagnosis.catalogue import all_mistakes, target_for
from nn_crosscheck.engine import run_check
from nn_crosscheck.run import units
from nn_crosscheck.verdicts import Outcome

MISTAKES = all_mistakes()
EXAMPLES = 25


def verdicts_for(mistake):
    checks = [c for c in REGISTRY if c.name == mistake.check]
    verdicts = []
    for check, dtype in units(checks):
        verdicts += run_check(check, dtype, target_for(mistake),
                              max_examples=EXAMPLES).verdicts
    return verdicts


def caught_and_named(mistake):
    verdicts = verdicts_for(mistake)
    failed = [v for v in verdicts if v.failed]
    assert failed, f"the cross-check does not catch {mistake.name}: {mistake.describe()}"
    named = [v for v in failed if mistake.name in v.mistakes]
    assert named, (f"{mistake.name} is caught ({[(v.quantity, v.dtype) for v in failed]}) "
                   f"but not named: {[v.diagnosis for v in failed]}")
    if mistake.book:
        assert all(v.book_deviation for v in named), "a book deviation, not labelled so"


def first_of_each_check():
    seen, chosen = set(), []
    for m in MISTAKES:
        if m.check not in seen:
            seen.add(m.check)
            chosen.append(m)
    return chosen


@pytest.mark.parametrize("mistake", first_of_each_check(), ids=lambda m: m.name)
def test_a_mistake_of_each_check_is_caught_and_named(mistake):
    caught_and_named(mistake)


@pytest.mark.slow
@pytest.mark.parametrize("mistake", [m for m in MISTAKES if m not in first_of_each_check()],
                         ids=lambda m: m.name)
def test_every_mistake_is_caught_and_named(mistake):
    caught_and_named(mistake)


def test_the_catalogue_is_well_formed():
    names = [m.name for m in MISTAKES]
    assert len(names) == len(set(names)), "duplicate mistake names"
    checks = {c.name for c in REGISTRY}
    for m in MISTAKES:
        assert m.check in checks, f"{m.name}: unknown check {m.check}"
        assert m.describe() and m.fix and m.cls.__name__
    assert len(MISTAKES) >= 58
    book = {m.name for m in MISTAKES if m.book}
    assert {"cce-clip-ignored-in-backward", "bce-gradient-ignores-clip",
            "combined-loss-from-clipped-softmax", "l1-gradient-one-at-zero",
            "mae-book-sign"} <= book


def test_numpy_impl_names_no_mistake(impl_verdicts=None):
    """The unchanged numpy_impl, through the same machinery: every check agrees
    (or is not checked) and no diagnosis is produced."""
    from nn_crosscheck.engine import project_target
    target = project_target()
    for check, dtype in units([c for c in REGISTRY if c.name in {m.check for m in MISTAKES}]):
        for v in run_check(check, dtype, target, max_examples=10).verdicts:
            assert v.outcome in (Outcome.AGREES, Outcome.NOT_CHECKED), (
                v.check, v.quantity, v.dtype, v.what, v.diagnosis)
            assert not v.mistakes
