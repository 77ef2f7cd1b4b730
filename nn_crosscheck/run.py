"""Run the cross-check of one implementation: every check of the registry (or
some), in the dtypes asked for. Both commands and the pytest plugin use this.

    target = make_target("my_nn.py")
    for check, dtype in units(checks):
        check_run = run_check(check, dtype, target, max_examples=100)
"""
import pickle
import sys
from types import SimpleNamespace

import numpy as np

from .binding import Binder, ROLES
from .components import ORDER, REGISTRY
from .constants import DTYPES
from .engine import CheckRun, Target, run_check
from .loader import load


def make_target(spec=None, *, run_module_code=False, declared=None, cwd=None):
    """Load the implementation and bind its names (loader, then binding)."""
    implementation = load(spec, run_module_code=run_module_code, cwd=cwd)
    binder = Binder(implementation.module, implementation.label, declared)
    return Target(implementation, binder)


def select(checks=REGISTRY, only=None):
    """The checks named `only` (a book class or scenario name, any case), or all."""
    if not only:
        return list(checks)
    wanted = only.lower()
    chosen = [c for c in checks if c.name.lower() == wanted or c.id.lower() == wanted]
    if not chosen:
        names = sorted({c.name for c in checks}, key=lambda n: ORDER.get(n, 0))
        raise ValueError(f"unknown component {only!r}; the checks are: {', '.join(names)}")
    return chosen


def units(checks, dtypes=DTYPES):
    """(check, dtype) for every check and each of its dtypes asked for."""
    return [(c, d) for c in checks for d in c.dtypes
            if np.dtype(d) in [np.dtype(x) for x in dtypes]]


def run_all(target, checks, dtypes=DTYPES, *, max_examples, user_seed=0, progress=None,
            parallel=False):
    """[(check, dtype, CheckRun)] for every unit, in the book's order. With
    `parallel` (Linux), a forked process runs the units that train with
    torch.optim while this one runs the others; same verdicts either way."""
    todo = units(checks, dtypes)

    def one(check, dtype, show=True):
        if progress and show:
            progress(check, dtype)
        return run_check(check, dtype, target, max_examples=max_examples, user_seed=user_seed)
    forked = share(todo) if parallel and sys.platform.startswith("linux") else []
    if forked and len(forked) < len(todo):
        runs = _run_forked(target, todo, forked, one)
    else:
        runs = [one(check, dtype) for check, dtype in todo]
    return [(check, dtype, run) for (check, dtype), run in zip(todo, runs)]


# The forked process takes every unit that steps a torch.optim optimizer (the
# first step imports torch's compiler machinery, about 0.6 s: paid once, there),
# then the others are dealt to whichever process has less to do. Costs in units
# of a typical check (about 0.07 s), measured on numpy_impl.
TORCH_OPTIM = {"Optimizer_SGD", "Optimizer_Adagrad", "Optimizer_RMSprop", "Optimizer_Adam",
               "training", "Model"}
COST = {"training": 5.0, "Model": 3.0}
TORCH_OPTIM_IMPORT = 10.0


def share(todo):
    """The indices of `todo` the forked process runs (none if no unit steps
    torch.optim: then nothing is gained by forking)."""
    forked = [i for i, (check, _) in enumerate(todo) if check.name in TORCH_OPTIM]
    if not forked:
        return []
    load = [0.0, TORCH_OPTIM_IMPORT + sum(COST.get(todo[i][0].name, 1.0) for i in forked)]
    for i, (check, _) in enumerate(todo):
        if check.name not in TORCH_OPTIM:
            side = int(load[1] < load[0])
            load[side] += COST.get(check.name, 1.0)
            if side:
                forked.append(i)
    return sorted(forked)


def _portable(run):
    """A CheckRun as bytes for the parent: its verdicts and, per shown quantity,
    the case and results the report reads (not the session, which holds the
    user's objects). None when something in it cannot be pickled."""
    shown = {q: SimpleNamespace(case=ev.case, results=ev.results) for q, ev in run.shown.items()}
    try:
        return pickle.dumps(CheckRun(run.verdicts, shown))
    except Exception:     # the parent runs that unit itself
        return None


def _run_forked(target, todo, forked, one):
    """Run todo[i] for i in `forked` in a child process, the rest here. A unit
    the child could not send back (or every one, if the child failed) is run
    here afterwards, so a verdict never depends on the fork. Notes the child's
    runs added to the target are merged, in order."""
    import os
    notes = (target.implementation.notes, target.implementation.problems)
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read)
            sent = {i: _portable(one(*todo[i], show=False)) for i in forked}
            with os.fdopen(write, "wb") as out:
                pickle.dump((sent, notes, target.binder.said()), out)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    theirs = set(forked)
    runs = [None if i in theirs else one(*todo[i]) for i in range(len(todo))]
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if data and status == 0:
        sent, child_notes, said = pickle.loads(data)
        for mine, theirs in zip(notes, child_notes):
            mine.extend(n for n in theirs if n not in mine)
        target.binder.hear(said)
    else:
        sent = {}
    for i in forked:
        if sent.get(i) is not None:
            try:
                runs[i] = pickle.loads(sent[i])
            except Exception:     # run here below
                pass
    return [run if run is not None else one(*todo[i]) for i, run in enumerate(runs)]


def did_you_mean(target):
    """Lines for a file in which nothing was checked: its classes, the closest
    book names."""
    return target.binder.unbound_classes(list(ROLES))
