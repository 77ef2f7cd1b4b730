"""Run a check against an implementation: the flow from binding to verdicts.

    verdicts = run_check(check, dtype, target)

1. Binding: are the book classes the check needs there (under any name)? If
   not, or if a class lacks a setting the check needs, every quantity is "not
   checked", saying what was looked for.
2. Search (Hypothesis): the demo case and generated cases, each evaluated in a
   Session (the user's side) and in torch; every quantity compared on its own.
   Nothing stops at the first failure: each quantity keeps its own failing
   cases, so one failure never hides another.
3. Shrink: for each failing quantity, Hypothesis looks for the smallest case
   that still fails the same way (from the same seed, so the run is the same
   every time).
4. Verdict: the outcome on that case, where it fails (regime), the diagnosis
   (on the shrunk case and on a second, larger failing case), the reproduction.
"""
import re
from dataclasses import dataclass, field, replace
from zlib import crc32

import numpy as np
from hypothesis import HealthCheck, Phase, example, given, seed as hypothesis_seed
from hypothesis import settings as Settings, strategies as st

from .compare import NOT_SET, compare
from .session import Produced, Raised, Session, Skipped
from .verdicts import Outcome, Verdict

MAX_KEPT = 6          # failing evaluations kept per quantity during the search
SEARCH = dict(deadline=None, database=None, derandomize=False, print_blob=False,
              report_multiple_bugs=False, suppress_health_check=list(HealthCheck))


@dataclass
class Target:
    """What is checked: an Implementation (loader) with its Binder."""
    implementation: object
    binder: object

    @property
    def label(self):
        return self.implementation.label


@dataclass
class QuantityResult:
    outcome: Outcome
    comparison: object = None     # compare.Comparison, when values were compared
    error: object = None          # verdicts.UserError, for ERROR
    reason: str = ""              # for NOT_CHECKED
    follows: str = ""             # an alternative rule matched instead of the reference's
    note: str = ""                # how the value was read (a return value, ...)


@dataclass
class Evaluation:
    """One case through the user's side and torch's."""
    check: object
    case: object
    session: Session
    reference: dict
    scales: dict
    results: dict                 # quantity -> QuantityResult
    unjudged: dict = field(default_factory=dict)   # quantity -> mask of elements not judged

    @property
    def poisoned(self):
        return "non-finite" in getattr(self.case, "regime", "")


# ---------------------------------------------------------------- one case
def default_unjudged(check, case, reference):
    """Gradient elements where a same-shaped float argument is NaN or infinite."""
    masks = {}
    for quantity in check.gradients:
        shape = np.shape(reference.get(quantity))
        mask = np.zeros(shape, bool)
        for name in check.arguments:
            array = np.asarray(case.arrays.get(name))
            if array.shape == shape and np.issubdtype(array.dtype, np.floating):
                mask |= ~np.isfinite(array)
        masks[quantity] = mask
    return masks


