"""Suite configuration: the --impl option, Hypothesis profiles, and the
per-component summary printed at the end of every run."""
import os
import re
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, Phase, settings

from .impl_loader import ImplLoadError, load

# ---------------------------------------------------------------- Hypothesis profiles
# No "explain" phase: its coverage notes point into the harness, not the learner's code.
_common = dict(deadline=None, print_blob=True,
               phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Everyday and CI: derandomized (the same examples every run), no example database.
settings.register_profile("ci", max_examples=100, derandomize=True, database=None, **_common)
# Calibration: thousands of fresh random examples per property (use with -n auto).
settings.register_profile("thorough", max_examples=3000, **_common)
settings.register_profile("quick", max_examples=20, derandomize=True, database=None, **_common)
settings.load_profile(os.environ.get("CROSSCHECK_PROFILE", "ci"))


def pytest_addoption(parser):
    parser.addoption("--impl", default=None, metavar="PATH_OR_MODULE",
                     help="implementation under test: a .py file or a dotted module "
                          "name (default: numpy_impl)")


def pytest_configure(config):
    config.addinivalue_line("markers", "project: a self-test of this project; not run "
                                       "with --impl")
    try:
        config._crosscheck_impl = load(config.getoption("--impl"))
    except ImplLoadError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_report_header(config):
    impl = config._crosscheck_impl
    lines = [f"implementation under test: {impl.label}"]
    lines += [f"note: {n}" for n in impl.notes]
    return lines


def pytest_collection_modifyitems(config, items):
    if config.getoption("--impl") is None:
        return
    kept = [i for i in items if i.get_closest_marker("project") is None]
    dropped = [i for i in items if i.get_closest_marker("project") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def impl(request):
    return request.config._crosscheck_impl


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """The suite's tensors have a few dozen elements: torch's thread pool only adds
    overhead there, and spins for seconds when other processes (or the other xdist
    worker) keep the cores busy. Parallelism comes from xdist's processes instead."""
    import torch
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# ---------------------------------------------------------------- summary
def pytest_runtest_logreport(report):
    props = dict(report.user_properties)
    if "crosscheck" not in props:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        component, what = props["crosscheck"]
        outcome = "skipped" if report.skipped else report.outcome
        reason = report.longrepr[2] if report.skipped and isinstance(report.longrepr, tuple) else ""
        _results[component][outcome].append((what, reason))
        if report.failed:
            text = str(report.longrepr)
            # Which quantities disagreed: each verdict starts "<Component> <quantity> (".
            quantities = re.findall(rf"^(?:E\s+)?(?:AssertionError: )?{re.escape(component)} "
                                    rf"(\w+) \((float\d+)", text, flags=re.M)
            _failing[component].update(f"{q} [{d}]" for q, d in quantities)
            for line in text.splitlines():
                _, marker, diagnosis = line.partition("diagnosis: ")
                if marker and diagnosis not in _diagnoses[component]:
                    _diagnoses[component].append(diagnosis)


_results = defaultdict(lambda: defaultdict(list))
_diagnoses = defaultdict(list)
_failing = defaultdict(set)


def pytest_terminal_summary(terminalreporter, config):
    if not _results:
        return
    tr = terminalreporter
    impl = config._crosscheck_impl
    tr.section(f"cross-check summary: {impl.label} vs torch")
    width = max(len(c) for c in _results)
    checked = 0
    for component, outcomes in _results.items():
        failed, passed, skipped = outcomes["failed"], outcomes["passed"], outcomes["skipped"]
        checked += len(failed) + len(passed)
        if failed:
            names = ", ".join(sorted(_failing[component])) or ", ".join(w for w, _ in failed)
            tr.write_line(f"{component:<{width}}  DISAGREES  {names}",
                          red=True, bold=True)
            for diagnosis in _diagnoses[component]:
                tr.write_line(f"    diagnosis: {diagnosis}")
        elif passed:
            tr.write_line(f"{component:<{width}}  agrees     {len(passed)} checks passed",
                          green=True)
        else:
            reason = skipped[0][1].replace("Skipped: ", "") if skipped else ""
            tr.write_line(f"{component:<{width}}  skipped    {reason}", yellow=True)
    for note in impl.notes:
        tr.write_line(f"note: {note}")
    if checked == 0:
        tr.write_line(f"Nothing was checked: {impl.label} provides none of the book's "
                      f"classes this suite knows ({', '.join(_results)}).",
                      yellow=True, bold=True)


def pytest_itemcollected(item):
    """Tag each registry property with its component, for the summary."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    component = params.get("component")
    if component is not None:
        what = item.originalname.removeprefix("test_").replace("_", " ")
        if "dtype" in params:
            what += f" [{params['dtype'].__name__}]"
        item.user_properties.append(("crosscheck", (component.name, what)))
