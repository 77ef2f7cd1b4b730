"""The text report: what both commands print, in an 80-column terminal.

For each failing quantity: the verdict in words (what differs, where, how
many elements), the worst element with both values and the tolerance there,
a few more disagreeing elements, the diagnosis, and a reproduction to paste.
For each agreeing quantity, one line. Then the summary: one line per check,
failures first, then the book's order, with counts.
"""
import textwrap

import numpy as np

from ..verdicts import Outcome, summarize

WIDTH = 79
SHOWN_BAD = 4          # disagreeing elements shown besides the worst
VALUE = 22


def wrap(text, indent="  ", more="    "):
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=more,
                         break_on_hyphens=False, break_long_words=False) or [indent]


def rule(title):
    title = f"== {title} "
    return title + "=" * max(3, WIDTH - len(title))


def short(x):
    """1.2e-16 style; 0 as 0; a tolerance that is only the underflow floor as
    'exact' (bit for bit)."""
    if x == 0:
        return "0"
    if 0 < x < 1e-290 or (0 < x < 1e-36 and x > 4e-38):
        return "exact"
    if not np.isfinite(x):
        return str(x)
    return f"{x:.1e}"


def value_text(x, dtype):
    """The shortest text that gives back this value in its dtype."""
    try:
        return str(np.dtype(dtype).type(x))
    except (TypeError, ValueError):
        return repr(x)


def index_text(index):
    if not index:
        return "(the value)"
    return "[" + ", ".join(str(i) for i in index) + "]"


# ---------------------------------------------------------------- one quantity
def verdict_line(v):
    """'dinputs [float64]  DISAGREES everywhere: 3 of 12 elements differ'."""
    head = f"{v.quantity} [{v.dtype}]" if v.dtype else v.quantity
    if v.outcome is Outcome.AGREES:
        extra = f"{v.examples} cases" if v.examples else ""
        if v.worst_ratio:
            extra += f", largest difference {v.worst_ratio:.2g} of the tolerance"
        if v.follows:
            extra += f"; follows {v.follows}"
        return f"{head}  agrees ({extra.lstrip(', ')})"
    if v.outcome is Outcome.NOT_CHECKED:
        return f"{head}  not checked: {v.what}"
    if v.outcome is Outcome.ERROR:
        return f"{head}  ERROR: {v.error.line()}" + (f" ({v.regime})" if v.regime else "")
    where = f" {v.regime}" if v.regime else ""
    book = " (as the book writes it)" if v.book_deviation else ""
    if v.follows:                   # "compared as <another legitimate form>"
        book += f" ({v.follows})"
    if v.what == "values":
        return (f"{head}  DISAGREES{where}{book}: {v.n_bad} of {v.n_total} element"
                f"{'s' if v.n_total != 1 else ''} differ from torch")
    if v.what in ("dtype", "shape"):
        return f"{head}  DISAGREES{where}{book}: {v.what}: {v.detail}"
    if v.what == "changed in place":
        return f"{head}  DISAGREES: {v.detail}"
    return f"{head}  DISAGREES{book}: {v.what} ({v.detail})"