def _differs(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        return np.ones(a.shape, bool)
    return ~((a == b) | (np.isnan(a) & np.isnan(b)))


def influence(check, case, reference):
    """(a case for the error bounds, {quantity: mask}) for a case with a planted
    NaN or inf: the elements of torch's results that depend on it, found by
    putting two different finite values in its place. Those are not judged (the
    value there is undefined, or a limit correct code may or may not reach:
    np.fmax(x, 0) and np.maximum(x, 0) differ at NaN, sum(log_p * one_hot) is
    NaN at a -inf logit where torch's cross_entropy gives the limit). Elements
    that do not depend on it must come out exactly as torch's: no NaN or inf may
    leak there."""
    name, index = case.poison
    array = np.asarray(case.arrays[name])
    finite = array[np.isfinite(array)]
    # Finite values in its place: small ones, and ones at the array's own scale
    # (next to logits of 100, a 0.25 changes nothing a float can show).
    probes = [0.25, 0.75]
    if finite.size:
        probes += [float(finite.max()) + 1.0, float(finite.min()) - 1.0]
    results = [check.reference(case.with_value(name, index, array.dtype.type(p)))
               for p in probes]
    masks = {}
    for q, value in reference.items():
        mask = ~np.isfinite(np.asarray(value, np.float64)) | _differs(value, results[0][q])
        for other in results[1:]:
            mask = mask | _differs(results[0][q], other[q])
        masks[q] = mask
    # For the error bounds: the case with a typical value of the array in the
    # planted value's place (a value far from the rest would change the bounds).
    planted = array[index]
    if not finite.size:
        typical = 0.5
    elif planted == -np.inf:
        typical = finite.min()          # -inf acts as the smallest value
    elif planted == np.inf:
        typical = finite.max()
    else:
        typical = np.median(finite)
    return case.with_value(name, index, array.dtype.type(typical)), masks


def evaluate(check, target, case):
    """Run `check` on `case` for the user and for torch; judge every quantity."""
    session = Session(target.binder, target.implementation, case)
    produced = session.execute(check.run, check.quantities)
    if session.overrides:
        fields = {k: v for k, v in session.overrides.items() if k in ("settings",)}
        arrays = {k: v for k, v in session.overrides.items() if k not in fields}
        case = replace(case, arrays={**case.arrays, **arrays}, **fields)
    with np.errstate(all="ignore"):      # NaN and inf are planted on purpose
        reference = check.reference(case)
        unjudged = (check.unjudged or (lambda c: default_unjudged(check, c, reference)))(case)
        clean = case
        if case.poison is not None:
            clean, influenced = influence(check, case, reference)
            for q, mask in influenced.items():
                unjudged[q] = mask | unjudged.get(q, False)
        scales = check.error_scale(clean)
        kinks = check.kinks(case) if check.kinks else {}
        clipped = check.clipped(case) if check.clipped else {}
    alternatives = None
    results = {}
    for quantity in check.quantities:
        result = produced[quantity]
        if isinstance(result, Skipped):
            results[quantity] = QuantityResult(Outcome.NOT_CHECKED, reason=result.reason)
            continue
        if isinstance(result, Raised):
            results[quantity] = QuantityResult(Outcome.ERROR, error=result.error)
            continue
        yours = NOT_SET if result.value is None else result.value
        c = None
        if check.judge is not None:
            c = check.judge(quantity, yours, reference[quantity], scales[quantity], case,
                            unjudged.get(quantity))
        if c is None:
            c = compare(yours, reference[quantity], scales[quantity], case.dtype,
                        unjudged=unjudged.get(quantity), kinks=kinks.get(quantity),
                        clipped=clipped.get(quantity))
        outcome, follows = (Outcome.AGREES if c.ok else Outcome.DISAGREES), ""
        if not c.ok and check.alternatives is not None:
            if alternatives is None:
                alternatives = check.alternatives(case)
            for rule, value, scale in alternatives.get(quantity, ()):
                other = compare(yours, value, scale, case.dtype,
                                unjudged=_mask_for(unjudged.get(quantity), np.shape(value)))
                if other.ok:
                    c, outcome, follows = other, Outcome.AGREES, rule
                    break
                if c.what == "shape" and other.what not in ("shape", "not set"):
                    # the shape says which form the code follows: judge it in that form
                    c, follows = other, f"compared as {rule}"
        results[quantity] = QuantityResult(outcome, comparison=c, follows=follows,
                                           note=result.note)
    if check.arguments:
        changed = session.changed()
        results["arguments"] = QuantityResult(
            Outcome.DISAGREES if changed else Outcome.AGREES,
            reason=", ".join(changed))
    return Evaluation(check, case, session, reference, scales, results, unjudged)


def _mask_for(mask, shape):
    """A quantity's mask of unjudged elements, for an alternative of another
    shape: per sample -> per output of each sample; anything -> a scalar."""
    if mask is None or np.ndim(mask) == 0:
        return mask
    mask = np.asarray(mask, bool)
    if mask.shape == tuple(shape):
        return mask
    if shape == ():
        return mask.any()
    if mask.ndim == 1 and len(shape) == 2 and shape[0] == mask.shape[0]:
        return np.broadcast_to(mask[:, None], shape)
    return np.full(shape, mask.any())


# ---------------------------------------------------------------- generated cases
def poisoned(case, check, draw, kind):
    """The case with one element of its first real-valued argument made NaN or
    ±inf (kind 0, 1, 2)."""
    names = [n for n in check.arguments if n in case.arrays
             and np.issubdtype(np.asarray(case.arrays[n]).dtype, np.floating)
             and np.asarray(case.arrays[n]).size]
    if not names:
        return case
    name = names[0]
    target = np.array(case.arrays[name], copy=True)
    index = tuple(draw(st.integers(0, s - 1)) for s in target.shape)
    target[index] = (np.nan, np.inf, -np.inf)[kind]
    arrays = dict(case.arrays, **{name: target})
    return replace(case, regime=f"{case.regime}, {name}{list(index)} non-finite", arrays=arrays,
                   poison=(name, index))


@st.composite
def cases(draw, check, dtype):
    """The check's cases; with `poison`, one in four has a NaN or ±inf planted:
    not errors, they must come out where torch's do. (Shrinking prefers the clean
    variant, so a failure shows a non-finite value only when it needs one.)"""
    case = draw(check.cases(dtype))
    if check.poison:
        # One draw decides both whether and what (0, 1, 2: NaN, inf, -inf; 3 to 11:
        # a clean case), so the three kinds come as often as each other.
        choice = draw(st.integers(0, 11))
        if choice < 3:
            case = poisoned(case, check, draw, choice)
    return case


def stable_seed(*parts):
    return crc32("/".join(map(str, parts)).encode())


SMALL_ENOUGH = 12       # a failing case whose arrays have at most this many elements is
#                         shown as it is (shrinking it further costs time, helps little)


def _largest(case):
    return max((np.asarray(a).size for a in case.arrays.values()), default=0)


def _size(case):
    """How far from degenerate a case is: several samples and columns first, then
    variety (a mask of 0s and 1s, labels of several classes), then size."""
    arrays = [np.asarray(a) for a in case.arrays.values()]
    rows = max((a.shape[0] for a in arrays if a.ndim >= 1), default=0)
    cols = max((a.shape[1] for a in arrays if a.ndim >= 2), default=0)
    variety = sum(min(len(np.unique(a)), 3) for a in arrays if a.size and a.dtype != object)
    return (min(rows, 2) + min(cols, 2), variety, sum(a.size for a in arrays))


@dataclass
class Track:
    """What the search saw of one quantity."""
    examples: int = 0
    worst_ratio: float = 0.0
    failures: list = field(default_factory=list)      # Evaluations (at most MAX_KEPT)
    outcomes: set = field(default_factory=set)
    regimes: set = field(default_factory=set)
    only_poisoned: bool = True
    ordinary: bool = False        # a failure on a clean case, at an ordinary point
    shown: object = None          # the evaluation to display when it agrees
    failing_parts: list = field(default_factory=list)  # regime words of each failing case
    passing_counts: dict = field(default_factory=dict)  # regime words of passing cases: count
    passing: int = 0              # generated cases that passed
    by_outcome: dict = field(default_factory=dict)    # Outcome -> Track of those failures
    not_run: int = 0              # cases where it was not run (an earlier step failed)
    not_run_reason: str = ""


def regime_parts(case):
    """The words of a generated case's regime, by position ('softmax rows',
    'one-hot uint8 labels'), without the planted NaN's place; None for the demo."""
    regime = getattr(case, "regime", "")
    if not regime or regime.startswith("demo"):
        return None
    return [p.strip() for p in re.split(r",\s*(?![^\[]*\])", regime)
            if p.strip() and "non-finite" not in p]


def _general(part):
    """'one-hot uint8 labels' -> 'one-hot labels' (dtype qualifiers dropped)."""
    return _DTYPE_WORD.sub(" ", part)


_DTYPE_WORD = re.compile(r"\s(?:u?int(?:8|16|32|64)|float(?:16|32|64)|bool)\s")


def _failed(result):
    return result.outcome in (Outcome.DISAGREES, Outcome.ERROR)


def _note_failure(t, ev, result, parts):
    t.outcomes.add(result.outcome)
    if result.comparison is not None and result.comparison.regime:
        t.regimes.add(result.comparison.regime)
    t.only_poisoned &= ev.poisoned
    t.ordinary |= not ev.poisoned and (result.comparison is None or
                                       result.comparison.regime in ("", "everywhere"))
    if len(t.failures) < MAX_KEPT:
        t.failures.append(ev)
    if parts is not None and not ev.poisoned:    # (a planted NaN fails for its own reasons)
        t.failing_parts.append(parts)


def search(check, dtype, target, *, max_examples, seed, demo=None):
    """Phase 1: the demo case and generated cases; every quantity tracked."""
    tracks = {q: Track() for q in check.quantities + (("arguments",) if check.arguments else ())}

    def record(ev):
        for q, result in ev.results.items():
            t = tracks[q]
            if result.outcome is Outcome.NOT_CHECKED:
                if t.shown is None:
                    t.shown = ev
                t.not_run += 1
                t.not_run_reason = t.not_run_reason or result.reason
                continue
            t.examples += 1
            parts = regime_parts(ev.case)
            if result.comparison is not None:
                t.worst_ratio = max(t.worst_ratio, result.comparison.worst_ratio
                                    if result.comparison.ok else t.worst_ratio)
            if _failed(result):
                # the quantity's track, and the track of this outcome alone (an ERROR
                # in some cases must not hide a DISAGREES in others)
                for u in (t, t.by_outcome.setdefault(result.outcome, Track())):
                    _note_failure(u, ev, result, parts)
            else:
                if parts is not None:
                    for p in set(parts) | {_general(p) for p in parts}:
                        t.passing_counts[p] = t.passing_counts.get(p, 0) + 1
                    t.passing += 1
                if t.shown is None or t.shown.poisoned \
                        or t.shown.results[q].outcome is Outcome.NOT_CHECKED:
                    t.shown = ev

    if check.cases is None:           # a fixed scenario: its demo case only
        record(evaluate(check, target, demo))
        return tracks
    strategy = cases(check, dtype)

    def body(case):
        record(evaluate(check, target, case))

    test = given(case=strategy)(body)
    if demo is not None:
        test = example(case=demo)(test)
    test = Settings(max_examples=max_examples, phases=[Phase.explicit, Phase.generate],
                    **SEARCH)(hypothesis_seed(seed)(test))
    test()
    return tracks


class _Fails(Exception):
    pass


class _Spent(BaseException):
    """Out of shrinking budget: not an Exception, so Hypothesis does not take it
    for a failure of the test; it ends the shrinking at once."""


SHRINK_BUDGET = 60     # evaluations spent on making a failing case smaller (scaled by a
#                        record's `examples` share: an expensive check shrinks less)


def _fails_so(ev, quantity, outcome, ordinary, finite=False):
    result = ev.results[quantity]
    if result.outcome is not outcome or (finite and ev.poisoned):
        return False
    return not (ordinary and (ev.poisoned or (result.comparison is not None and
                                              result.comparison.regime not in ("", "everywhere"))))


def shrink(check, dtype, target, quantities, outcome, *, max_examples, seed, ordinary,
           finite=False):
    """Phase 2: a small generated case where any of `quantities` fails with
    `outcome` (and, with `ordinary`, at an ordinary point, not only at a kink
    or on a non-finite input; with `finite`, on finite inputs); None if the
    generated cases never fail so.
    Shrinking stops after its budget of evaluations past the first failure, with
    the smallest failing case found by then (most of the reduction comes first)."""
    found, calls = [], []
    budget = max(10, round(SHRINK_BUDGET * check.examples))

    def body(case):
        if found and len(calls) >= budget:
            raise _Spent()               # out of budget: keep the smallest so far
        ev = evaluate(check, target, case)
        if found:
            calls.append(1)
        if any(_fails_so(ev, q, outcome, ordinary, finite) for q in quantities):
            found.append(ev)
            raise _Fails()

    test = Settings(max_examples=max_examples, phases=[Phase.generate, Phase.shrink],
                    **SEARCH)(hypothesis_seed(seed)(given(case=cases(check, dtype))(body)))
    try:
        test()
    except (_Fails, _Spent):
        return found[-1]
    except Exception:        # Flaky (the budget, or user code that is not deterministic)
        return found[-1] if found else None
    return None


# ---------------------------------------------------------------- a check's verdicts
def missing_roles(check, target):
    missing = [r for r in check.roles if target.binder.find(r) is None]
    if missing:
        return f"{target.label} has no {' or '.join(missing[:1])}" + (
            f" (nor {', '.join(missing[1:])})" if missing[1:] else "")
    if check.applies is not None:
        return check.applies(target.binder)
    return ""


def not_checked(check, dtype, reason, project=False):
    quantities = check.quantities
    return [Verdict(check=check.name, quantity=q, dtype=np.dtype(dtype).name,
                    outcome=Outcome.NOT_CHECKED, what=reason, project=project)
            for q in quantities]


@dataclass
class CheckRun:
    """The verdicts of one check in one dtype, with the evaluations behind them
    (for the report: each quantity's shown case)."""
    verdicts: list
    shown: dict                   # quantity -> Evaluation


def run_check(check, dtype, target, *, max_examples, user_seed=0, demo_seed=0, diagnose=True):
    """Every quantity of `check` in `dtype`: verdicts and the cases behind them."""
    dtype_name = np.dtype(dtype).name
    reason = missing_roles(check, target)
    if reason and check.project_fallback and not target.implementation.is_project:
        run = run_check(check, dtype, project_target(), max_examples=max_examples,
                        user_seed=user_seed, demo_seed=demo_seed, diagnose=diagnose)
        for v in run.verdicts:
            v.project = True
            v.notes.insert(0, f"the project's numpy_impl, not yours: {reason}")
        return run
    if reason:
        return CheckRun(not_checked(check, dtype, reason), {})
    seed = stable_seed(check.id, dtype_name, user_seed)
    # NumPy's global generator (which the user's classes may draw from) starts
    # every unit from the same state: a verdict never depends on which units
    # ran before it (--component, the forked run of the compare command).
    np.random.seed(seed % 2**32)
    demo = check.demo(np.random.default_rng(demo_seed), dtype)
    n = max(1, round(max_examples * check.examples))
    tracks = search(check, dtype, target, max_examples=n, seed=seed, demo=demo)
    verdicts, shown, shrunk = [], {}, {}
    for quantity, track in tracks.items():
        if not track.failures:
            ev = track.shown
            if ev is None:
                continue
            result = ev.results[quantity]
            v = make_verdict(check, dtype_name, quantity, ev, result)
            v.examples, v.worst_ratio = track.examples, track.worst_ratio
            if track.not_run and track.examples:
                v.notes.append(f"checked in {track.examples} of {track.examples + track.not_run} "
                               f"cases; in the others: {track.not_run_reason}")
            verdicts.append(v)
            shown[quantity] = ev
            continue
        # Each way of failing gets its verdict: an ERROR in some cases (one label
        # format) does not hide a DISAGREES in others.
        for outcome in (Outcome.ERROR, Outcome.DISAGREES):
            if outcome in track.outcomes:
                sub = track.by_outcome[outcome]
                sub.passing, sub.passing_counts = track.passing, track.passing_counts
                v, ev = failure_verdict(check, dtype, dtype_name, target, quantity, outcome,
                                        sub, tracks, shrunk, n, seed, diagnose)
                verdicts.append(v)
                shown.setdefault(quantity, ev)
    real = [v for v in verdicts if v.quantity != "arguments"]
    if real and all(v.outcome is Outcome.NOT_CHECKED for v in real):
        # Nothing was run: the arguments were not handed to anything.
        verdicts = [v for v in verdicts if v.quantity != "arguments"]
    return CheckRun(verdicts, shown)


_PROJECT = []


def project_target():
    """numpy_impl, loaded once (for checks that fall back to the project's code)."""
    if not _PROJECT:
        from .binding import Binder
        from .loader import load
        implementation = load(None)
        _PROJECT.append(Target(implementation, Binder(implementation.module, "numpy_impl")))
    return _PROJECT[0]


def failure_verdict(check, dtype, dtype_name, target, quantity, outcome, track, tracks, shrunk,
                    n, seed, diagnose):
    """The verdict of one way `quantity` failed (`track`: those failures only):
    shown on a small case, with its regime and diagnosis."""
    ordinary = track.ordinary
    ev = None
    finite = not track.only_poisoned
    small = [e for e in track.failures if _fails_so(e, quantity, outcome, ordinary, finite)
             and _largest(e.case) <= SMALL_ENOUGH]
    if small:              # already small enough to read: no shrinking needed
        ev = min(small, key=lambda e: _largest(e.case))
    elif check.shrink and check.cases is not None:
        # One shrink serves every quantity failing the same way (a dtype leak in
        # forward shows in three quantities); each is then judged on the result.
        # A failure that also shows on finite inputs is shown on finite inputs: a
        # planted NaN in the reproduction would only distract.
        group = tuple(q for q, t in tracks.items() if outcome in t.by_outcome
                      and t.by_outcome[outcome].ordinary == ordinary
                      and (not t.by_outcome[outcome].only_poisoned) == finite)
        key = (group, outcome, ordinary, finite)
        if key not in shrunk:
            shrunk[key] = shrink(check, dtype, target, group, outcome, max_examples=n,
                                 seed=seed, ordinary=ordinary, finite=finite)
        ev = shrunk[key]
        if ev is not None and not _fails_so(ev, quantity, outcome, ordinary, finite):
            ev = shrink(check, dtype, target, (quantity,), outcome, max_examples=n,
                        seed=seed, ordinary=ordinary, finite=finite)
    if ev is None:
        ev = next(e for e in track.failures if e.results[quantity].outcome is outcome)
    result = ev.results[quantity]
    v = make_verdict(check, dtype_name, quantity, ev, result)
    v.examples = tracks[quantity].examples
    v.regime = overall_regime(v, track)
    only = distinguishing(track)
    if only and v.regime in ("", "everywhere"):
        v.regime = f"only with {only}"
    if diagnose and quantity != "arguments":
        second = second_case(track, ev, quantity, outcome)
        from .diagnosis import diagnose as diagnose_quantity
        diagnose_quantity(v, check, target, quantity, ev, second)
    elif diagnose:
        from .diagnosis import diagnose_in_place
        diagnose_in_place(v, check, target, ev)
    return v, ev


def second_case(track, first, quantity, outcome):
    """A second failing case for the diagnosis: the least degenerate one seen
    (several samples and classes), other than `first`."""
    others = [e for e in track.failures if e is not first
              and e.results[quantity].outcome is outcome and not e.poisoned]
    if not others:
        return None
    return max(others, key=lambda e: _size(e.case))


def distinguishing(track, enough=3):
    """The regime words that tell failing generated cases from passing ones
    ('one-hot uint8 labels'; 'one-hot int32 labels or one-hot int64 labels'):
    words at one place of the regime that every failing case has and no passing
    case has, most general first; '' when no place tells (or too few passed)."""
    if not track.failing_parts or track.passing < enough:
        return ""
    passed = track.passing_counts
    best = None
    for i in range(max(len(parts) for parts in track.failing_parts)):
        chosen = set()
        for parts in track.failing_parts:
            part = parts[i] if i < len(parts) else None
            if part is not None and _general(part) not in passed:
                chosen.add(_general(part))
            elif part is not None and part not in passed and passed[_general(part)] >= 2:
                # narrower than its general words ('one-hot uint8 labels'): only when
                # those passed more than once in other forms (one pass may be a fluke)
                chosen.add(part)
            else:
                chosen = None
                break
        if chosen and (best is None or len(chosen) < len(best)):
            best = chosen
    return " or ".join(sorted(best)) if best else ""


def overall_regime(verdict, track):
    if verdict.outcome is Outcome.ERROR:
        return "only when an input is NaN or infinite" if track.only_poisoned else ""
    if track.only_poisoned:
        return "only when an input is NaN or infinite"
    if not track.regimes or "everywhere" in track.regimes:
        return "everywhere" if track.regimes else ""
    if len(track.regimes) == 1:
        return next(iter(track.regimes))
    return "only at kinks and where the clip is active"


def make_verdict(check, dtype_name, quantity, ev, result):
    v = Verdict(check=check.name, quantity=quantity, dtype=dtype_name, outcome=result.outcome)
    for note in [result.note] + ev.session.notes:
        if note and note not in v.notes:
            v.notes.append(note)
    if result.follows:
        v.follows = result.follows
    if result.outcome is Outcome.NOT_CHECKED:
        v.what = result.reason
        return v
    if result.outcome is Outcome.ERROR:
        v.error = result.error
        v.reproduction = ev.session.reproduction(quantity)
        return v
    if quantity == "arguments":
        if result.outcome is Outcome.DISAGREES:
            v.what = "changed in place"
            v.detail = (f"wrote into its argument(s) {result.reason}: forward and backward "
                        f"must leave what they are given untouched (copy before writing)")
            v.reproduction = ev.session.reproduction()
        return v
    c = result.comparison
    v.shape, v.n_bad, v.n_total, v.worst_ratio = c.shape, c.n_bad, c.n_total, c.worst_ratio
    v.notes.extend(c.notes)
    if result.outcome is Outcome.DISAGREES:
        v.what, v.detail, v.worst, v.regime = c.what, c.detail, c.worst, c.regime
        v.reproduction = ev.session.reproduction(quantity, ev.reference.get(quantity))
    return v
