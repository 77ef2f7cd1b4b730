"""Name the mistake: when a quantity disagrees with torch, say which classic
error the wrong value looks like, and how to fix it.

A diagnosis is named only when it is verified, on the failing case AND on a
second, non-degenerate case (several samples, several classes):
- a catalogued mistake (catalogue.py) is named when, run on both cases, it
  gives the user's values, and on the failing case differs from torch (so the
  user's code is not the correct formula by accident of the input);
- a relation needs no catalogue entry: a constant factor (the batch size, 2,
  -1, ...), a transpose, a missing keepdims, the wrong dtype, NaN or inf where
  torch is finite, an unsigned wrap-around, float32 arithmetic in a float64
  result (checked by running the user's own code in float32: a float64 result
  equal to it was computed in float32).
Otherwise it says `no known mistake matches`.
"""
import numpy as np

from ..compare import NOT_SET, compare
from ..verdicts import Outcome
from .catalogue import for_check, target_for

NOTHING = "no known mistake matches"


def _value(ev, quantity):
    result = ev.results.get(quantity)
    if result is None or result.outcome is Outcome.NOT_CHECKED or result.error is not None:
        return None
    value = ev.session.results[quantity].value
    return NOT_SET if value is None else value


def _same(a, b, scale, dtype):
    """a equals b: same shape and dtype, values within the tolerance (NaN = NaN)."""
    if a is NOT_SET or b is NOT_SET or a is None or b is None:
        return False
    try:
        b_array = np.asarray(b)
        scale = np.broadcast_to(np.asarray(scale, np.float64), b_array.shape)
    except Exception:
        scale = 16 * np.abs(np.asarray(b, np.float64)) if np.ndim(b) else 16.0
    try:
        with np.errstate(all="ignore"):
            return compare(a, b, scale, dtype).ok
    except Exception:
        return False


def second_case(check, dtype, second):
    """The second case: a non-degenerate failing one, else the check's demo."""
    if second is not None:
        return second.case
    return check.demo(np.random.default_rng(1), dtype)


# ---------------------------------------------------------------- the catalogue
def _as_dtype_of(value, like):
    """value in like's dtype (for a values-only comparison), when both are numbers."""
    try:
        return np.asarray(value).astype(np.asarray(like).dtype)
    except (TypeError, ValueError):
        return value


def catalogue_matches(check, quantity, ev, other_case, target, values_only=False):
    """Catalogued mistakes that reproduce the user's values on both cases (with
    values_only, whatever dtype each comes in: the verdict is about values)."""
    from ..engine import evaluate
    yours = _value(ev, quantity)
    if yours is None or yours is NOT_SET:
        return []
    other = None
    found = []
    base = None
    for mistake in for_check(check.name):
        try:
            mistaken = evaluate(check, target_for(mistake), ev.case)
        except Exception:
            continue
        value = _value(mistaken, quantity)
        if value is None or mistaken.results[quantity].outcome is not Outcome.DISAGREES:
            continue          # the mistake does not show on this case: no evidence
        if base is None:
            from ..engine import project_target
            base = _value(evaluate(check, project_target(), ev.case), quantity)
        if _same(_as_dtype_of(value, base) if values_only else value, base,
                 ev.scales[quantity], ev.case.dtype):
            continue          # numpy_impl itself gives this here: the mistake's own
            #                   change does not show on this case
        if values_only:
            value = _as_dtype_of(value, yours)
        scale = ev.scales[quantity]
        if not _same(yours, value, scale, ev.case.dtype):
            continue
        if other is None:
            other = evaluate(check, target, other_case)
        your_other = _value(other, quantity)
        try:
            theirs_other = _value(evaluate(check, target_for(mistake), other_case), quantity)
        except Exception:
            continue
        if values_only and your_other is not None:
            theirs_other = _as_dtype_of(theirs_other, your_other)
        if your_other is not None and not _same(your_other, theirs_other,
                                                other.scales[quantity], other_case.dtype):
            continue          # the same on the first case only: not this mistake
        found.append(mistake)
    return found


