"""Train the book's spiral classifier in NumPy and in torch from the same start
and plot both runs' loss and accuracy, and how far apart they are.

    scripts/train_compare                                # 1000 epochs, float64
    scripts/train_compare --dtype float32 --epochs 3000 --out f32.png
    scripts/train_compare --impl my_nn.py                # your own classes
    scripts/train_compare --book-figures                 # the book's printed run

Network: Dense(2, 64) -> ReLU -> Dense(64, 3) -> softmax + cross-entropy,
Adam(learning_rate=0.05, decay=5e-7), spiral_data(samples=100, classes=3).
The NumPy side uses the implementation's classes in the book's loop
(nn_crosscheck/book.py, whatever API generation they follow), the torch side
the twins in reference/ with autograd and torch.optim.Adam + LambdaLR.

The difference panel shows three curves: the free-running NumPy and torch
runs; the NumPy run against itself with its first-layer weights moved by one
ulp (the chaos of the training itself); and NumPy against torch when torch
takes over NumPy's parameters and Adam state every --resync epochs (what
the cross-check's "training" check does).
"""
import argparse
import re
import subprocess
import sys
import time

import numpy as np

from nn_crosscheck import book
from nn_crosscheck.components.networks import TRAINING_RUNS
from nn_crosscheck.loader import ImplLoadError
from nn_crosscheck.run import make_target
from nn_crosscheck.session import NotApplicable, Session
from nn_crosscheck.strategies import Case

# ---------------------------------------------------------------- the book's printed run
# Printed at the end of the book's chapter 11 code (Adam(0.05, decay=5e-7) on
# spiral_data(100, 3) after nnfs.init(), 10001 epochs, then a fresh
# spiral_data(100, 3) as validation data), as found in a public copy of the
# chapter's code file:
BOOK_FIGURES = {
    9800: ("0.983", "0.075", "0.04975621940303483"),
    9900: ("0.983", "0.074", "0.049753743844839965"),
    10000: ("0.983", "0.074", "0.04975126853296942"),
    "validation": ("0.803", "0.858"),
}

BOOK_RUN = r"""
import nnfs
nnfs.init()   # patches NumPy in THIS process only, as the book's code does
import numpy as np
from nnfs.datasets import spiral_data
from nn_crosscheck.run import make_target   # after nnfs.init(): keeps the patch
target = make_target({impl!r})
find = lambda name: target.binder.find(name).obj
X, y = spiral_data(samples=100, classes=3)
dense1, dense2 = find("Layer_Dense")(2, 64), find("Layer_Dense")(64, 3)
relu = find("Activation_ReLU")()
loss_activation = find("Activation_Softmax_Loss_CategoricalCrossentropy")()
adam = find("Optimizer_Adam")(learning_rate=0.05, decay=5e-7)
for epoch in range(10001):
    dense1.forward(X); relu.forward(dense1.output); dense2.forward(relu.output)
    loss = loss_activation.forward(dense2.output, y)
    accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == y)
    if epoch >= 9800 and epoch % 100 == 0:
        print(f"epoch: {{epoch}}, acc: {{accuracy:.3f}}, loss: {{loss:.3f}}, "
              f"lr: {{adam.current_learning_rate}}")
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs); relu.backward(dense2.dinputs)
    dense1.backward(relu.dinputs)
    adam.pre_update_params(); adam.update_params(dense1); adam.update_params(dense2)
    adam.post_update_params()
X_test, y_test = spiral_data(samples=100, classes=3)
dense1.forward(X_test); relu.forward(dense1.output); dense2.forward(relu.output)
loss = loss_activation.forward(dense2.output, y_test)
accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == y_test)
print(f"validation, acc: {{accuracy:.3f}}, loss: {{loss:.3f}}")
"""


