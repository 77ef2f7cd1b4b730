"""Reports of verdicts: text (text.py), JSON (as_json), and a plot (plot.py)."""
import json

from ..verdicts import summarize


def as_json(target, verdicts, order, status):
    """One object: the implementation, its notes, every verdict (one per check,
    quantity and dtype: outcome, worst element, values, tolerance, diagnosis,
    reproduction), the summary and the exit status."""
    return json.dumps({
        "implementation": target.label,
        "notes": target.implementation.notes + target.binder.notes,
        "problems": target.implementation.problems,
        "exit_status": status,
        "summary": [{"check": s.check, "outcome": s.outcome.value,
                     "counts": {o.value: n for o, n in s.counts().items()}}
                    for s in summarize(verdicts, order)],
        "verdicts": [v.to_json() for v in verdicts],
    }, indent=1, default=_plain)


def _plain(value):
    try:
        return value.item()
    except AttributeError:
        return str(value)
