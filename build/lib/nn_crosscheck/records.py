"""The record of one check, in the spirit of PyTorch's OpInfo: keyword-only,
every field documented where it is declared, refused when incomplete.

A Check says which book classes it needs, how to draw its inputs, how to drive
the user's classes (through a Session), how to compute the same quantities in
torch (gradients from autograd only), and how large the rounding error of each
quantity may be. The engine (nn_crosscheck/engine.py) runs any record the same
way; the definitions live in nn_crosscheck/components/, one file per family.
"""
from dataclasses import dataclass, field
from typing import Callable

from .constants import DTYPES


class RecordError(TypeError):
    """A record is incomplete or inconsistent (raised at import)."""


@dataclass(frozen=True, kw_only=True)
class Check:
    name: str                     # shown to the learner: a book class, or a scenario ("training")
    chapter: float                # where the book brings it in: orders every summary
    roles: tuple                  # book classes/functions needed from the implementation
    quantities: tuple             # what is compared with torch, in display order
    cases: Callable               # dtype -> Hypothesis strategy of Case; None: a fixed
    #                               scenario, checked on its demo case only
    demo: Callable                # (numpy Generator, dtype) -> a small, readable Case
    run: Callable                 # (Session, Case) -> None: drives the user's classes
    reference: Callable           # Case -> {quantity: ndarray}: torch, autograd gradients
    error_scale: Callable         # Case -> {quantity: rounding-error bound, units of eps}
    variant: str = ""             # tells apart several checks of one class (optimizer settings)
    applies: Callable = None      # (Binder) -> "" or why this check does not apply
    arguments: tuple = ()         # Case arrays handed to the implementation (in-place check)
    gradients: dict = field(default_factory=dict)   # gradient quantity -> the argument it is
    #                                                 the gradient of (third opinion, NaN policy)
    unjudged: Callable = None     # Case -> {quantity: mask}: elements not judged; default:
    #                               gradients where a same-shaped float argument is not finite
    kinks: Callable = None        # Case -> {quantity: compare.Kinks}: non-unique derivatives
    clipped: Callable = None      # Case -> {quantity: mask}: where a clip is active
    alternatives: Callable = None  # Case -> {quantity: [(rule, ndarray, scale)]}: other
    #                                legitimate answers (e.g. torch.optim's momentum rule)
    judge: Callable = None        # (quantity, yours, theirs, scale, case, unjudged) -> Comparison
    #                               or None
    #                               (None: the standard comparison), for special quantities
    third_derivative: Callable = None   # (case, variable, step) -> bound for finite differences
    relations: Callable = None    # Case -> {quantity: [(text, ndarray)]}: what a wrong value
    #                               may equal that says what the code computes instead (a
    #                               diagnosis, never an agreement)
    dtypes: tuple = DTYPES        # the dtypes it runs in
    examples: float = 1.0         # share of the profile's examples (expensive checks: less)
    poison: bool = True           # plant a NaN or inf in one generated case in four
    shrink: bool = True           # look for a smaller failing case (not for fixed scenarios)
    project_fallback: bool = False  # a file without the roles gets the project's own
    #                                 result, marked as the project's (never as the user's)

    def __post_init__(self):
        missing = [f for f in ("name", "roles", "quantities") if not getattr(self, f)]
        if missing:
            raise RecordError(f"check {self.name or '?'}: no {', '.join(missing)}")
        for f in ("demo", "run", "reference", "error_scale"):
            if not callable(getattr(self, f)):
                raise RecordError(f"check {self.name}: {f} must be callable")
        if self.cases is not None and not callable(self.cases):
            raise RecordError(f"check {self.name}: cases must be callable or None")
        if not isinstance(self.roles, tuple) or not isinstance(self.quantities, tuple):
            raise RecordError(f"check {self.name}: roles and quantities must be tuples")
        unknown = set(self.gradients) - set(self.quantities)
        if unknown:
            raise RecordError(f"check {self.name}: gradients {sorted(unknown)} are not "
                              f"among its quantities")
        if not self.dtypes or not 0 < self.examples <= 1:
            raise RecordError(f"check {self.name}: needs dtypes and 0 < examples <= 1")

    @property
    def id(self):
        """Unique among records: the name, and the variant if any."""
        return f"{self.name}[{self.variant}]" if self.variant else self.name