def book_figures(impl_spec):
    """Run the book's scenario in a subprocess after nnfs.init() and compare
    the printed figures with the book's, digit by digit."""
    code = BOOK_RUN.format(impl=impl_spec)
    t0 = time.time()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"the book's run failed:\n{result.stderr}")
    print(f"book's run (10001 epochs after nnfs.init(), {time.time() - t0:.1f} s):")
    ours = {}
    for line in result.stdout.splitlines():
        m = re.match(r"epoch: (\d+), acc: (\S+), loss: (\S+), lr: (\S+)", line)
        if m:
            ours[int(m.group(1))] = m.groups()[1:]
        m = re.match(r"validation, acc: (\S+), loss: (\S+)", line)
        if m:
            ours["validation"] = m.groups()
    labels = ("acc", "loss", "lr")
    for key, printed in BOOK_FIGURES.items():
        got = ours.get(key, ("?",) * len(printed))
        for label, book, mine in zip(labels, printed, got):
            verdict = "matches" if book == mine else "differs"
            print(f"  {str(key):>10} {label:>4}: book {book:<22} ours {mine:<22} {verdict}")
    print("  The learning rates follow from the decay rule alone and match to every digit.\n"
          "  Loss and accuracy after 10000 epochs depend on every rounding on the way (see\n"
          "  the difference panel: one ulp grows to ~10% within 1000 epochs), so they match\n"
          "  the book only as far as the book's NumPy and BLAS rounded like this machine's.")


# ---------------------------------------------------------------- the comparison
class Curves:
    def __init__(self, epochs):
        self.loss, self.accuracy = np.empty(epochs), np.empty(epochs)


def run(target, network, X, y, start, epochs, resync_every=None, torch_side=True):
    """(the user's curves, torch's curves): the book's loop with the user's
    classes (through a Session, so any API generation) and with the twins."""
    case = Case(X.dtype.type, "train_compare", dict(X=X, y=y))
    s = Session(target.binder, target.implementation, case)
    net = book.UserNet(s, network, start)
    twin = book.TorchNet(network, start) if torch_side else None
    mine, theirs = Curves(epochs), Curves(epochs)
    for epoch in range(epochs):
        if twin is not None and resync_every and epoch and epoch % resync_every == 0:
            state = net.state()
            if state is None:
                raise NotApplicable("the optimizer keeps no Adam state on the layers under "
                                    "the book's names: cannot resynchronize")
            twin.load(state)
        loss, _, probabilities = net.forward(X, y)
        net.backward(probabilities, y)
        net.step(epoch)
        mine.loss[epoch] = float(np.asarray(loss))
        mine.accuracy[epoch] = book.accuracy(network, probabilities, y)
        if twin is not None:
            t_loss, t_reg, t_prob = twin.forward(X, y)
            theirs.loss[epoch], theirs.accuracy[epoch] = t_loss.item(), book.accuracy(
                network, t_prob, y)
            twin.step(t_loss, t_reg)
    return mine, theirs