def exception_matches(check, quantity, ev):
    """Catalogued mistakes that raise the same error on this case."""
    from ..engine import evaluate
    error = ev.results[quantity].error
    found = []
    for mistake in for_check(check.name):
        try:
            result = evaluate(check, target_for(mistake), ev.case).results.get(quantity)
        except Exception:
            continue
        if result is not None and result.error is not None and result.error.type == error.type \
                and result.error.message == error.message:
            found.append(mistake)
    return found


# ---------------------------------------------------------------- relations
def _factors(check, quantity, case):
    n = next((np.shape(case.arrays[a])[0] for a in check.arguments
              if np.ndim(case.arrays.get(a)) >= 1), 1)
    factors = [(-1.0, "has the wrong SIGN (it is -1 times torch's)"),
               (2.0, "is 2 times torch's"), (0.5, "is half of torch's")]
    if n > 1:
        factors += [(float(n), f"is N = {n} (the batch size) times torch's: not divided by "
                               f"the batch size"),
                    (1.0 / n, f"is torch's divided by N = {n} (the batch size): divided once "
                              f"too often, or a mean where torch sums")]
    k = next((np.shape(case.arrays[a])[1] for a in check.arguments
              if np.ndim(case.arrays.get(a)) == 2), 1)
    if k > 1 and k != n:
        factors += [(float(k), f"is {k} (the number of outputs per sample) times torch's: "
                               f"not divided by the number of outputs")]
        if n > 1:
            factors += [(float(n * k), f"is {n * k} (samples x outputs) times torch's: not "
                                       f"divided by the number of samples nor of outputs")]
    for name, array in case.arrays.items():
        array = np.asarray(array)
        if np.issubdtype(array.dtype, np.unsignedinteger):
            wrapped = -float(np.iinfo(array.dtype).max)   # -x of an unsigned 1 is max
            factors.append((wrapped, f"is {wrapped:g} times torch's: negating the unsigned "
                                     f"{array.dtype} {name} wrapped around (-1 became "
                                     f"{-wrapped:g}); cast them to the predictions' dtype "
                                     f"first"))
    return factors


