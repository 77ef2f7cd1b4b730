"""The verdict model: four outcomes, per check, quantity and dtype.

- AGREES: every example compared equal to torch under the tolerance policy.
- DISAGREES: a value, dtype or shape differs from torch's (`what` says which,
  `regime` says where: everywhere, or only at a kink, at the clip bounds, ...).
- ERROR: the implementation raised (`error`: the exception, the user's file and
  line, the call the tool made).
- NOT_CHECKED: the class lacks that method, argument or setting (`what` says
  what was looked for), or an earlier step raised so this one could not run.

Every quantity is judged on its own, so one failure never hides another. The
summaries, the exit status, the JSON output and the pytest plugin's summary are
all built from these records, never from parsed text.
"""
from dataclasses import asdict, dataclass, field
from enum import Enum

from .constants import EXIT_AGREE, EXIT_DISAGREE, EXIT_NOTHING


class Outcome(str, Enum):
    AGREES = "agrees"
    DISAGREES = "DISAGREES"
    ERROR = "ERROR"
    NOT_CHECKED = "not checked"

    def __str__(self):
        return self.value


# Worst first: how outcomes combine, and the order of the summary.
SEVERITY = {Outcome.ERROR: 3, Outcome.DISAGREES: 2, Outcome.AGREES: 1, Outcome.NOT_CHECKED: 0}


@dataclass(kw_only=True)
class Worst:
    """The element furthest past (or nearest to) its tolerance."""
    index: tuple          # () for a scalar
    yours: float
    torch: float
    diff: float           # |yours - torch|
    rel: float            # diff / |torch| (inf where torch is 0)
    allowed: float        # the tolerance at that element


@dataclass(kw_only=True)
class UserError:
    """An exception raised by the implementation under test."""
    type: str             # the exception's class name
    message: str
    where: str            # "my_nn.py, line 12" (the deepest frame in the user's file)
    call: str             # the call the tool made, e.g. "layer.forward(inputs)  # inputs: float64 (4, 3)"
    hint: str = ""        # what the tool knows about it (a skipped module-level name, ...)

    def line(self):
        text = f"{self.type}: {self.message} (at {self.where}, in {self.call})"
        return text + (f"; {self.hint}" if self.hint else "")


@dataclass(kw_only=True)
class Verdict:
    check: str                       # the record's name: a book class, or a scenario
    quantity: str                    # output, dinputs, loss, update+momentum, ...
    dtype: str                       # float32, float64, or "" where it does not apply
    outcome: Outcome
    what: str = ""                   # DISAGREES: values | dtype | shape | not set | not a number;
    #                                  NOT_CHECKED: the reason, said as "no backward()", ...
    regime: str = ""                 # DISAGREES: "everywhere", "only at a kink (...)", ...
    n_bad: int = 0                   # elements outside their tolerance
    n_total: int = 0                 # elements compared
    shape: tuple = ()                # torch's shape
    worst: Worst = None              # DISAGREES on values: the worst element
    detail: str = ""                 # DISAGREES on dtype/shape: "float64 where torch's is float32"
    error: UserError = None          # ERROR: what the implementation raised
    diagnosis: list = field(default_factory=list)   # lines naming the mistake (or that none matches)
    mistakes: list = field(default_factory=list)    # catalogue names named by the diagnosis
    book_deviation: str = ""         # non-empty: the book writes it this way (its name)
    follows: str = ""                # an accepted alternative rule the code follows
    notes: list = field(default_factory=list)       # differences not judged, bindings, ...
    reproduction: str = ""           # Python to paste: the class, the inputs, the call
    examples: int = 0                # examples compared
    worst_ratio: float = 0.0         # the largest |diff| / allowed seen (agreeing runs)
    project: bool = False            # the project's own code, not the user's (single neuron)

    @property
    def failed(self):
        return self.outcome in (Outcome.DISAGREES, Outcome.ERROR)

    def to_json(self):
        data = asdict(self)
        data["outcome"] = self.outcome.value
        for key in ("worst",):
            if data[key] is not None:
                data[key]["index"] = list(data[key]["index"])
        data["shape"] = list(self.shape)
        return data


def worst_outcome(verdicts):
    if not verdicts:
        return Outcome.NOT_CHECKED
    return max((v.outcome for v in verdicts), key=SEVERITY.get)


@dataclass
class CheckSummary:
    """One line of the summary: a check (book class or scenario) over its
    quantities and dtypes."""
    check: str
    order: float                     # the book's order (chapter, then position)
    verdicts: list

    @property
    def outcome(self):
        return worst_outcome(self.verdicts)

    def counts(self):
        counts = {o: 0 for o in Outcome}
        for v in self.verdicts:
            counts[v.outcome] += 1
        return counts

    def failing(self):
        """'dinputs [float32, float64], loss [float64]' for what failed."""
        return _quantities_text([v for v in self.verdicts if v.failed])

    def not_checked(self):
        return _quantities_text([v for v in self.verdicts if v.outcome is Outcome.NOT_CHECKED])


def _quantities_text(verdicts):
    by_quantity = {}
    for v in verdicts:
        by_quantity.setdefault(v.quantity, [])
        if v.dtype and v.dtype not in by_quantity[v.quantity]:
            by_quantity[v.quantity].append(v.dtype)
    return ", ".join(f"{q} [{', '.join(sorted(d))}]" if d else q for q, d in by_quantity.items())


def summarize(verdicts, order):
    """CheckSummary per check: failures first, then the book's order. `order`
    maps a check name to its place in the book."""
    groups = {}
    for v in verdicts:
        groups.setdefault(v.check, []).append(v)
    summaries = [CheckSummary(name, order.get(name, 1e9), vs) for name, vs in groups.items()]
    summaries.sort(key=lambda s: (-SEVERITY[s.outcome] if s.outcome in (
        Outcome.ERROR, Outcome.DISAGREES) else 0, s.order))
    return summaries


def exit_status(verdicts, *, allow_book_deviations=False, problems=()):
    """0: everything checked agrees; 1: a disagreement or an error in the user's
    code (book deviations do not count with allow_book_deviations); 3: nothing of
    the user's was checked."""
    mine = [v for v in verdicts if not v.project]
    counted = [v for v in mine if v.failed
               and not (allow_book_deviations and v.outcome is Outcome.DISAGREES
                        and v.book_deviation)]
    if counted or problems:
        return EXIT_DISAGREE
    if not any(v.outcome is not Outcome.NOT_CHECKED for v in mine):
        return EXIT_NOTHING
    return EXIT_AGREE
