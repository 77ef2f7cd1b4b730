"""The plot: one panel for every compared gradient, yours (y) against torch's
(x), element by element, on the case each verdict is about (the smallest
failing case, or the demo case when it agrees). A gradient that cannot be
compared element by element (another shape, not set) gets a panel that says
so. Both axes are symmetric-logarithmic, so one large outlier does not crush
the other wrong points into a corner; wrong points are red crosses."""
import numpy as np

from ..verdicts import Outcome

COLUMNS = 4


def _panels(results):
    """[(title, verdict, comparison)] for every gradient quantity compared, per
    check and quantity the dtype that fared worst."""
    chosen = {}
    for check, dtype, run in results:
        for v in run.verdicts:
            if v.quantity not in check.gradients or v.outcome is Outcome.NOT_CHECKED:
                continue
            shown = run.shown.get(v.quantity)
            comparison = shown.results[v.quantity].comparison if shown is not None else None
            key = (check.name, v.quantity)
            rank = (v.failed, v.n_bad)
            if key not in chosen or rank > chosen[key][0]:
                chosen[key] = (rank, v, comparison)
    panels = [(f"{name} {quantity}", v, c) for (name, quantity), (_, v, c) in chosen.items()]
    panels.sort(key=lambda p: not p[1].failed)        # disagreeing gradients first
    return panels


def _limit(values):
    finite = np.abs(values[np.isfinite(values)])
    nonzero = finite[finite > 0]
    return float(np.percentile(nonzero, 10)) if nonzero.size else 1.0


def plot(results, target, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = _panels(results)
    rows = max(1, -(-len(panels) // COLUMNS))
    fig, axes = plt.subplots(rows, COLUMNS, figsize=(4.3 * COLUMNS, 3.9 * rows + 1.2),
                             squeeze=False)
    bad_any = any(v.failed for _, v, _ in panels)
    fig.suptitle(f"{target.label} against torch autograd: "
                 + ("some gradients DISAGREE" if bad_any else "every gradient agrees"),
                 fontsize=14, fontweight="bold", color="#b00020" if bad_any else "#1b6e20")
    for ax in axes.ravel()[len(panels):]:
        ax.axis("off")
    for ax, (title, v, c) in zip(axes.ravel(), panels):
        color = "#b00020" if v.failed else "#1b6e20"
        verdict = "agrees" if not v.failed else v.outcome.value
        ax.set_title(f"{title} [{v.dtype}]: {verdict}", fontsize=9, color=color)
        if c is None or c.diff is None:
            words = {"shape": f"not comparable element by element:\n{v.detail}",
                     "dtype": f"another dtype:\n{v.detail}",
                     "not set": "yours was not set", "not a number": "yours is not a number"}
            text = words.get(v.what) or (v.error.line() if v.error else v.what)
            ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=9,
                    color=color, transform=ax.transAxes)
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        t, y, bad = c.torch.ravel(), c.yours.ravel(), c.bad.ravel()
        finite = np.isfinite(t) & np.isfinite(y)
        threshold = _limit(np.concatenate([t[finite], y[finite]]))
        both = np.concatenate([t[finite], y[finite]])
        low, high = (both.min(), both.max()) if both.size else (-1.0, 1.0)
        pad = 0.1 * (high - low) or 1.0
        ax.plot([low - pad, high + pad], [low - pad, high + pad], color="#999999", lw=1)
        ax.scatter(t[~bad & finite], y[~bad & finite], s=12, color="#1f77b4", alpha=0.7,
                   label="agrees")
        if bad.any():
            ax.scatter(t[bad & finite], y[bad & finite], s=50, marker="X", color="#d62728",
                       label="differs")
            hidden = int((bad & ~finite).sum())
            if hidden:
                ax.text(0.02, 0.02, f"{hidden} more: NaN or inf", transform=ax.transAxes,
                        fontsize=7, color="#d62728")
        for axis in ("x", "y"):
            getattr(ax, f"set_{axis}scale")("symlog", linthresh=threshold)
        ax.tick_params(labelsize=7)
        ax.set_xlabel("torch", fontsize=8)
        ax.set_ylabel("yours", fontsize=8)
        if v.worst is not None:
            ax.text(0.02, 0.98,
                    f"{v.n_bad} of {v.n_total} elements differ\nworst "
                    f"[{', '.join(map(str, v.worst.index))}]: yours {v.worst.yours:.4g}, "
                    f"torch {v.worst.torch:.4g}\nallowed difference there {v.worst.allowed:.1e}",
                    transform=ax.transAxes, va="top", fontsize=7, color="#b00020",
                    bbox=dict(boxstyle="round", fc="white", ec="#d62728", lw=0.5))
        else:
            ax.text(0.02, 0.98, f"{v.n_total} elements; the largest difference is "
                                f"{v.worst_ratio:.2g} of what is allowed",
                    transform=ax.transAxes, va="top", fontsize=7, color="#1b6e20")
    fig.text(0.5, 0.005, "Each point is one element: x = torch, y = yours; on the grey diagonal "
                         "they are equal. Red crosses differ by more than rounding allows. Axes "
                         "are logarithmic away from 0, linear near it.", ha="center", fontsize=9)
    fig.tight_layout(rect=(0, 0.02, 1, 0.96))
    fig.savefig(path, dpi=80)
    plt.close(fig)