def relations_on(check, quantity, ev):
    """{relation text: holds} for the user's value and torch's on this evaluation."""
    yours = _value(ev, quantity)
    theirs = np.asarray(ev.reference[quantity])
    found = {}
    if yours is None or yours is NOT_SET:
        return found
    try:
        a = np.asarray(yours)
    except Exception:
        return found
    if not (np.issubdtype(a.dtype, np.number) or a.dtype == np.bool_):
        return found
    scale = np.broadcast_to(np.asarray(ev.scales[quantity], np.float64), theirs.shape)
    dtype = ev.case.dtype
    if a.dtype != theirs.dtype and a.shape == theirs.shape:
        found[f"your {quantity} has dtype {a.dtype} where torch's is {theirs.dtype}: an array "
              f"of another dtype was mixed in (np.zeros, np.eye and np.ones make float64 "
              f"arrays; integer labels and masks promote float32 to float64; cast with "
              f"astype to the inputs' dtype)"] = True
    if a.shape != theirs.shape:
        if theirs.ndim == 2 and a.shape == theirs.T.shape:
            found[f"your {quantity} is TRANSPOSED: it equals torch's .T (swap the operands of "
                  f"the product, or transpose)"] = _same(a.T.astype(theirs.dtype), theirs,
                                                         scale, dtype)
        else:
            found[f"your {quantity} has the right values but shape {a.shape}, torch's is "
                  f"{theirs.shape} (keepdims=True keeps the summed axis)"] = \
                a.size == theirs.size and _same(
                    a.reshape(theirs.shape).astype(theirs.dtype), theirs, scale, dtype)
        return found
    a64, e64 = a.astype(np.float64), theirs.astype(np.float64)
    # Elements the policy does not judge (they depend on a planted NaN or inf, or are
    # a gradient at one) say nothing about the code: relations look at the others.
    unjudged = ev.unjudged.get(quantity)
    if unjudged is not None and np.any(unjudged):
        judged = ~np.broadcast_to(np.asarray(unjudged, bool), e64.shape)
        a64, e64, scale = a64[judged], e64[judged], scale[judged]
    if (~np.isfinite(a64) & np.isfinite(e64)).any():
        if ev.case.poison is not None:
            name, index = ev.case.poison
            found[f"your {quantity} has NaN or inf where torch's is finite, in elements that do "
                  f"not depend on the NaN or inf planted in {name}{list(index)}: it leaks "
                  f"through a product with 0 (0 * NaN and 0 * inf are NaN), e.g. multiplying "
                  f"by one-hot rows instead of picking the label's column, or a penalty term "
                  f"computed with a strength of 0 instead of skipped"] = True
        else:
            found[f"your {quantity} has NaN or inf where torch's is finite: an overflow (exp of "
                  f"a large number), log(0) or 0/0"] = True
        return found
    if check.relations is not None and not np.any(unjudged):
        for text, value in check.relations(ev.case).get(quantity, ()):
            value = np.asarray(value, np.float64)
            if value.shape == e64.shape:
                found[f"your {quantity} {text}"] = _same(a64, value, scale, dtype)
    for name, given in ev.case.arrays.items():
        given = np.asarray(given)
        if given.shape == e64.shape and np.issubdtype(given.dtype, np.floating) \
                and not np.any(unjudged) and not np.array_equal(given, e64):
            found[f"your {quantity} equals the {name} it was given, unchanged (the method "
                  f"passes its input through)"] = _same(a64, given.astype(np.float64), scale,
                                                        dtype)
    if np.any(e64 != 0):
        for factor, words in _factors(check, quantity, ev.case):
            found[f"your {quantity} {words}"] = _same(a64, factor * e64, abs(factor) * scale,
                                                      dtype)
    return found


def computed_in_float32(check, quantity, ev, target):
    """Torch's result recomputed in float32 explains the user's float64 value: at
    every element that disagrees, the user's value is within float32 rounding of
    torch's float32 result, and somewhere it is as far from torch's float64 result
    as float32 rounding puts it (not merely a little off in float64)."""
    from ..engine import evaluate
    from .. import tolerances
    if np.dtype(ev.case.dtype) != np.float64:
        return False
    yours = _value(ev, quantity)
    if yours is None or yours is NOT_SET:
        return False
    arrays = {k: (np.asarray(v).astype(np.float32)
                  if np.asarray(v).dtype == np.float64 and np.ndim(v) else v)
              for k, v in ev.case.arrays.items()}
    case32 = ev.case.__class__(np.float32, ev.case.regime, arrays)
    try:
        e32 = np.asarray(evaluate(check, target, case32).reference[quantity], np.float64)
        a = np.asarray(yours, np.float64)
    except Exception:
        return False
    e64 = np.asarray(ev.reference[quantity], np.float64)
    if a.shape != e64.shape or e32.shape != e64.shape:
        return False
    scale = np.broadcast_to(np.asarray(ev.scales[quantity], np.float64), e64.shape)
    with np.errstate(invalid="ignore"):
        off64 = np.abs(a - e64)
        bad = ~tolerances.within(off64, tolerances.allowed(np.float64, scale))
        near32 = tolerances.within(np.abs(a - e32), tolerances.allowed(np.float32, scale))
        gap = np.abs(e32 - e64)
        sized = (gap > 0) & (off64 >= 0.25 * gap)
    # Every bad element within float32 rounding of torch's float32 result, and
    # somewhere an error of float32's size (not merely a little off in float64).
    return bool(bad.any() and near32[bad].all() and sized[bad].any())


