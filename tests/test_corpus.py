"""The corpus: learner-style files written here (tests/corpus/), each with the
verdicts the tool must give (tests/corpus/expected.py): no false alarm on the
correct ones, every planted bug reported with the right outcome, the book's own
deviations labelled as such, and every component the file has found.

Each file is checked as a learner would check it (the whole registry, both
dtypes), with fewer generated cases than the default profile (CORPUS_EXAMPLES):
the demo case of every check runs as well, and each planted bug shows within
them. The long scenarios (training runs, the Model class) are checked with the
full run in the `slow` tier (scripts/test --all)."""
import os

import pytest

from nn_crosscheck.engine import run_check
from nn_crosscheck.run import make_target, select, units
from nn_crosscheck.verdicts import Outcome

from .corpus.expected import EXPECTED

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
CORPUS_EXAMPLES = 10
SLOW_CHECKS = {"training", "Model"}

_cache = {}


def verdicts_of(name, slow):
    """All verdicts of one corpus file (cached per process)."""
    key = (name, slow)
    if key not in _cache:
        target = make_target(os.path.join(HERE, name))
        checks = [c for c in select() if slow == (c.name in SLOW_CHECKS)]
        verdicts = []
        for check, dtype in units(checks):
            verdicts += run_check(check, dtype, target, max_examples=CORPUS_EXAMPLES).verdicts
        _cache[key] = (target, verdicts)
    return _cache[key]


def failures(expect, verdicts, slow):
    """What is wrong with the verdicts, by the rules of tests/corpus/expected.py."""
    problems = []
    by_check = {}
    for v in verdicts:
        by_check.setdefault(v.check, []).append(v)
    expected_outcomes = {**{c: (Outcome.DISAGREES, q, False) for c, q in expect.disagrees.items()},
                         **{c: (Outcome.DISAGREES, q, True) for c, q in
                            expect.book_deviations.items()},
                         **{c: (Outcome.ERROR, q, False) for c, q in expect.errors.items()}}
    for check, vs in by_check.items():
        maybe = expect.maybe.get(check, set())
        failed = [v for v in vs if v.failed and not v.project and not (
            v.quantity in maybe and v.regime == "only when an input is NaN or infinite")]
        if check not in expected_outcomes:
            problems += [f"false alarm: {v.check} {v.quantity} [{v.dtype}] {v.outcome.value}: "
                         f"{v.what} {v.detail} {v.error.line() if v.error else ''} "
                         f"{v.regime} {v.diagnosis[:1]}" for v in failed]
            continue
        outcome, quantities, book = expected_outcomes[check]
        for q in quantities:
            got = [v for v in vs if v.quantity == q]
            if not got:
                problems.append(f"{check} {q}: not reported at all")
            elif not any(v.outcome is outcome for v in got):
                problems.append(f"{check} {q}: expected {outcome.value}, got "
                                f"{sorted({v.outcome.value for v in got})}")
            elif book and not all(v.book_deviation for v in got if v.outcome is outcome):
                problems.append(f"{check} {q}: a book deviation, not labelled as one: "
                                f"{[v.diagnosis for v in got]}")
        unexpected = [v for v in failed if v.quantity not in quantities and not (
            outcome is Outcome.ERROR and v.outcome is Outcome.ERROR)]
        problems += [f"unexpected: {v.check} {v.quantity} [{v.dtype}] {v.outcome.value} "
                     f"{v.what} {v.regime} {v.diagnosis[:1]}" for v in unexpected]
    for check in expect.checked:
        if (check in SLOW_CHECKS) != slow:
            continue
        vs = by_check.get(check, [])
        if not vs or all(v.outcome is Outcome.NOT_CHECKED for v in vs):
            reasons = sorted({v.what for v in vs})
            problems.append(f"{check}: should be found and checked, was not ({reasons})")
    for check in expect.absent:
        if (check in SLOW_CHECKS) != slow:
            continue
        vs = [v for v in by_check.get(check, []) if not v.project]
        if any(v.outcome is not Outcome.NOT_CHECKED for v in vs):
            problems.append(f"{check}: the file has none, yet it was checked")
    return problems


# The default run takes a sample of the styles (the whole corpus is the slow
# tier, which keeps the default run under 30 s): renamed classes and
# attributes, returned values, a planted bug behind a renamed class, a bug the
# diagnosis must not misname, and the chapter 19 API with cv2 missing.
DEFAULT = {"learners/alice_ch9_renamed.py", "learners/carol_returns_values.py",
           "learners/bug_relu_lt_zero.py", "learners/bug_softmax_axis0.py",
           "book_style/ch19.py"}
FAST = [pytest.param(name, id=name, marks=() if name in DEFAULT else pytest.mark.slow)
        for name in EXPECTED]


@pytest.mark.parametrize("name", FAST)
def test_corpus_file_gets_its_verdicts(name):
    _, verdicts = verdicts_of(name, slow=False)
    problems = failures(EXPECTED[name], verdicts, slow=False)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in EXPECTED if any(
    c in SLOW_CHECKS for c in EXPECTED[n].checked)])
def test_corpus_file_scenarios_get_their_verdicts(name):
    _, verdicts = verdicts_of(name, slow=True)
    problems = failures(EXPECTED[name], verdicts, slow=True)
    assert not problems, "\n".join(problems)


def test_the_corpus_is_the_one_the_issue_asks_for():
    """At least 15 learner files, correct ones and planted bugs, every API style."""
    learners = [n for n in EXPECTED if n.startswith("learners/")]
    buggy = [n for n in learners if EXPECTED[n].disagrees or EXPECTED[n].errors]
    assert len(learners) >= 15 and len(buggy) >= 8 and len(learners) - len(buggy) >= 8
    on_disk = {os.path.relpath(os.path.join(d, f), HERE) for d, _, fs in os.walk(HERE)
               for f in fs if f.endswith(".py") and f != "expected.py"}
    assert on_disk - {"__init__.py"} <= set(EXPECTED) | {"__init__.py"}, \
        on_disk - set(EXPECTED)