def element_rows(v, comparison):
    """The worst element and a few more that disagree, with both values."""
    lines = []
    if comparison is None or comparison.diff is None:
        if v.worst is not None:
            lines.append(f"    worst at {index_text(v.worst.index)}: yours {v.worst.yours!r}, "
                         f"torch {v.worst.torch!r}")
        return lines
    c = comparison
    flat_bad = np.flatnonzero(c.bad.ravel()) if c.bad is not None else []
    worst = v.worst.index if v.worst else None
    shown = [worst] if worst is not None else []
    for flat in flat_bad:
        index = tuple(int(i) for i in np.unravel_index(flat, c.bad.shape)) if c.bad.ndim else ()
        if index not in shown:
            shown.append(index)
        if len(shown) > SHOWN_BAD:
            break
    width = max(9, max(len(index_text(i)) for i in shown) if shown else 9)
    lines.append(f"    {'element':>{width}} {'yours':>{VALUE}} {'torch':>{VALUE}} "
                 f"{'|diff|':>8} {'allowed':>8}")
    dtype = np.dtype(v.dtype) if v.dtype else np.float64
    for index in shown:
        mark = "  <- worst" if index == worst else ""
        lines.append(f"    {index_text(index):>{width}} {value_text(c.yours[index], dtype):>{VALUE}}"
                     f" {value_text(c.torch[index], dtype):>{VALUE}} {short(c.diff[index]):>8}"
                     f" {short(c.allowed[index]):>8}{mark}")
    if len(flat_bad) > len(shown):
        lines.append(f"    ... and {len(flat_bad) - len(shown)} more that disagree")
    return lines


def reproduction_lines(v, limit=40):
    if not v.reproduction:
        return []
    code = v.reproduction.splitlines()
    lines = ["    to reproduce (paste into Python):"]
    for line in code[:limit]:
        if len(line) > 400:
            line = line[:380] + " ...  # (shortened: the whole case is in --json)"
        lines.append("      " + line)
    if len(code) > limit:
        lines.append(f"      # ... {len(code) - limit} more lines in --json")
    return lines


def quantity_block(v, comparison=None, *, reproduce=True):
    lines = wrap(verdict_line(v), "  ", "      ")
    if not v.failed:
        return lines
    if v.outcome is Outcome.DISAGREES and v.what == "values":
        lines += element_rows(v, comparison)
    for note in v.notes:
        lines += wrap(f"note: {note}", "    ", "      ")
    for line in v.diagnosis:
        lines += wrap(f"diagnosis: {line}", "    ", "      ")
    if reproduce:
        lines += reproduction_lines(v)
    return lines


# ---------------------------------------------------------------- the whole report
def check_sections(results, *, reproduce=True):
    """Lines for every check: results is [(check, dtype, CheckRun)]."""
    by_name = {}
    for check, dtype, run in results:
        by_name.setdefault(check.name, []).append((check, dtype, run))
    lines = []
    for name, entries in by_name.items():
        lines += ["", rule(name)]
        verdicts = [v for _, _, run in entries for v in run.verdicts]
        if verdicts and all(v.outcome is Outcome.NOT_CHECKED for v in verdicts):
            reasons = sorted({v.what for v in verdicts})
            lines += wrap(f"not checked: {'; '.join(reasons)}")
            continue
        said = []
        for check, dtype, run in entries:
            for v in run.verdicts:
                shown = run.shown.get(v.quantity)
                comparison = None
                if shown is not None and v.quantity in shown.results:
                    comparison = shown.results[v.quantity].comparison
                lines += quantity_block(v, comparison, reproduce=reproduce)
                said += [n for n in v.notes if v.failed and n not in said]
        # what an agreement rests on (a default given, arguments passed by name,
        # a value read from a return), once per component
        for v in verdicts:
            for note in v.notes:
                if not v.failed and note not in said:
                    said.append(note)
                    lines += wrap(f"note: {note}", "  ", "    ")
    return lines


NAME_WIDTH = 30