# ---------------------------------------------------------------- the verdict's diagnosis
def diagnose(verdict, check, target, quantity, ev, second):
    """Fill verdict.diagnosis, .mistakes and .book_deviation for a failing quantity."""
    lines, named = [], []
    if verdict.what == "not set":
        from ..binding import ATTRIBUTE_ALIASES
        if quantity in ATTRIBUTE_ALIASES:           # the book keeps it as an attribute
            aliases = ", ".join(ATTRIBUTE_ALIASES[quantity][:4])
            role = check.roles[0] if check.roles else check.name
            verdict.diagnosis = [
                f"no .{quantity} was set (nor {aliases}, ...) and the method returned "
                f"nothing: if your code keeps it under another name, declare it: --bind "
                f"{role}.{quantity}=NAME (or NN_CROSSCHECK)"]
        else:
            verdict.diagnosis = [f"the call that gives {quantity} returned None (a missing "
                                 f"return?)"]
        verdict.mistakes = []
        return
    try:
        if verdict.outcome is Outcome.ERROR:
            named = exception_matches(check, quantity, ev)
        else:
            other_case = second_case(check, ev.case.dtype, second)
            named = catalogue_matches(check, quantity, ev, other_case, target,
                                      values_only=verdict.what == "values")
            first = relations_on(check, quantity, ev)
            if any(first.values()):
                from ..engine import evaluate
                other = evaluate(check, target, other_case)
                again = relations_on(check, quantity, other) \
                    if other.results[quantity].outcome is Outcome.DISAGREES else {}
                for text, holds in first.items():
                    kind = _relation_key(text)
                    seen = [h for t, h in again.items() if _relation_key(t) == kind]
                    # Named when it holds on the second case too, wherever that case
                    # can show a difference of its kind at all (a factor of N = 1 cannot).
                    if holds and (not seen or any(seen)):
                        lines.append(text)
            if verdict.what == "values" and computed_in_float32(check, quantity, ev, target):
                lines.append(f"your float64 {quantity} equals what your own code gives in "
                             f"float32: part of it is computed in float32 (nnfs.init() makes "
                             f"np.dot do that; so does astype(np.float32))")
    except Exception as exc:       # a diagnosis must never hide the verdict
        lines.append(f"(the diagnosis itself failed: {type(exc).__name__}: {exc})")
    book = [m.name for m in named if m.book]
    for line in lines:
        for marker, name in BOOK_RELATIONS.items():
            if marker in line:
                book.append(name)
    if book:
        verdict.book_deviation = book[0]
        lines = [f"as the book writes it: {line}" if any(m in line for m in BOOK_RELATIONS)
                 else line for line in lines]
    verdict.diagnosis = [m.label(verdict.what) for m in named] + lines or (
        [] if verdict.outcome is Outcome.ERROR else [NOTHING])
    verdict.mistakes = [m.name for m in named]


# A relation that is the book's own way of writing it: -y_true of unsigned
# one-hot labels (the book's cross-entropy backward) wraps around.
BOOK_RELATIONS = {"negating the unsigned": "book-unsigned-wrap"}


def _relation_key(text):
    """The kind of a relation ('is 2 times', 'TRANSPOSED', ...), numbers removed."""
    import re
    return re.sub(r"[-\d.]+", "#", text.split(":")[0])


def diagnose_in_place(verdict, check, target, ev):
    """Catalogued mistakes that write into the same arguments on this case."""
    from ..engine import evaluate
    changed = ev.results["arguments"].reason
    named = []
    for mistake in for_check(check.name):
        try:
            mistaken = evaluate(check, target_for(mistake), ev.case)
        except Exception:
            continue
        result = mistaken.results.get("arguments")
        if result is not None and result.outcome is Outcome.DISAGREES and result.reason == changed:
            named.append(mistake)
    verdict.diagnosis = [m.label() for m in named] or [NOTHING]
    verdict.mistakes = [m.name for m in named]
