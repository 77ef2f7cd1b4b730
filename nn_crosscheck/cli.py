"""The command line: `nn-crosscheck compare` and `nn-crosscheck test` (also
`python -m nn_crosscheck ...`; the repository's scripts/compare and
scripts/test call them).

Exit status, both commands:
  0  everything that was checked agrees with torch
  1  a disagreement, or an error raised by the implementation
  2  usage error: a bad option or value, a file that cannot be imported
  3  nothing was checked (the file has none of the book's classes, by any name)
  4  the tool itself failed (please report it)
"""
import argparse
import os
import sys

from .constants import EXIT_AGREE, EXIT_NOTHING, EXIT_USAGE

EXIT_INTERNAL = 4
PROG = "nn-crosscheck"


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):          # one line, no usage dump
        raise UsageError(f"{message} (see {self.prog} --help)")


def _seed(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value}")
    return value


def _positive(text):
    value = _seed(text)
    if value == 0:
        raise argparse.ArgumentTypeError("expected a whole number >= 1, got 0")
    return value


def common_options(p):
    p.add_argument("--impl", default=None, metavar="PATH_OR_MODULE",
                   help="the implementation: a .py file, a package folder or a dotted "
                        "module name importable from here (default: numpy_impl, this "
                        "project's)")
    p.add_argument("--bind", action="append", default=[], metavar="BOOK=THEIRS",
                   help="declare one of your names: --bind Layer_Dense=FullyConnected, "
                        "--bind dinputs=grad_in, --bind Optimizer_RMSprop.rho=decay "
                        "(repeatable; or a dict NN_CROSSCHECK in your file)")
    p.add_argument("--run-module-code", action="store_true",
                   help="also run the file's module-level code (training loops, prints); "
                        "by default only its definitions are imported")
    p.add_argument("--allow-book-deviations", action="store_true",
                   help="the book's own differences from torch are listed but do not "
                        "fail (exit 0)")


def compare_parser():
    p = Parser(prog=f"{PROG} compare",
               description="Every output and gradient of your NumPy network next to "
                           "torch's, with a verdict per quantity, the worst element, the "
                           "diagnosis and a reproduction. Exit 0: all agree; 1: something "
                           "disagrees or raised; 2: usage error; 3: nothing checked.")
    common_options(p)
    p.add_argument("--dtype", choices=("float32", "float64", "both"), default="both",
                   help="dtypes to check (default both)")
    p.add_argument("--component", metavar="NAME",
                   help="check one book class or scenario only (e.g. Activation_ReLU)")
    p.add_argument("--examples", type=_positive, default=None, metavar="N",
                   help="generated cases per check, besides the demo case (default 20, "
                        "the quick profile; scripts/test draws 100)")
    p.add_argument("--seed", type=_seed, default=0, metavar="N",
                   help="seed of the demo and generated cases (default 0: the same every "
                        "run)")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (every verdict) instead of text")
    p.add_argument("--plot", metavar="PATH",
                   help="also write a PNG: yours against torch for every compared gradient")
    return p


