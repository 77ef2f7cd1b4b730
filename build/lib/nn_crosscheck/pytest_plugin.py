"""The pytest plugin: `pytest --crosscheck=my_nn.py` runs the cross-check next
to a project's own tests (installed with the package; registered as a pytest11
entry point, inactive without --crosscheck).

Each check and dtype is one test item (collected from nn_crosscheck/checks.py).
A failing item shows the verdicts in words (component, quantity, dtype, the
worst element, the diagnosis, a reproduction to paste), not the harness. The
run ends with one summary line per check, built from the verdicts themselves
(also across xdist workers), failures first, then the book's order.
"""
import json
import os
import random

import pytest

from . import profiles
from .constants import DTYPES
from .verdicts import Outcome, UserError, Verdict, Worst, exit_status

CHECKS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checks.py")
LAST_RUN = {}      # what the last session found (read by `nn-crosscheck test`)


def pytest_addoption(parser):
    group = parser.getgroup("crosscheck", "cross-check against torch (nn-crosscheck)")
    group.addoption("--crosscheck", metavar="PATH_OR_MODULE", default=None,
                    help="check this implementation against torch: a .py file, a package "
                         "folder or a dotted module name (numpy_impl: this project's)")
    group.addoption("--crosscheck-bind", action="append", default=[], metavar="BOOK=THEIRS",
                    help="declare a name: --crosscheck-bind Layer_Dense=FullyConnected")
    group.addoption("--crosscheck-run-module-code", action="store_true",
                    help="run the file's module-level code too (by default only its "
                         "definitions are imported)")
    group.addoption("--crosscheck-allow-book-deviations", action="store_true",
                    help="the book's own formula differences are listed but do not fail")
    group.addoption("--crosscheck-dtype", choices=("float32", "float64", "both"),
                    default="both", help="the dtypes to check (default both)")


def _active(config):
    return config.getoption("--crosscheck", default=None) is not None


def pytest_configure(config):
    profiles.register()
    if not _active(config):
        return
    config.addinivalue_line("markers", "crosscheck: an item of the cross-check against torch")
    from .binding import parse_bind_options
    from .loader import ImplLoadError
    from .run import make_target
    try:
        declared = parse_bind_options(config.getoption("--crosscheck-bind"))
        config._crosscheck_target = make_target(
            config.getoption("--crosscheck"),
            run_module_code=config.getoption("--crosscheck-run-module-code"),
            declared=declared)
    except (ImplLoadError, ValueError) as exc:
        raise pytest.UsageError(str(exc)) from None
    if CHECKS_FILE not in config.args:
        config.args.append(CHECKS_FILE)
    # The checks' tensors are small: torch's thread pool only adds overhead there,
    # and contends with the other xdist worker. Parallelism comes from xdist.
    import torch
    torch.set_num_threads(1)
    config._crosscheck_verdicts = []


def pytest_report_header(config):
    if not _active(config):
        return None
    target = config._crosscheck_target
    lines = [f"cross-check: {target.label} vs torch"]
    lines += [f"note: {n}" for n in target.implementation.notes + target.implementation.problems]
    return lines


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path, parent):
    if os.path.abspath(str(module_path)) == CHECKS_FILE:
        if not _active(parent.config):
            return CheckCollector.from_parent(parent, path=module_path, inactive=True)
        return CheckCollector.from_parent(parent, path=module_path)
    return None


