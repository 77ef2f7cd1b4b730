"""The regression guard, demonstrated: the suite must fail on every classic
mistake in the shipped catalogue (tests/mutants), and pass on an unpatched copy
made by the same machinery."""

import pytest

from .mutants.apply import load_mistake
from .mutants.catalogue import Mistake, all_mistakes
from .suite import first_disagreement
from .registry import BY_NAME, REGISTRY
from .test_optimizers import OPTIMIZER_CASES

pytestmark = pytest.mark.project

MISTAKES = all_mistakes()
# Optimizers are not registry components: tests/test_optimizers.py kills and names those.
REGISTRY_MISTAKES = [m for m in MISTAKES if m.component in BY_NAME]
OPTIMIZER_CLASSES = {case.class_name for case in OPTIMIZER_CASES}


def test_catalogue_is_well_formed():
    names = [m.name for m in MISTAKES]
    assert len(names) == len(set(names)), "duplicate mistake names"
    for m in MISTAKES:
        assert m.component in BY_NAME or m.component in OPTIMIZER_CLASSES, (
            f"{m.name}: unknown component {m.component}")
        assert m.old != m.new and m.description and m.fix


@pytest.mark.parametrize("mistake", REGISTRY_MISTAKES, ids=lambda m: m.name)
def test_suite_catches(mistake, tmp_path):
    impl = load_mistake(mistake, str(tmp_path))
    # Its own component first: the run stops at the first disagreement.
    order = [BY_NAME[mistake.component]] + [c for c in REGISTRY if c.name != mistake.component]
    found = first_disagreement(impl, order)
    assert found is not None, f"the suite does not catch {mistake.name}: {mistake.description}"
    # ... and its diagnosis names it, verified on the failing input.
    assert f"[{mistake.name}]" in found.message, (
        f"{mistake.name} was caught by {found.component} {found.property} but not named:\n"
        f"{found.message}")


def test_unpatched_copy_passes(tmp_path):
    pristine = Mistake("none", "Layer_Dense", "layers.py", None, None, "-", "-")
    impl = load_mistake(pristine, str(tmp_path))
    found = first_disagreement(impl, max_examples=5)
    assert found is None, f"{found.component} {found.property}: {found.message}"