def compare(argv):
    try:
        args = compare_parser().parse_args(argv)
        from .binding import parse_bind_options
        from .loader import ImplLoadError
        from .run import make_target, select
        declared = parse_bind_options(args.bind)
        if args.plot:
            folder = os.path.dirname(os.path.abspath(args.plot))
            if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
                raise UsageError(f"--plot {args.plot}: cannot write there ({folder} is not a "
                                 f"writable folder)")
        from .constants import environment_problem
        problem = environment_problem()
        if problem:
            raise UsageError(problem)
        try:
            target = make_target(args.impl, run_module_code=args.run_module_code,
                                 declared=declared)
        except ImplLoadError as exc:
            raise UsageError(str(exc)) from None
        checks = select(only=args.component)
    except (UsageError, ValueError) as exc:
        print(f"{PROG} compare: {exc}", file=sys.stderr)
        return EXIT_USAGE
    import numpy as np
    import torch
    from .components import ORDER
    from .constants import DTYPES
    from .report import as_json
    from .report.text import check_sections, final_line, notes_lines, summary_lines, wrap
    from .run import did_you_mean, run_all
    from .verdicts import exit_status
    torch.set_num_threads(1)
    dtypes = DTYPES if args.dtype == "both" else [getattr(np, args.dtype)]
    examples = args.examples or 20
    show_progress = sys.stderr.isatty() and not args.json

    def progress(check, dtype):
        if show_progress:
            print(f"\r  checking {check.id} [{np.dtype(dtype).name}]...".ljust(70),
                  end="", file=sys.stderr, flush=True)
    results = run_all(target, checks, dtypes, max_examples=examples, user_seed=args.seed,
                      progress=progress, parallel=True)
    if show_progress:
        print("\r" + " " * 70 + "\r", end="", file=sys.stderr, flush=True)
    add_third_opinions(results, target)
    verdicts = [v for _, _, run in results for v in run.verdicts]
    status = exit_status(verdicts, allow_book_deviations=args.allow_book_deviations,
                         problems=target.implementation.problems)
    if args.json:
        print(as_json(target, verdicts, ORDER, status))
    else:
        lines = [f"{PROG} compare: {target.label} vs torch {torch.__version__.split('+')[0]} "
                 f"(autograd), {' and '.join(np.dtype(d).name for d in dtypes)}, the demo "
                 f"case and {examples} generated cases per check, seed {args.seed}"]
        lines += notes_lines(target)
        if not args.quiet:
            lines += check_sections(results)
        lines += summary_lines(verdicts, ORDER, target.label,
                               allow_book_deviations=args.allow_book_deviations)
        lines += final_line(verdicts, target.label, status,
                            did_you_mean(target) if status == EXIT_NOTHING
                            and not args.component else ())
        print("\n".join(lines))
    if args.plot:
        from .report.plot import plot
        try:
            plot(results, target, args.plot)
        except OSError as exc:
            print(f"{PROG} compare: cannot write {args.plot}: {exc.strerror or exc}",
                  file=sys.stderr)
            return EXIT_USAGE
        if not args.json:
            for line in wrap(f"plot written to {args.plot}", "", "  "):
                print(line)
    return status


def add_third_opinions(results, target):
    """For every gradient that disagrees in value: what central finite differences
    of the user's own forward say (nn_crosscheck/diagnosis/third_opinion.py)."""
    from .diagnosis.third_opinion import third_opinion
    for check, _, run in results:
        for v in run.verdicts:
            if v.what != "values" or v.quantity not in check.gradients \
                    or v.quantity not in run.shown:
                continue
            try:
                opinion = third_opinion(check, target, run.shown[v.quantity].case, v.quantity)
            except Exception as exc:    # an opinion must never hide the verdict
                v.diagnosis.append(f"(no third opinion: {type(exc).__name__}: {exc})")
                continue
            if opinion.sides_with != "none":
                v.diagnosis.append("third opinion: " + opinion.message())


# ---------------------------------------------------------------- test
def test_parser():
    p = Parser(prog=f"{PROG} test", add_help=False,
               description="The cross-check as a pytest run (Hypothesis, 100 cases per "
                           "check by default); any other option goes to pytest.")
    common_options(p)
    p.add_argument("--project-root", default=None, help=argparse.SUPPRESS)
    p.add_argument("--all", action="store_true",
                   help="also the slow tier of this project's tests (marked slow)")
    p.add_argument("-h", "--help", action="store_true")
    return p


def _pytest_option(rest, name):
    """The value of --name=V or --name V among pytest's arguments, or None."""
    for i, arg in enumerate(rest):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name and i + 1 < len(rest):
            return rest[i + 1]
    return None