class CheckCollector(pytest.File):
    """nn_crosscheck/checks.py: one item per check and dtype of the registry."""

    def __init__(self, *args, inactive=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.inactive = inactive

    def collect(self):
        if self.inactive:
            return
        from .run import units
        from .components import REGISTRY
        choice = self.config.getoption("--crosscheck-dtype")
        dtypes = DTYPES if choice == "both" else [d for d in DTYPES if d.__name__ == choice]
        for check, dtype in units(REGISTRY, dtypes):
            yield CheckItem.from_parent(self, name=f"{check.id}[{dtype.__name__}]",
                                        check=check, dtype=dtype)


class CheckFailed(Exception):
    """A check's verdicts include a disagreement or an error of the user's code."""


class CheckItem(pytest.Item):
    def __init__(self, *, check, dtype, **kwargs):
        super().__init__(**kwargs)
        self.check, self.dtype = check, dtype
        self.add_marker("crosscheck")

    def runtest(self):
        from .engine import run_check
        config = self.config
        target = config._crosscheck_target
        settings = profiles.current()
        run = run_check(self.check, self.dtype, target, max_examples=settings.max_examples,
                        user_seed=_user_seed(config))
        self.check_run = run
        self.user_properties.append(("crosscheck", json.dumps(
            [v.to_json() for v in run.verdicts], default=str)))
        allow = config.getoption("--crosscheck-allow-book-deviations")
        failed = [v for v in run.verdicts if v.failed
                  and not (allow and v.book_deviation and v.outcome is Outcome.DISAGREES)]
        if failed:
            raise CheckFailed()
        if all(v.outcome is Outcome.NOT_CHECKED for v in run.verdicts):
            pytest.skip(run.verdicts[0].what if run.verdicts else "nothing to check")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed):
            from .report.text import quantity_block
            lines = [f"{self.check.name} [{self.dtype.__name__}] vs torch, on "
                     f"{self.config._crosscheck_target.label}:"]
            for v in self.check_run.verdicts:
                if v.failed or v.outcome is Outcome.NOT_CHECKED:
                    shown = self.check_run.shown.get(v.quantity)
                    comparison = shown.results[v.quantity].comparison \
                        if shown is not None and v.quantity in shown.results else None
                    lines += quantity_block(v, comparison)
            seed = _user_seed(self.config)
            if seed:
                lines.append(f"  (examples drawn with --hypothesis-seed={seed})")
            return "\n".join(lines)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"cross-check {self.check.id} [{self.dtype.__name__}]"


_SEEDS = {}


def _user_seed(config):
    """0 (the same examples every run) unless --hypothesis-seed is given; with a
    profile that asks for fresh examples (thorough), a random seed, reported."""
    given = config.getoption("hypothesis_seed", default=None)
    if given is not None:
        return int(given)
    if profiles.fresh():
        return _SEEDS.setdefault("run", random.randrange(1, 2 ** 31))
    return 0


# ---------------------------------------------------------------- the summary
def pytest_runtest_logreport(report):
    for name, value in getattr(report, "user_properties", ()):
        if name == "crosscheck" and report.when == "call":
            LAST_RUN.setdefault("verdicts", []).extend(json.loads(value))


def _verdicts():
    out = []
    for data in LAST_RUN.get("verdicts", []):
        data = dict(data)
        data["outcome"] = Outcome(data["outcome"])
        data["shape"] = tuple(data.get("shape", ()))
        if data.get("worst"):
            data["worst"] = Worst(**{**data["worst"], "index": tuple(data["worst"]["index"])})
        if data.get("error"):
            data["error"] = UserError(**data["error"])
        out.append(Verdict(**data))
    return out


def pytest_terminal_summary(terminalreporter, config):
    if not _active(config):
        return
    from .components import ORDER
    from .report.text import final_line, notes_lines, summary_lines
    from .run import did_you_mean
    target = config._crosscheck_target
    verdicts = _verdicts()
    if not verdicts:          # no item of the cross-check ran (deselected: -m, -k)
        return
    allow = config.getoption("--crosscheck-allow-book-deviations")
    status = exit_status(verdicts, allow_book_deviations=allow,
                         problems=target.implementation.problems)
    LAST_RUN["status"] = status
    tr = terminalreporter
    tr.section(f"cross-check summary: {target.label} vs torch")
    for line in summary_lines(verdicts, ORDER, target.label, allow_book_deviations=allow)[2:]:
        tr.write_line(line)
    for line in notes_lines(target):
        tr.write_line(line)
    for line in final_line(verdicts, target.label, status,
                           did_you_mean(target) if status == 3 else ()):
        tr.write_line(line, bold=True, red=status == 1, yellow=status == 3)


def pytest_sessionstart(session):
    LAST_RUN.clear()


def pytest_sessionfinish(session, exitstatus):
    if not _active(session.config) or not hasattr(session.config, "_crosscheck_target"):
        return
    verdicts = _verdicts()
    if verdicts and all(v.outcome is Outcome.NOT_CHECKED for v in verdicts) \
            and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED
