"""Mutation testing of numpy_impl and reference/: does every wrong edit turn the
suite red? Run it as scripts/mutation (which installs mutmut first):

    scripts/mutation                     # numpy_impl: mutmut's operators, then ours
    scripts/mutation reference           # reference/
    scripts/mutation all                 # both
    scripts/mutation numpy_impl --kinds statements
    scripts/mutation --verify            # also: each gap's test fails on its mutant
    scripts/mutation all --reuse         # judge the last runs again (no new run)

Two kinds of mutants, each a run of mutmut 3.8.1 (requirements-mutation.txt):
  mutmut      mutmut's own operators (numbers, strings, operators, comparisons,
              arguments, assignments to None, ...).
  statements  what mutmut lacks, added here as operators of the same machinery
              (_statement_operators): a statement deleted (replaced by `pass`;
              an if/for/with block at once, too), `return x` -> `return None`,
              `.copy()` and `.astype(...)` dropped (and their torch spellings
              `.clone()` and `.to(...)`).

Each run works in .mutation/TARGET-KIND/ (a copy of the project; mutmut writes
its mutants/ there) and tests every mutant with the tests that reach the mutated
function, out of TARGETS' selection (quick Hypothesis profile, not the slow
tier, no subprocess tests): for numpy_impl its own tests and the cross-check of
numpy_impl against torch; for reference/ the gradcheck tests, the three-way
finite-difference tests, tests/test_reference.py, and the tests that compare
numpy_impl with it (cross-check, optimizers, single neuron). A mutant that
makes its tests hang counts as killed (timeout).

mutation/survivors.toml records every mutant that ever survived, with a verdict:
`equivalent` (why no test can tell it from the original) or `killed_by` (the
test added to kill it). The score is killed / (mutants - equivalent). The
command exits 1 when a mutant survives that is not recorded as equivalent, when
a recorded gap survives again, or when a mutant recorded as equivalent is
killed (the record is wrong); with --verify, also when a gap's killed_by test
does not fail on its mutant. Measured on 2 cores: about 6 minutes for
numpy_impl (16 with --verify) and 2 for reference/.

This file is also the pytest plugin the runs load (-p mutation): with
cross-check items named on the command line, only those run (the cross-check
plugin otherwise collects all of them).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".mutation")
RECORD = os.path.join(ROOT, "mutation", "survivors.toml")
COPIED = ("numpy_impl", "reference", "nn_crosscheck", "tests", "pytest.ini")
CHECKS = "nn_crosscheck/checks.py"

TARGETS = {
    "numpy_impl": {
        "tests": ["tests/test_validation.py", "tests/test_numpy_impl_api.py",
                  "tests/test_numpy_impl_optimizers.py", "tests/test_numerical_gradient.py",
                  "tests/test_dense_dinputs.py", "tests/test_single_neuron.py", CHECKS],
        "pytest": ["-p", "nn_crosscheck.pytest_plugin", "--crosscheck", "numpy_impl"],
    },
    # The reference's gradients against finite differences (gradcheck, and the
    # three-way vote with numpy_impl's), and the tests that compare numpy_impl
    # with it: the cross-check, the optimizers, the single neuron.
    "reference": {
        "tests": ["tests/test_reference_gradcheck.py", "tests/test_third_opinion.py",
                  "tests/test_reference.py", "tests/test_numpy_impl_optimizers.py",
                  "tests/test_single_neuron.py", CHECKS],
        # mutmut puts its mutants into the module as functions: not public ones.
        "pytest": ["--deselect", "tests/test_reference_gradcheck.py::"
                   "test_every_function_defined_in_the_reference_is_public",
                   "-p", "nn_crosscheck.pytest_plugin", "--crosscheck", "numpy_impl"],
    },
}
KINDS = ("mutmut", "statements")
DETECTED = {"killed", "timeout", "segfault"}


# ------------------------------------------------------------ the statement operators
def _statement_operators():
    import libcst as cst

    def is_docstring_or_pass(statement):
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        only = statement.body[0]
        return isinstance(only, cst.Pass) or (
            isinstance(only, cst.Expr) and isinstance(only.value, (cst.SimpleString,
                                                                   cst.ConcatenatedString)))

    def returns_a_value(statement):
        # `return x` deleted is `return None`, made by the operator below.
        return (isinstance(statement, cst.SimpleStatementLine)
                and any(isinstance(s, cst.Return) and s.value is not None for s in statement.body))

    def delete_statement(block):
        """Each statement of a block (simple or compound) replaced by `pass`."""
        for i, statement in enumerate(block.body):
            if is_docstring_or_pass(statement) or returns_a_value(statement):
                continue
            deleted = cst.SimpleStatementLine(body=[cst.Pass()],
                                              leading_lines=statement.leading_lines)
            yield block.with_changes(body=[*block.body[:i], deleted, *block.body[i + 1:]])

    def return_none(node):
        if node.value is not None and not (isinstance(node.value, cst.Name)
                                           and node.value.value == "None"):
            yield node.with_changes(value=cst.Name("None"))

    def drop_copy_or_astype(node):
        """x.copy() -> x, x.astype(dtype, ...) -> x (torch: x.clone(), x.to(...))."""
        func = node.func
        if isinstance(func, cst.Attribute) and (
                (func.attr.value in ("copy", "clone") and not node.args)
                or func.attr.value in ("astype", "to")):
            receiver = func.value
            if node.lpar:
                receiver = receiver.with_changes(lpar=[*node.lpar, *receiver.lpar],
                                                 rpar=[*receiver.rpar, *node.rpar])
            yield receiver

    return [(cst.IndentedBlock, delete_statement), (cst.Return, return_none),
            (cst.Call, drop_copy_or_astype)]


def statement_kind(before, after):
    """Which statement operator made a mutant, from its changed lines."""
    if after == ["pass"]:
        return "delete statement"
    if len(after) == 1 and after[0].startswith("return None"):
        return "return None"
    before, after = "\n".join(before), "\n".join(after)
    dropped = [call for call in (".astype(", ".to(", ".clone(", ".copy(")
               if before.count(call) > after.count(call)]
    return f"drop {dropped[0]})" if dropped else "other"


def mutmut_main(kind, args):
    """`mutmut ARGS` with KIND's operators (run inside a work directory)."""
    from mutmut.mutation import mutators
    if kind == "statements":
        mutators.mutation_operators[:] = _statement_operators()
    from mutmut.__main__ import cli
    sys.argv = ["mutmut", *args]
    cli()


def collect():
    """Every mutant of the work directory's last run as JSON lines: its name,
    status, file, function and changed lines."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            diff = get_diff_for_mutant(name, path=path).splitlines()[3:]
            function, cls = orig_function_and_class_names_from_key(name)
            print(json.dumps({
                "name": name, "status": status_by_exit_code[code], "file": str(path),
                "function": f"{cls}.{function}" if cls else function,
                "before": [line[1:].strip() for line in diff if line.startswith("-")],
                "after": [line[1:].strip() for line in diff if line.startswith("+")]}))


# ------------------------------------------------------------ the pytest plugin
def pytest_collection_modifyitems(config, items):
    """With cross-check items named by node id (mutmut names the tests that reach
    a mutant), deselect the cross-check items not named; with MUTATION_NAMED_ONLY
    set (--verify), every cross-check item not named."""
    named = {arg for arg in config.args if arg.startswith(CHECKS + "::")}
    if not named and not os.environ.get("MUTATION_NAMED_ONLY"):
        return
    dropped = [item for item in items
               if item.nodeid.startswith(CHECKS + "::") and item.nodeid not in named]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


# ------------------------------------------------------------ the driver
def pyproject(target):
    """The [tool.mutmut] section of a run's work directory."""
    spec = TARGETS[target]
    # -p no:xdist: mutmut runs pytest in its own processes; the quick profile:
    # 20 examples per property, the same every run.
    pytest_args = ["-p", "no:xdist", "-p", "no:randomly", "-m", "not slow",
                   "--hypothesis-profile", "quick", *spec["pytest"], "-p", "mutation"]
    return "\n".join([
        "[tool.mutmut]",
        f"source_paths = {json.dumps([target])}",
        f"also_copy = {json.dumps([p for p in COPIED if p != target] + ['mutation.py'])}",
        f"pytest_add_cli_args = {json.dumps(pytest_args)}",
        f"pytest_add_cli_args_test_selection = {json.dumps(spec['tests'])}",
        # A mutant's wall-clock limit is (its tests' time + this) * 15 s: with the
        # default 1 s, a mutant whose few tests take 0.1 s gets 16 s, which the
        # start of a pytest run on a busy 2-core machine can exceed.
        "timeout_constant = 10", ""])


def prepare(work, target):
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in COPIED:
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(work, name), ignore=ignore)
        else:
            shutil.copy2(source, work)
    shutil.copy2(os.path.abspath(__file__), os.path.join(work, "mutation.py"))
    with open(os.path.join(work, "pyproject.toml"), "w") as f:
        f.write(pyproject(target))


def environment():
    env = dict(os.environ)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = "1"
    return env


def run(target, kind, children, reuse=False):
    """Run mutmut in the run's work directory (with `reuse`, take the results of
    the last run there); its mutants as dicts."""
    work = os.path.join(WORK, f"{target}-{kind}")
    minutes = 0.0
    if reuse and not os.path.isdir(os.path.join(work, "mutants")):
        sys.exit(f"--reuse: no earlier run of {target}, {kind} in {os.path.relpath(work, ROOT)}; "
                 f"run without --reuse first")
    if not reuse:
        prepare(work, target)
        log = os.path.join(work, "mutmut.log")
        print(f"{target}, {kind}: mutmut running (log: {os.path.relpath(log, ROOT)})",
              flush=True)
        started = time.monotonic()
        with open(log, "w") as out:
            done = subprocess.run([sys.executable, "mutation.py", "_mutmut", kind, "run",
                                   "--max-children", str(children)], cwd=work,
                                  env=environment(), stdout=out, stderr=subprocess.STDOUT)
        minutes = (time.monotonic() - started) / 60
        if done.returncode != 0:
            with open(log) as f:
                tail = f.read()[-3000:]
            sys.exit(f"mutmut failed (exit {done.returncode}) in {work}:\n{tail}")
    listed = subprocess.run([sys.executable, "mutation.py", "_collect"], cwd=work,
                            env=environment(), capture_output=True, text=True, check=True)
    mutants = [json.loads(line) for line in listed.stdout.splitlines()]
    return work, mutants, minutes


def key(entry):
    return (entry["file"], entry["function"], tuple(entry["before"]), tuple(entry["after"]))


def load_record():
    with open(RECORD, "rb") as f:
        record = tomllib.load(f)
    for run_name, entries in record.items():
        for entry in entries:
            for field in ("before", "after"):
                if isinstance(entry[field], str):
                    entry[field] = entry[field].splitlines()
            if ("equivalent" in entry) == ("killed_by" in entry):
                sys.exit(f"{RECORD}: [[{run_name}]] {entry['function']} {entry['after']}: "
                         f"give exactly one of equivalent = 'why' or killed_by = 'test'")
    return record


def toml_string(text):
    return json.dumps(text, ensure_ascii=False)


def as_toml(run_name, mutant):
    lines = [f"[[{run_name}]]", f"file = {toml_string(mutant['file'])}",
             f"function = {toml_string(mutant['function'])}"]
    for field in ("before", "after"):
        lines.append(f"{field} = {toml_string(chr(10).join(mutant[field]))}")
    lines.append('killed_by = ""  # or: equivalent = "why"')
    return "\n".join(lines)


def judge(run_name, mutants, record, minutes):
    """Print the run's table; return its problems."""
    recorded = {}
    for entry in record.get(run_name, []):
        recorded.setdefault(key(entry), []).append(entry)
    problems, matched = [], set()
    rows = {}
    for mutant in mutants:
        entries = recorded.get(key(mutant), [])
        entry = entries[0] if entries else None
        if entry is not None:
            matched.add(id(entry))
        detected = mutant["status"] in DETECTED
        equivalent = entry is not None and "equivalent" in entry
        row = rows.setdefault(mutant["file"], [0, 0, 0, 0])
        row[0] += 1
        row[1] += detected
        row[2] += equivalent and not detected
        row[3] += not detected and not equivalent
        if detected and equivalent:
            problems.append(f"recorded as equivalent but killed ({mutant['name']}): "
                            f"{entry['equivalent']}")
        elif not detected and entry is not None and "killed_by" in entry:
            problems.append(f"a recorded gap survives again ({mutant['name']}, "
                            f"{mutant['status']}), killed_by = {entry['killed_by']}")
        elif not detected and entry is None:
            problems.append(f"{mutant['status']}, not in the record ({mutant['name']}):\n"
                            + as_toml(run_name, mutant))
    stale = [e for entries in recorded.values() for e in entries if id(e) not in matched]
    print(f"\n{run_name}: {len(mutants)} mutants"
          + (f" in {minutes:.1f} min" if minutes else " (the last run's results)"))
    print(f"  {'file':34} {'mutants':>8} {'killed':>8} {'equiv.':>8} {'survived':>8} {'score':>8}")
    total = [0, 0, 0, 0]
    for file in sorted(rows):
        print(f"  {file:34} " + " ".join(f"{n:8}" for n in rows[file])
              + f" {score(rows[file]):>8}")
        total = [a + b for a, b in zip(total, rows[file])]
    print(f"  {'total':34} " + " ".join(f"{n:8}" for n in total) + f" {score(total):>8}")
    timeouts = sum(m["status"] == "timeout" for m in mutants)
    if timeouts:
        print(f"  ({timeouts} of the killed by a timeout: their tests hung or ran too long)")
    if run_name.endswith("statements"):
        kinds = {}
        for mutant in mutants:
            counts = kinds.setdefault(statement_kind(mutant["before"], mutant["after"]), [0, 0])
            counts[0] += 1
            counts[1] += mutant["status"] in DETECTED
        print("  " + ", ".join(f"{name}: {k}/{n} killed" for name, (n, k) in sorted(kinds.items())))
    for entry in stale:
        print(f"  note: recorded but no longer made (code changed?): {entry['file']} "
              f"{entry['function']}: {entry['after']}")
    return problems


