"""The regression guard: every classic mistake of the catalogue
(nn_crosscheck/diagnosis/mistakes) is caught by the cross-check of its
component and named by the diagnosis. (numpy_impl itself, with no mistake,
agrees everywhere: that is the cross-check of numpy_impl in the same run.)

The kill test runs the mistake's own check (both dtypes) with a reduced number
of generated cases; the demo case runs as well. The whole catalogue is the
slow tier; the default run takes one mistake of each family."""
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


# The default run: one mistake of each family (the whole catalogue is the slow tier).
DEFAULT = ("dense-dbiases-mean", "relu-gradient-at-zero", "cce-clip-ignored-in-backward",
           "rmsprop-rho-swapped")


def first_of_each_check():
    return [m for m in MISTAKES if m.name in DEFAULT]


@pytest.mark.parametrize("mistake", first_of_each_check(), ids=lambda m: m.name)
def test_a_mistake_of_each_family_is_caught_and_named(mistake):
    caught_and_named(mistake)


@pytest.mark.slow
@pytest.mark.parametrize("mistake", [m for m in MISTAKES if m not in first_of_each_check()],
                         ids=lambda m: f"{m.name}@{m.check}")
def test_every_mistake_is_caught_and_named(mistake):
    caught_and_named(mistake)


def test_the_catalogue_is_well_formed():
    names = [(m.name, m.check) for m in MISTAKES]
    assert len(names) == len(set(names)), "a mistake twice in one check"
    checks = {c.name for c in REGISTRY}
    for m in MISTAKES:
        assert m.check in checks, f"{m.name}: unknown check {m.check}"
        assert m.describe() and m.fix and m.cls.__name__
    assert len(MISTAKES) >= 58
    book = {m.name for m in MISTAKES if m.book}
    assert {"cce-clip-ignored-in-backward", "bce-gradient-ignores-clip",
            "combined-loss-from-clipped-softmax", "l1-gradient-one-at-zero",
            "mae-book-sign"} <= book