def relative_difference(a, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(a - b) / np.abs(b)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--seed", type=int, default=0,
                        help="seeds the spiral data and the initial weights")
    parser.add_argument("--resync", type=int, default=5,
                        help="for the windowed comparison: epochs between resynchronizations")
    parser.add_argument("--out", default=None,
                        help="PNG path (default: train_compare_<dtype>.png)")
    parser.add_argument("--impl", default=None, help="implementation (default numpy_impl)")
    parser.add_argument("--book-figures", action="store_true",
                        help="also rerun the book's printed 10001-epoch run after nnfs.init() "
                             "in a subprocess and compare its printed figures")
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")

    try:
        target = make_target(args.impl)
    except ImplLoadError as exc:
        sys.exit(str(exc))
    network = TRAINING_RUNS[0][2]
    dtype = np.dtype(args.dtype).type
    X, y = book.spiral(100, 3, args.seed)
    X = X.astype(dtype)
    start = book.initial_parameters(network, dtype, args.seed)
    t0 = time.time()
    try:
        yours, torchs = run(target, network, X, y, start, args.epochs)
        moved = dict(start, W1=np.nextafter(start["W1"], dtype(np.inf)))
        moved_loss, _ = run(target, network, X, y, moved, args.epochs, torch_side=False)
        windowed, windowed_torch = run(target, network, X, y, start, args.epochs,
                                       resync_every=args.resync)
    except NotApplicable as exc:
        sys.exit(f"{target.label}: {exc}")
    elapsed = time.time() - t0
    label = target.label

    free = relative_difference(yours.loss, torchs.loss)
    chaos = relative_difference(moved_loss.loss, yours.loss)
    window = relative_difference(windowed.loss, windowed_torch.loss)
    n = len(y)
    acc_free = np.rint(np.abs(yours.accuracy - torchs.accuracy) * n)
    acc_window = np.rint(np.abs(windowed.accuracy - windowed_torch.accuracy) * n)

    print(f"{label} vs torch, {args.dtype}, seed {args.seed}, {args.epochs} epochs "
          f"({elapsed:.1f} s for the three pairs of runs)")
    for upto in sorted({min(e, args.epochs) for e in (10, 100, 300, args.epochs)}):
        print(f"  free-running, epochs < {upto:>5}: max relative loss difference "
              f"{np.nanmax(free[:upto]):.2e} (NumPy vs NumPy moved 1 ulp: "
              f"{np.nanmax(chaos[:upto]):.2e}); accuracy differs in "
              f"{int(np.sum(acc_free[:upto] > 0))} epochs")
    print(f"  resynchronized every {args.resync} epochs: max relative loss difference "
          f"{np.nanmax(window):.2e}, accuracy differs in {int(np.sum(acc_window > 0))} "
          f"epochs (at most {int(acc_window.max())} sample(s))")
    print(f"  final: NumPy loss {yours.loss[-1]:.4f} acc {yours.accuracy[-1]:.3f}; "
          f"torch loss {torchs.loss[-1]:.4f} acc {torchs.accuracy[-1]:.3f}")

    out = args.out or f"train_compare_{args.dtype}.png"
    plot(out, args, label, yours, torchs, free, chaos, window, np.finfo(dtype).eps)
    print(f"wrote {out}")
    if args.book_figures:
        book_figures(args.impl or "numpy_impl")


def plot(path, args, label, yours, torchs, free, chaos, window, eps):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = np.arange(len(yours.loss))
    fig, (ax_loss, ax_acc, ax_diff) = plt.subplots(
        3, 1, figsize=(10, 11), sharex=True, gridspec_kw={"height_ratios": [1, 1, 1.3]})
    fig.suptitle(f"Spiral classifier, Adam(0.05, decay=5e-7), {args.dtype}, seed {args.seed}: "
                 f"{label} vs torch from identical parameters", fontsize=12)

    ax_loss.plot(epochs, yours.loss, color="tab:blue", lw=2.2, label=f"{label} (NumPy)")
    ax_loss.plot(epochs, torchs.loss, color="tab:orange", lw=1.2, ls="--", label="torch")
    ax_loss.set_ylabel("loss (cross-entropy)")
    ax_loss.legend(loc="upper right")
    ax_loss.grid(alpha=0.3)

    ax_acc.plot(epochs, yours.accuracy, color="tab:blue", lw=2.2, label=f"{label} (NumPy)")
    ax_acc.plot(epochs, torchs.accuracy, color="tab:orange", lw=1.2, ls="--", label="torch")
    ax_acc.set_ylabel("accuracy")
    ax_acc.legend(loc="lower right")
    ax_acc.grid(alpha=0.3)

    floor = eps / 10     # exact agreement would be log(0): draw it at eps / 10
    def shown(values):
        return np.where(values > 0, values, floor)
    ax_diff.semilogy(epochs, shown(free), color="tab:red", lw=1.2,
                     label="NumPy vs torch, free-running")
    ax_diff.semilogy(epochs, shown(chaos), color="tab:gray", lw=1.0, alpha=0.8,
                     label="NumPy vs NumPy with W1 moved by one ulp (the training's own chaos)")
    ax_diff.semilogy(epochs, shown(window), color="tab:green", lw=1.0,
                     label=f"NumPy vs torch, torch resynchronized every {args.resync} epochs")
    ax_diff.axhline(eps, color="black", ls=":", lw=1, label=f"machine epsilon ({eps:.1e})")
    ax_diff.set_ylim(floor / 2, 1e5)   # room above the curves for the legend
    ax_diff.set_ylabel("relative loss difference\n(exact agreement drawn at eps/10)")
    ax_diff.set_xlabel("epoch")
    ax_diff.legend(loc="upper left", fontsize=8.5)
    ax_diff.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
