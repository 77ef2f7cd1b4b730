"""Side-by-side gradient report: the implementation's outputs and gradients next
to torch's (autograd), element by element, with a verdict for each.

    scripts/compare                      # numpy_impl, float64, seed 0
    scripts/compare --impl my_nn.py --dtype float32 --plot report.png

Three sections: every component of the registry (tests/registry.py) on its
small demo case; the book's spiral-data network (tests/networks.py); the seed's
single neuron trained for 200 steps. Tolerances are the suite's own
(tests/tolerances.py), so "agree" here means what a passing test means.

Exit status: 0 everything agrees, 1 something disagrees, 2 usage error.
"""
import argparse
import os
import sys
import textwrap
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

PROG = "compare_gradients"
WIDTH = 80
SPIRAL, NEURON = "spiral", "single_neuron"
# The seed notebook's neuron: relu(w . x + b), squared error to 0.
NEURON_START = dict(weights=[-3.0, -1.0, 2.0], bias=1.0, inputs=[1.0, -2.0, 3.0])


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):          # one line, no usage dump
        raise UsageError(f"{message} (see --help)")


def parse_args(argv):
    p = Parser(prog="scripts/compare",
               description="Show the implementation's outputs and gradients next to "
                           "torch's, with a verdict per quantity. Exit 0: all agree, "
                           "1: something disagrees, 2: usage error.")
    p.add_argument("--impl", default=None, metavar="PATH_OR_MODULE",
                   help="implementation under test: a .py file or a dotted module name "
                        "(default: numpy_impl)")
    p.add_argument("--dtype", choices=("float32", "float64"), default="float64")
    p.add_argument("--seed", type=int, default=0, help="seed of the demo inputs (default 0)")
    p.add_argument("--component", metavar="NAME",
                   help=f"show one component (a book class name, '{SPIRAL}' or '{NEURON}')")
    p.add_argument("--plot", metavar="PATH", help="also write a PNG with the comparison")
    return p.parse_args(argv)


# ---------------------------------------------------------------- diagnosis hook (issue 8)
def third_opinion_lines(cls, record, case, quantity):
    """Whose side central finite differences of the implementation's own forward
    take (tests/third_opinion.py), in float64."""
    from tests.third_opinion import as_float64, third_opinion
    opinion = third_opinion(cls, record, as_float64(case), quantity)
    return ["third opinion: " + opinion.message().replace("\n  ", "; ")]


def diagnosis_lines(diagnose, *args):
    """Which classic mistake a disagreement looks like (tests/diagnosis.py,
    verified on this very case), printed as "diagnosis: ..."."""
    try:
        return [str(line) for line in diagnose(*args)]
    except Exception as exc:  # a diagnosis must never hide the verdict
        return [f"(the diagnosis itself failed: {type(exc).__name__}: {exc})"]


# ---------------------------------------------------------------- sections
class Section:
    def __init__(self, key, title, about=()):
        self.key, self.title, self.about = key, title, list(about)
        self.quantities = []
        self.skipped = ""           # why nothing was compared
        self.error = ""             # the implementation raised, or wrote into its arguments
        self.exception = None
        self.diagnoses = []         # what self.error looks like (tests/diagnosis.py)
        self.warnings = []

    @property
    def ok(self):
        return not self.error and all(q.ok for q in self.quantities)

    @property
    def checked(self):
        return not self.skipped