def test(argv):
    try:
        args, rest = test_parser().parse_known_args(argv)
        if args.help:
            test_parser().print_help()
            print("\nOther options go to pytest, e.g. -k Softmax, -x, "
                  "--hypothesis-profile=thorough, --hypothesis-seed=N, -p no:xdist.")
            return EXIT_AGREE
        from .constants import PROFILES, environment_problem
        problem = environment_problem()
        if problem:
            raise UsageError(problem)
        profile = _pytest_option(rest, "--hypothesis-profile")
        if profile is not None and profile not in PROFILES:
            raise UsageError(f"--hypothesis-profile {profile!r} is not a profile; the "
                             f"profiles are {', '.join(PROFILES)}")
        seed = _pytest_option(rest, "--hypothesis-seed")
        if seed is not None:
            try:
                _seed(seed)
            except argparse.ArgumentTypeError as exc:
                raise UsageError(f"--hypothesis-seed: {exc}") from None
        for value in args.bind:
            if "=" not in value.strip("="):
                raise UsageError(f"--bind {value!r}: expected BOOK=THEIRS, e.g. "
                                 f"--bind Layer_Dense=FullyConnected")
    except (UsageError, ValueError) as exc:
        print(f"{PROG} test: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # One BLAS thread per worker process: two workers share the two cores.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    import pytest          # (the plugin, and with it Hypothesis, is imported by pytest)
    here = os.path.dirname(os.path.abspath(__file__))
    impl = args.impl
    if impl is not None and (impl.endswith(".py") or os.sep in impl or os.path.exists(impl)):
        impl = os.path.abspath(impl)      # the workers start where we are, but be explicit
    if args.project_root and args.impl is None:
        root = os.path.abspath(args.project_root)
        paths = [os.path.join(root, "tests")] if not _has_paths(rest) else []
        config = ["-c", os.path.join(root, "pytest.ini"), "--rootdir", root]
        if not args.all and "-m" not in rest:
            config += ["-m", "not slow"]
    else:
        # the cross-check only: not whatever tests sit in the current directory
        paths = [os.path.join(here, "checks.py")] if not _has_paths(rest) else []
        config = ["-c", os.path.join(here, "crosscheck.ini"), "--rootdir", here]
    options = ["-p", "nn_crosscheck.pytest_plugin", "--crosscheck", impl or "numpy_impl"]
    options += [f"--crosscheck-bind={b}" for b in args.bind]
    if args.run_module_code:
        options.append("--crosscheck-run-module-code")
    if args.allow_book_deviations:
        options.append("--crosscheck-allow-book-deviations")
    if not any(a == "-n" or a.startswith(("-n=", "--numprocesses", "-n")) for a in rest) \
            and "no:xdist" not in rest and _xdist_installed():
        options += ["-n", "2", "--dist", "worksteal"]
    code = pytest.main(config + options + paths + rest)
    from .pytest_plugin import LAST_RUN
    status = LAST_RUN.get("status")
    if code == pytest.ExitCode.USAGE_ERROR:
        return EXIT_USAGE
    if code == pytest.ExitCode.INTERNAL_ERROR:
        return EXIT_INTERNAL
    if code == pytest.ExitCode.NO_TESTS_COLLECTED or (status == EXIT_NOTHING and code == 0):
        return EXIT_NOTHING
    if code == pytest.ExitCode.INTERRUPTED:
        return 130
    return int(code)


def _has_paths(rest):
    return any(not a.startswith("-") and os.path.exists(a.split("::")[0]) for a in rest)


def _xdist_installed():
    try:
        import xdist  # noqa: F401
        return True
    except ImportError:
        return False


COMMANDS = {"compare": compare, "test": test}


def entry():
    """The command (`nn-crosscheck`, `python -m nn_crosscheck`): main(), then an
    immediate exit. The interpreter's own shutdown has nothing left to do (every
    file is written and closed by then) and, with torch loaded, takes 0.4 s."""
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(status)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        print(f"\nusage: {PROG} compare [--impl F] [...]   (see {PROG} compare --help)\n"
              f"       {PROG} test [--impl F] [pytest options]")
        return EXIT_AGREE if argv else EXIT_USAGE
    command = COMMANDS.get(argv[0])
    if command is None:
        print(f"{PROG}: unknown command {argv[0]!r}; the commands are compare and test",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        return command(argv[1:])
    except BrokenPipeError:           # piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_AGREE
    except KeyboardInterrupt:
        return 130