def score(row):
    mutants, killed, equivalent, _ = row
    judged = mutants - equivalent
    return f"{100 * killed / judged:.1f} %" if judged else "-"


def verify(run_name, work, mutants, record, children):
    """Each recorded gap: its killed_by test fails with the mutant, in a pytest
    run of that test alone. Returns the problems."""
    by_key = {key(m): m for m in mutants}
    entries = [e for e in record.get(run_name, []) if "killed_by" in e and key(e) in by_key]
    print(f"  verifying {len(entries)} gaps: each killed_by test alone, on its mutant", flush=True)

    def one(entry):
        mutant = by_key[key(entry)]
        env = environment()
        env["MUTANT_UNDER_TEST"] = mutant["name"]
        env["MUTATION_NAMED_ONLY"] = "1"
        done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:xdist",
                               "-p", "no:cacheprovider", "--hypothesis-profile", "quick",
                               *TARGETS[run_name.rsplit("-", 1)[0]]["pytest"], "-p", "mutation",
                               entry["killed_by"]],
                              cwd=os.path.join(work, "mutants"), env=env,
                              capture_output=True, text=True)
        verdict = "fails" if done.returncode == 1 else f"exit {done.returncode}"
        print(f"    {verdict:8} {entry['killed_by']}  <- {mutant['name']}", flush=True)
        return None if done.returncode == 1 else (
            f"{entry['killed_by']} does not fail on {mutant['name']} (exit {done.returncode})")
    with ThreadPoolExecutor(children) as pool:
        return [problem for problem in pool.map(one, entries) if problem]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="scripts/mutation", description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", default="numpy_impl",
                        choices=[*TARGETS, "all"])
    parser.add_argument("--kinds", default="mutmut,statements",
                        help="mutmut, statements or both (default both, comma-separated)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--verify", action="store_true",
                        help="also run each recorded gap's test alone on its mutant")
    parser.add_argument("--reuse", action="store_true",
                        help="judge the last run's results in .mutation/ again instead of "
                             "running mutmut (after editing the record, or to --verify)")
    args = parser.parse_args(argv)
    kinds = args.kinds.split(",")
    if any(k not in KINDS for k in kinds):
        parser.error(f"--kinds: choose from {', '.join(KINDS)}")
    targets = list(TARGETS) if args.target == "all" else [args.target]
    record = load_record()
    problems = []
    for target in targets:
        for kind in kinds:
            run_name = f"{target}-{kind}"
            work, mutants, minutes = run(target, kind, args.max_children, args.reuse)
            found = judge(run_name, mutants, record, minutes)
            if args.verify:
                found += verify(run_name, work, mutants, record, args.max_children)
            problems += [f"{run_name}: {p}" for p in found]
    for problem in problems:
        print(f"\n{problem}")
    print(f"\n{'FAILED' if problems else 'ok'}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_mutmut"]:
        mutmut_main(sys.argv[2], sys.argv[3:])
    elif sys.argv[1:2] == ["_collect"]:
        collect()
    else:
        sys.exit(main())