def summary_lines(verdicts, order, label, *, allow_book_deviations=False):
    """One line per check (failures first, then the book's order); the checks
    whose class the file does not have, in one line; the counts."""
    lines = ["", rule(f"summary: {label} vs torch")]
    absent = []
    for s in summarize(verdicts, order):
        outcome = s.outcome
        counts = s.counts()
        if outcome is Outcome.NOT_CHECKED:
            reasons = sorted({v.what for v in s.verdicts})
            if all(" has no " in r and "()" not in r and "takes" not in r for r in reasons):
                absent.append(s.check)
                continue
            text = f"{'not checked':<12} {'; '.join(reasons)}"
        elif outcome in (Outcome.DISAGREES, Outcome.ERROR):
            text = f"{outcome.value:<12} {s.failing()}"
            disagreeing = [v for v in s.verdicts if v.outcome is Outcome.DISAGREES]
            if outcome is Outcome.DISAGREES and all(v.book_deviation for v in disagreeing):
                text += " (as the book writes it" + ("; allowed)" if allow_book_deviations
                                                     else ")")
        else:
            n = counts[Outcome.AGREES]
            text = f"{'agrees':<12} {n} quantit{'y' if n == 1 else 'ies'}"
            if counts[Outcome.NOT_CHECKED]:
                text += f"; not checked: {s.not_checked()}"
        if s.verdicts and all(v.project for v in s.verdicts):
            text += " (the project's numpy_impl: your file has none)"
        if len(s.check) > NAME_WIDTH:
            lines.append(f"  {s.check}")
            lines += wrap(f"{'':<{NAME_WIDTH}}  {text}", "  ", " " * (NAME_WIDTH + 17))
        else:
            lines += wrap(f"{s.check:<{NAME_WIDTH}}  {text}", "  ", " " * (NAME_WIDTH + 17))
        if outcome in (Outcome.DISAGREES, Outcome.ERROR):
            seen = []
            for v in s.verdicts:
                for d in v.diagnosis:
                    if d not in seen:
                        seen.append(d)
            named = [d for d in seen if not d.startswith("third opinion")]
            seen = named or seen[:1]      # third opinions are in the details above
            for d in seen[:3]:
                lines += wrap(f"diagnosis: {d}", "      ", "        ")
    if absent:
        lines += wrap(f"not checked ({label} has no such class): {', '.join(absent)}",
                      "  ", "    ")
    total = {o: sum(1 for v in verdicts if v.outcome is o and not v.project) for o in Outcome}
    lines.append(f"  counts (quantities x dtypes): {total[Outcome.AGREES]} agree, "
                 f"{total[Outcome.DISAGREES]} disagree, {total[Outcome.ERROR]} "
                 f"error{'s' if total[Outcome.ERROR] != 1 else ''}, "
                 f"{total[Outcome.NOT_CHECKED]} not checked")
    return lines


def notes_lines(target):
    lines = []
    for problem in target.implementation.problems:
        lines += wrap(f"ERROR in the file: {problem}", "  ", "    ")
    for note in target.implementation.notes + target.binder.notes:
        lines += wrap(f"note: {note}", "  ", "    ")
    return lines


def final_line(verdicts, label, status, did_you_mean=()):
    from ..constants import EXIT_AGREE, EXIT_NOTHING
    failing = {}
    for v in verdicts:
        if v.failed:
            failing.setdefault(v.check, [])
            if v.quantity not in failing[v.check]:
                failing[v.check].append(v.quantity)
    if status == EXIT_NOTHING:
        asked = sorted({v.check for v in verdicts})
        if not did_you_mean and asked and len(asked) <= 3:
            return wrap(f"Nothing was checked: {label} has nothing that {', '.join(asked)} "
                        f"can check (see above).", "", "  ")
        lines = [f"Nothing was checked: {label} has none of the book's classes this tool "
                 f"knows under a name it recognizes."]
        for line in did_you_mean:
            lines += wrap(line, "  ", "    ")
        return lines
    if failing:
        what = "; ".join(f"{c} ({', '.join(q)})" for c, q in failing.items())
        outcomes = {v.outcome for v in verdicts if v.failed and not v.project}
        head = " or ".join(o.value for o in (Outcome.DISAGREES, Outcome.ERROR)
                           if o in outcomes) or "DISAGREES"
        if status == EXIT_AGREE:
            head = "only book deviations (allowed)"
        return wrap(f"{head}: {what} -- {label} vs torch", "", "  ")
    n = sum(1 for v in verdicts if v.outcome is Outcome.AGREES and not v.project)
    return [f"agrees: all {n} checked quantities equal torch's -- {label}"]