def run_guarded(section, fn, *args, **kwargs):
    """Run the implementation; an exception or warning becomes part of the report."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            section.error = f"{type(exc).__name__}: {exc}"
            section.exception = exc
            return None
        finally:
            for w in caught:
                text = f"{w.category.__name__}: {w.message}"
                if text not in section.warnings:
                    section.warnings.append(text)


def shapes(arrays):
    import numpy as np
    return ", ".join(f"{k} {tuple(np.shape(v))}" if np.ndim(v)
                     else f"{k}={np.asarray(v).item()!r}" for k, v in arrays.items())


def component_section(record, impl, dtype, seed):
    import numpy as np
    from tests.check import run_full
    from tests.diagnosis import diagnose, diagnose_exception, diagnose_in_place
    from tests.report import judge
    from tests.third_opinion import gradient_quantities
    section = Section(record.name, record.name)
    cls = impl.find(record.class_names)
    if cls is None:
        section.skipped = impl.missing(record)
        return section
    case = section.case = record.demo(np.random.default_rng(seed), dtype)
    section.about.append(f"demo case: {shapes(case.arrays)}")
    result = run_guarded(section, run_full, cls, record, case)
    if result is None:
        if section.exception is not None:
            section.diagnoses = diagnosis_lines(diagnose_exception, record, case,
                                                section.exception)
        return section
    yours, theirs, scales = result.yours, result.theirs, result.scales
    for name in record.quantities:
        q = judge(record.name, name, yours.get(name), theirs[name], scales[name], dtype)
        if not q.ok:
            q.notes = diagnosis_lines(diagnose, record, name, case, yours.get(name),
                                      theirs[name], scales[name])
            if name in gradient_quantities(record):
                q.notes += diagnosis_lines(third_opinion_lines, cls, record, case, name)
        section.quantities.append(q)
    if result.changed:
        section.error = (f"{record.name} changed its argument(s) {', '.join(result.changed)} "
                         f"in place; forward and backward must leave them untouched")
        section.diagnoses = diagnosis_lines(diagnose_in_place, record, case, result.changed)
    return section


def spiral_layer_case(name, X, y, p, yours, dtype):
    """(registry record, its quantity, Case) for one quantity of the network: the
    layer that produced it, with what it received inside the network."""
    from tests.registry import BY_NAME
    from tests.strategies import Case
    layer, _, quantity = name.partition(".")
    if layer in ("dense1", "dense2"):
        k = layer[-1]
        after = "relu.dinputs" if k == "1" else "loss.dinputs"
        arrays = dict(inputs=X if k == "1" else yours.get("relu.output"),
                      weights=p[f"w{k}"], biases=p[f"b{k}"], dvalues=yours.get(after))
        record = BY_NAME.get("Layer_Dense")
    elif layer == "relu":
        arrays = dict(inputs=yours.get("dense1.output"), dvalues=yours.get("dense2.dinputs"))
        record = BY_NAME.get("Activation_ReLU")
    else:          # softmax.output, loss, loss.dinputs: the combined layer
        quantity = {"softmax": "output", "loss": quantity or "loss"}[layer]
        arrays = dict(inputs=yours.get("dense2.output"), y_true=y)
        record = BY_NAME.get("Activation_Softmax_Loss_CategoricalCrossentropy")
    if record is None or any(v is None for v in arrays.values()):
        return None
    return record, quantity, Case(dtype, "spiral network", arrays)


def spiral_section(impl, dtype, seed):
    from tests import networks
    from tests.report import judge
    section = Section(SPIRAL, "spiral network: Dense(2,3) > ReLU > Dense(3,3) > Softmax+CCE")
    classes = {}
    for role, names in networks.CLASSES.items():
        classes[role] = impl.find(names)
        if classes[role] is None:
            section.skipped = f"{impl.label} has no {' or '.join(names)}; the network needs it"
            return section
    X, y = networks.spiral_data(samples=100, classes=3, seed=seed)
    X = X.astype(dtype)
    p = networks.spiral_parameters(dtype, seed)
    section.about += [f"nnfs spiral_data(samples=100, classes=3), seed {seed}: X {X.shape}, "
                      f"y {y.shape}",
                      "weights and non-zero biases drawn with the same seed; "
                      "torch runs the same net"]
    yours = run_guarded(section, networks.run_spiral, classes, X, y, p)
    if yours is None:
        return section
    theirs, scales = networks.torch_spiral(X, y, p)
    for name in theirs:
        q = judge("spiral network", name, yours.get(name), theirs[name], scales[name], dtype)
        if not q.ok:
            found = spiral_layer_case(name, X, y, p, yours, dtype)
            if found:
                from tests.diagnosis import diagnose
                q.notes = diagnosis_lines(diagnose, *found, yours.get(name), theirs[name],
                                          scales[name])
        section.quantities.append(q)
    return section


def neuron_error_scales(start, result, learning_rate, iterations):
    """First-order rounding bounds (in eps) for the neuron's run.

    out = w.x + b sums terms of size S = sum|w_i x_i| + |b|, so each step's out
    is off by ~(k+2)*S eps, plus what earlier steps left in w and b (at most
    linear growth over the steps: gradient descent here is contractive).
    loss = out**2 doubles the error of out times |out|. The weights accumulate
    lr * 2|x| * (error of out) per step, and one rounding of |w| per update.
    """
    import numpy as np
    x = np.abs(np.asarray(start["inputs"], dtype=np.float64))
    w0 = np.abs(np.asarray(start["weights"], dtype=np.float64))
    size = float(np.sum(w0 * x) + abs(start["bias"]))
    c = len(x) + 2
    losses = np.asarray(result.losses, dtype=np.float64)
    steps = np.arange(1, len(losses) + 1)
    loss = steps * (2 * np.sqrt(losses) * c * size + 2 * losses)
    grad_error = learning_rate * 2 * c * size * iterations ** 2
    weights = iterations * (np.abs(result.weights) + w0) + grad_error * x
    bias = iterations * (abs(result.bias) + abs(start["bias"])) + grad_error
    return loss, weights, bias


def neuron_section(impl):
    import numpy as np
    from reference.single_neuron import train_single_neuron as torch_train
    from tests.report import judge
    mine = getattr(impl.module, "train_single_neuron", None)
    source = f"{impl.label}.train_single_neuron"
    if mine is None:
        from numpy_impl.single_neuron import train_single_neuron as mine
        source = "numpy_impl/single_neuron.py"
        if impl.label != "numpy_impl":
            source += f" (the project's: {impl.label} has no train_single_neuron)"
    lr, iterations = 0.001, 200
    section = Section(NEURON, "single neuron (the seed's): (relu(w.x + b) - 0)**2",
                      [f"w {NEURON_START['weights']}, b {NEURON_START['bias']}, "
                       f"x {NEURON_START['inputs']}, lr {lr}, {iterations} steps, float64",
                       f"NumPy: {source}", "torch: reference/single_neuron.py (autograd)"])
    args = dict(NEURON_START, learning_rate=lr, iterations=iterations)
    yours = run_guarded(section, mine, **{k: (np.array(v) if isinstance(v, list) else v)
                                          for k, v in args.items()})
    if yours is None:
        return section
    theirs = torch_train(**args)
    loss_s, weights_s, bias_s = neuron_error_scales(NEURON_START, theirs, lr, iterations)
    n = len(theirs.losses)
    # The book-style result: .losses (one per step), .weights, .bias.
    losses, weights, bias = (getattr(yours, k, None) for k in ("losses", "weights", "bias"))
    section.quantities = [
        judge("single neuron", "loss per step",
              None if losses is None else np.asarray(losses), np.asarray(theirs.losses),
              loss_s, np.float64, labels=lambda i: f"step {i + 1}", always=(n - 2, n - 1)),
        judge("single neuron", "final weights", weights, theirs.weights, weights_s,
              np.float64, labels=lambda i: f"w[{i}]"),
        judge("single neuron", "final bias", bias, np.float64(theirs.bias), bias_s,
              np.float64),
    ]
    if section.quantities[0].diff is not None:        # same length: worth a curve
        section.losses = (np.asarray(losses, dtype=np.float64), np.asarray(theirs.losses))
    return section


# ---------------------------------------------------------------- text output
def rule(title):
    title = f"== {title} "
    return title + "=" * max(3, WIDTH - 1 - len(title))


def wrapped(text, indent="    "):
    # No breaks at hyphens: names like [dense-dbiases-mean] stay whole, searchable.
    return textwrap.wrap(text, WIDTH - 1, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False)


def print_section(section, dtype):
    from tests.report import block
    print()
    print(rule(section.title))
    if section.skipped:
        print(f"  skipped: {section.skipped}")
        return
    for line in section.about:
        print("\n".join(wrapped(line, "  ")))
    for text in section.warnings:
        print("\n".join(wrapped(f"warning from the implementation: {text}", "  ")))
    if section.error:
        if section.exception is not None:
            print("  DISAGREE: the implementation raised an exception")
        else:
            print("  DISAGREE:")
        print("\n".join(wrapped(section.error)))
        for line in section.diagnoses:
            print("\n".join(wrapped(f"diagnosis: {line}")))
    for q in section.quantities:
        print("\n".join(block(q, dtype)))
    case = getattr(section, "case", None)
    if case is not None and not section.ok:
        print("  this case, to paste into Python after `import numpy as np`:")
        for line in repr(case).strip().splitlines():
            print("\n".join(textwrap.wrap(line, WIDTH - 1, initial_indent="    ",
                                           subsequent_indent="        ",
                                           break_long_words=False, break_on_hyphens=False)))


def summary(sections, impl, dtype, seed):
    print()
    print(rule("summary"))
    width = max(len(s.key) for s in sections)
    failing, n_quantities = [], 0
    for s in sections:
        n_quantities += len(s.quantities)
        if s.skipped:
            status = ("skipped    class missing" if s.key == SPIRAL
                      else f"skipped    not in {impl.label}")
        elif s.error:
            status = f"DISAGREE   raised {s.error.split(':')[0]}"
            failing.append(f"{s.key} (raised {s.error.split(':')[0]})")
        elif not s.ok:
            bad = [q.name for q in s.quantities if not q.ok]
            status = f"DISAGREE   {', '.join(bad)}"
            failing.append(f"{s.key} ({', '.join(bad)})")
        else:
            n = len(s.quantities)
            status = f"agree      {n} quantit{'y' if n == 1 else 'ies'}"
        print("\n".join(textwrap.wrap(f"{s.key:<{width}}  {status}", WIDTH - 1,
                                       initial_indent="  ",
                                       subsequent_indent=" " * (width + 15))))
    for note in impl.notes:
        print("\n".join(wrapped(f"note: {note}", "  ")))
    checked = [s for s in sections if s.checked and s.key != NEURON]
    if failing:
        print(f"DISAGREE: {'; '.join(failing)} -- {impl.label} vs torch, {dtype}, seed {seed}")
        return 1
    if not checked and any(s.key != NEURON for s in sections):
        print(f"Nothing of {impl.label} was checked: it has none of the classes this "
              f"report knows.")
        return 0
    n_skipped = sum(1 for s in sections if s.skipped)
    skipped = f" ({n_skipped} skipped)" if n_skipped else ""
    what = "the 1 quantity agrees" if n_quantities == 1 else f"all {n_quantities} quantities agree"
    print(f"{what} with torch{skipped} -- {impl.label}, {dtype}, seed {seed}")
    return 0


# ---------------------------------------------------------------- main
def section_names():
    from tests.registry import REGISTRY
    return [r.name for r in REGISTRY] + [SPIRAL, NEURON]


def pick(name):
    """The canonical section name for --component (case-insensitive)."""
    names = section_names()
    if name is None:
        return None
    matches = [n for n in names if n.lower() == name.lower()]
    if not matches:
        raise UsageError(f"unknown component {name!r}; valid names: {', '.join(names)}")
    return matches[0]


def main(argv=None):
    try:
        args = parse_args(argv)
        # The loader first: it notes NumPy's own functions before any implementation
        # (which may call nnfs.init()) is imported.
        from tests.impl_loader import ImplLoadError, load
        try:
            impl = load(args.impl)
        except ImplLoadError as exc:
            raise UsageError(str(exc)) from None
        only = pick(args.component)
        if args.plot:
            folder = os.path.dirname(os.path.abspath(args.plot))
            if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
                raise UsageError(f"--plot {args.plot}: cannot write there ({folder} is not "
                                 f"a writable folder)")
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2

    import numpy as np
    import torch
    from tests.registry import REGISTRY
    dtype = np.dtype(args.dtype).type
    print(f"{PROG}: {impl.label} vs torch {torch.__version__.split('+')[0]} autograd, "
          f"{args.dtype}, seed {args.seed}")
    print("  NumPy: the implementation under test. |diff|: |NumPy - torch|. tol: the")
    print("  allowed |diff| for that element (tests/tolerances.py; 'exact': bit for bit).")
    print("  A quantity's first line: its largest |diff| and relative diff, the tol of")
    print("  its worst element (the one nearest to or furthest past its tol), verdict.")
    print("  Rows marked x disagree.")
    sections = []
    for record in REGISTRY:
        if only in (None, record.name):
            sections.append(component_section(record, impl, dtype, args.seed))
    if only in (None, SPIRAL):
        sections.append(spiral_section(impl, dtype, args.seed))
    if only in (None, NEURON):
        sections.append(neuron_section(impl))
    for s in sections:
        print_section(s, dtype)
    status = summary(sections, impl, args.dtype, args.seed)
    if args.plot:
        try:
            plot(sections, impl, args, args.plot)
        except OSError as exc:
            print(f"{PROG}: cannot write {args.plot}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"plot written to {args.plot}")
    return status


# ---------------------------------------------------------------- plot
def plot(sections, impl, args, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from tests.report import worst_flat_index

    panels = [(s, q) for s in sections for q in s.quantities
              if q.plottable and q.name.split(".")[-1].startswith("d")]
    panels.sort(key=lambda sq: sq[1].ok)       # disagreeing gradients first
    neuron = next((s for s in sections if s.key == NEURON and hasattr(s, "losses")), None)
    cols = 4
    rows = max(1, -(-len(panels) // cols))
    # A fixed layout, in inches (matplotlib's automatic layouts cost seconds here):
    # title, the two overview panels, their rotated labels, the scatter grid, a caption.
    title, top, labels, row, caption = 0.8, max(2.8, 0.8 + 0.2 * len(sections)), 0.7, 3.5, 0.5
    height = title + top + labels + row * (rows if panels else 0) + caption
    fig = plt.figure(figsize=(4.2 * cols, height))
    grid_top = fig.add_gridspec(1, cols, left=0.1, right=0.985, wspace=0.35,
                                top=1 - title / height, bottom=1 - (title + top) / height)
    if panels:
        grid = fig.add_gridspec(rows, cols, left=0.05, right=0.985, wspace=0.3, hspace=0.42,
                                top=1 - (title + top + labels + 0.45) / height,
                                bottom=(caption + 0.35) / height)
    bad_any = any(not s.ok for s in sections)
    fig.suptitle(f"{impl.label} vs torch autograd ({args.dtype}, seed {args.seed}): "
                 + ("something DISAGREES" if bad_any else "everything agrees"),
                 fontsize=15, fontweight="bold", y=1 - 0.25 / height,
                 color="#b00020" if bad_any else "#1b6e20")

    # Overview: per section, how close its worst quantity comes to the tolerance.
    ax = fig.add_subplot(grid_top[0, :2] if neuron else grid_top[0, :])
    ratios = [_worst_ratio(s) for s in sections]
    ypos = np.arange(len(sections))[::-1]
    floor, ceiling = 1e-6, 1e6
    shown = np.clip(np.nan_to_num(ratios, nan=floor), floor, ceiling)
    ax.barh(ypos, shown, left=0, height=0.7,
            color=["#d62728" if not s.ok else "#1f77b4" for s in sections])
    ax.set_xscale("log")
    ax.set_xlim(floor, ceiling * 30)
    ax.axvline(1, color="#d62728", lw=1.2, ls="--")
    ax.set_yticks(ypos)
    ax.set_yticklabels([_short_name(s.key) for s in sections], fontsize=8)
    room = max(0, 5 - len(sections)) / 2       # a lone bar stays a bar
    ax.set_ylim(-0.6 - room, len(sections) - 0.4 + room)
    for y, s, r in zip(ypos, sections, ratios):
        if s.skipped:
            text, color = "skipped", "#777777"
        elif s.error:
            text, color = f"raised {s.error.split(':')[0]}", "#b00020"
        elif not s.ok:
            text = "DISAGREE: " + ", ".join(q.name for q in s.quantities if not q.ok)
            color = "#b00020"
        elif r == 0:
            text, color = "bit for bit", "#555555"
        else:
            continue
        if s.ok or s.skipped:   # beside the (short) bar
            ax.text(max(r, floor) * 1.4, y, text, va="center", fontsize=7, color=color)
        else:                   # inside the red bar, which reaches past the tolerance
            text = text if len(text) <= 48 else text[:45] + "..."
            ax.text(floor * 1.4, y, text, va="center", fontsize=7, color="white",
                    fontweight="bold")
    ax.text(1.2, 0.99, "tolerance", color="#d62728", fontsize=8, va="top",
            transform=ax.get_xaxis_transform())
    ax.set_xlabel("largest |diff| / tol over the section's quantities (log; right of "
                  "the red line: disagrees)", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title("How close each section comes to its tolerance", fontsize=10)

    if neuron:
        ax = fig.add_subplot(grid_top[0, 2:])
        mine, theirs = neuron.losses
        steps = np.arange(1, len(theirs) + 1)
        ax.semilogy(np.arange(1, len(mine) + 1), mine, color="#1f77b4", lw=2.5,
                    label="NumPy")
        ax.semilogy(steps[::10], theirs[::10], "o", mfc="none", color="#ff7f0e", ms=6,
                    mew=1.5, label="torch (every 10th step)")
        diff = np.abs(mine[:len(theirs)] - theirs) if len(mine) >= len(theirs) else None
        if diff is not None:
            positive = diff > 0
            ax.semilogy(steps[positive], diff[positive], ".", ms=3, color="#555555",
                        label="|NumPy - torch|")
        ax.set_xlabel("step")
        ax.set_ylabel("loss (log)")
        ax.set_title("Single neuron: loss per step, both sides", fontsize=10)
        ax.legend(fontsize=8)
        ax.grid(True, which="major", alpha=0.3)

    for k, (s, q) in enumerate(panels):
        ax = fig.add_subplot(grid[k // cols, k % cols])
        t = q.theirs.astype(np.float64).ravel()
        y = np.asarray(q.yours, dtype=np.float64).ravel()
        bad = q.bad.ravel()
        finite = np.isfinite(t) & np.isfinite(y)
        lo = min(t[finite].min(initial=0), y[finite].min(initial=0))
        hi = max(t[finite].max(initial=0), y[finite].max(initial=0))
        pad = 0.06 * (hi - lo) or 1.0
        ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="#999999", lw=1, zorder=1)
        ax.scatter(t[~bad & finite], y[~bad & finite], s=14, color="#1f77b4", alpha=0.7,
                   zorder=2, label="agrees")
        if bad.any():
            ax.scatter(t[bad & finite], y[bad & finite], s=60, marker="X", color="#d62728",
                       zorder=3, label="DISAGREES")
            w = worst_flat_index(q)
            if np.isfinite(t[w]) and np.isfinite(y[w]):
                # The label goes in the corner farthest from the point.
                fx = (t[w] - lo + pad) / (hi - lo + 2 * pad)
                fy = (y[w] - lo + pad) / (hi - lo + 2 * pad)
                corner = (0.04 if fx > 0.5 else 0.96, 0.96 if fy < 0.5 else 0.04)
                ax.annotate(f"worst {_index_text(q, w)}\nNumPy {y[w]:.4g}\ntorch {t[w]:.4g}",
                            (t[w], y[w]), xytext=corner, textcoords="axes fraction",
                            fontsize=7, ha="left" if corner[0] < 0.5 else "right",
                            va="top" if corner[1] > 0.5 else "bottom", color="#d62728",
                            bbox=dict(boxstyle="round", fc="white", ec="#d62728", lw=0.6),
                            arrowprops=dict(arrowstyle="->", color="#d62728", lw=0.8))
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_aspect("equal", adjustable="box")
        ax.tick_params(labelsize=7)
        verdict = "agree" if q.ok else "DISAGREE"
        tol = float(q.limit.reshape(-1)[worst_flat_index(q)])
        ax.set_title(f"{_short_label(s, q)}: {verdict}\nmax |diff| {q.diff.max():.1e}"
                     + ("" if q.ok else f" (tol there {tol:.1e})"),
                     fontsize=9, color="#1b6e20" if q.ok else "#b00020")
        if k % cols == 0:
            ax.set_ylabel("NumPy", fontsize=8)
        if k // cols == rows - 1 or k + cols >= len(panels):
            ax.set_xlabel("torch", fontsize=8)
    if panels:
        fig.supxlabel("Each scatter point is one element: x = torch, y = NumPy. On the grey "
                      "diagonal they agree; a red X is outside its tolerance.", fontsize=10,
                      y=0.2 / height)
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _index_text(q, flat):
    from tests.report import default_label
    return q.labels(flat) if q.labels else default_label(q.theirs.shape, flat)


def _worst_ratio(section):
    """max |diff| / tol over a section (inf if something could not be compared)."""
    import numpy as np
    if section.error:
        return np.inf
    worst = 0.0
    for q in section.quantities:
        if q.diff is None:
            return np.inf
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.nan_to_num(q.diff / q.limit, nan=np.inf)
        worst = max(worst, float(r.max(initial=0.0)))
    return worst


def _short_name(key):
    """Book class names, shortened for plot labels."""
    for long, short in (("Activation_Softmax_Loss_CategoricalCrossentropy", "Softmax+CCE"),
                        ("CategoricalCrossentropy", "CCE"), ("BinaryCrossentropy", "BCE"),
                        ("MeanSquaredError", "MSE"), ("MeanAbsoluteError", "MAE"),
                        ("Activation_", ""), ("Layer_", ""), ("Loss_", ""),
                        ("Optimizer_", ""), (NEURON, "single neuron")):
        key = key.replace(long, short)
    return key


def _short_label(section, q):
    return f"{_short_name(section.key)} {q.name}"


if __name__ == "__main__":
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:          # e.g. piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)
