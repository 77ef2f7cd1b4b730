#!/usr/bin/env python
"""How fast is numpy_impl? Ratios measured in one run, printed as tables.

  numpy_impl vs torch   every core component's forward and backward at three
                        sizes, against torch CPU eager with autograd (the
                        reference twins), same dtype, same thread count;
  training step         forward + backward + SGD update of a 784 -> 256 -> 10
                        MLP on a batch of 1024, against torch (nn.Linear,
                        cross_entropy, optim.SGD) and against the bare matrix
                        products the step cannot avoid (the BLAS limit);
  softmax backward      against the book's per-sample Jacobian loop.

Timing: every contender is warmed up, then all contenders of a table block are
timed in interleaved rounds, so that a burst of load from another process hits
them alike. A sample repeats a call until it lasts at least 5 ms (2 ms with
--quick); a ratio is the median over rounds of the ratio measured within a
round, printed with its interquartile range. Within a round the NumPy
contenders run together and the torch ones together (random order inside each
group, the groups' order alternating from round to round), with a pause in
between when more than one thread is used: after a call, OpenBLAS's worker
threads spin for about 0.1 s (torch's OpenMP workers briefly too), and on a
2-core machine that spinning would slow whichever library runs next; one
untimed call after the pause wakes the next group's threads. Nothing here
asserts anything: the targets are printed as holds / MISSED.

    .venv/bin/python scripts/benchmark.py            # about two minutes
    .venv/bin/python scripts/benchmark.py --quick    # about half a minute
    .venv/bin/python scripts/benchmark.py --markdown > section.md
"""
import argparse
import ctypes
import gc
import glob
import os
import platform
import random
import statistics
import sys
import time

import numpy as np

import torch
import torch.nn.functional as F

import numpy_impl as nn      # installed (editable) in .venv by scripts/_env.sh
import reference as ref

STEP_TARGET_GEMM = 1.25     # training step <= 1.25 x its bare matrix products
STEP_TARGET_TORCH = 1.0     # ... and no slower than torch
JACOBIAN_TARGET = 100.0     # softmax backward >= 100 x faster than the book's loop
LEARNING_RATE = 1e-3


# ----------------------------------------------------------------- BLAS threads
def _openblas_library():
    """ctypes handle and symbol prefix/suffix of the OpenBLAS that numpy loaded, or None."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()
                            and line.split()[-1].startswith("/")})
    except OSError:
        pass
    if not paths:   # not Linux: look next to numpy (wheels bundle it in numpy.libs)
        here = os.path.dirname(np.__file__)
        paths = glob.glob(os.path.join(here, "..", "numpy.libs", "*openblas*"))
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                if hasattr(lib, f"{prefix}get_num_threads{suffix}"):
                    return lib, prefix, suffix
    return None


def _openblas_call(handle, name, restype=ctypes.c_int, *args):
    lib, prefix, suffix = handle
    fn = getattr(lib, f"{prefix}{name}{suffix}")
    fn.restype = restype
    return fn(*args)


def blas_setup(threads):
    """Set (if `threads`) and report the BLAS thread count numpy uses; match torch to it."""
    info = {"library": "unknown", "kernel": "unknown", "threads": None, "via": "nothing"}
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
        if threads:
            blas_setup.limiter = threadpool_limits(threads, user_api="blas")
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            pool = pools[0]
            info.update(library=f"{pool['internal_api']} {pool.get('version')}",
                        kernel=pool.get("architecture") or "unknown",
                        threads=pool["num_threads"], via="threadpoolctl")
    except ImportError:
        handle = _openblas_library()
        if handle is not None:
            if threads:
                _openblas_call(handle, "set_num_threads", None, ctypes.c_int(threads))
            config = _openblas_call(handle, "get_config", ctypes.c_char_p).decode()
            info.update(library=" ".join(config.split()[:2]),
                        kernel=_openblas_call(handle, "get_corename", ctypes.c_char_p).decode(),
                        threads=_openblas_call(handle, "get_num_threads"),
                        via="ctypes (threadpoolctl is not installed)")
    if info["threads"] is None:   # unknown BLAS: assume it follows the usual variables
        info["threads"] = threads or int(os.environ.get("OPENBLAS_NUM_THREADS")
                                         or os.environ.get("OMP_NUM_THREADS")
                                         or os.cpu_count())
    torch.set_num_threads(info["threads"])
    return info


def cpu_busy(seconds=0.5):
    """Percent of the CPU that other processes used over `seconds` (we sleep), or None."""
    def snapshot():
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        return fields[3] + fields[4], sum(fields)    # idle + iowait, total
    try:
        idle0, total0 = snapshot()
        time.sleep(seconds)
        idle1, total1 = snapshot()
    except (OSError, ValueError, IndexError):
        return None
    return 100.0 * (1 - (idle1 - idle0) / max(1, total1 - total0))


BUSY = []     # percent of the CPU other processes used, at start and at the end


def load_text():
    busy = cpu_busy()
    if busy is not None:
        BUSY.append(busy)
    return (f"load average {os.getloadavg()[0]:.2f}"
            + (f", other processes using {busy:.0f}% of the CPU" if busy is not None else ""))


def busy_warning():
    if BUSY and max(BUSY) > 20:
        return (f"WARNING: other processes used up to {max(BUSY):.0f}% of the CPU during this "
                "run; with more than one thread, contended timings are unreliable (rerun "
                "on a quiet machine, or compare with --threads 1).")
    return None


def machine_description(blas):
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            fields = dict(line.split(":", 1) for line in cpuinfo.read().split("\n\n")[0]
                          .splitlines() if ":" in line)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        model = (f"{fields.get('model name', model)} (family {fields.get('cpu family', '?')}, "
                 f"model {fields.get('model', '?')}, "
                 f"{'with' if 'avx512f' in fields.get('flags', '').split() else 'no'} AVX-512)")
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    openblas_env = {k: v for k, v in sorted(os.environ.items()) if k.startswith("OPENBLAS")}
    return [
        f"CPU: {model}, {cores} cores available (nproc)",
        f"at start: {load_text()}",
        f"numpy {np.__version__} with {blas['library']}, kernel {blas['kernel']}, "
        f"{blas['threads']} thread{'s' if blas['threads'] != 1 else ''} "
        f"(read via {blas['via']}); "
        + (", ".join(f"{k}={v}" for k, v in openblas_env.items()) or "no OPENBLAS_* variables set"),
        f"torch {torch.__version__}, {torch.get_num_threads()} thread"
        f"{'s' if torch.get_num_threads() != 1 else ''} (set to match), "
        f"Python {platform.python_version()}",
    ]


# ----------------------------------------------------------------------- timing
class Timer:
    def __init__(self, rounds, min_time, warmup, cooldown):
        self.rounds, self.min_time, self.warmup = rounds, min_time, warmup
        self.cooldown = cooldown

    def _calls_per_sample(self, fn):
        """Calls per sample, so that a sample lasts at least min_time (after warm-up)."""
        for _ in range(self.warmup):
            fn()
        start = time.perf_counter()
        fn()
        once = time.perf_counter() - start
        return max(1, int(np.ceil(self.min_time / max(once, 1e-9))))

    def run(self, contenders):
        """contenders: {(runtime, label): fn}, runtime "numpy" or "torch".
        Returns {(runtime, label): [seconds per call, one per round]}."""
        numbers = {key: self._calls_per_sample(fn) for key, fn in contenders.items()}
        groups = {}
        for key in contenders:
            groups.setdefault(key[0], []).append(key)
        runtimes = list(groups)
        times = {key: [] for key in contenders}
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            last = list(contenders)[-1][0]      # the runtime the warm-up ended with
            for round_ in range(self.rounds):
                # ABBA order: the runtime changes once per round, not at its boundary
                for runtime in runtimes[::-1] if round_ % 2 else runtimes:
                    keys = groups[runtime][:]
                    random.shuffle(keys)
                    if runtime != last and self.cooldown:
                        time.sleep(self.cooldown)   # let the other runtime's threads idle
                        contenders[keys[0]]()       # ... and wake this one's, untimed
                    last = runtime
                    for key in keys:
                        fn, number = contenders[key], numbers[key]
                        start = time.perf_counter()
                        for _ in range(number):
                            fn()
                        times[key].append((time.perf_counter() - start) / number)
        finally:
            if gc_was_enabled:
                gc.enable()
        return times


def quartiles(values):
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return median, q1, q3


def ratio(times, a, b):
    """Median and interquartile range over rounds of time(a) / time(b)."""
    return quartiles([x / y for x, y in zip(times[a], times[b])])


def seconds(t):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t * 1e9:.3g} ns"


def ratio_text(r):
    median, q1, q3 = r
    return f"{median:.2f}x [{q1:.2f}-{q3:.2f}]"


# ------------------------------------------------------------------- components
def probabilities(rng, n, k, dtype):
    logits = rng.standard_normal((n, k))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(dtype)


def tensor(a, grad=False):
    return torch.tensor(a).requires_grad_(grad)


def grad_of(out, inputs, dout=None):
    """torch's backward alone: the graph is built once and kept (retain_graph)."""
    return lambda: torch.autograd.grad(out, inputs, dout, retain_graph=True)


def dense_pair(rng, dtype, n, n_in, n_out):
    x = rng.standard_normal((n, n_in)).astype(dtype)
    g = rng.standard_normal((n, n_out)).astype(dtype)
    layer = nn.Layer_Dense(n_in, n_out)
    layer.weights = (0.1 * rng.standard_normal((n_in, n_out))).astype(dtype)
    layer.biases = (0.1 * rng.standard_normal((1, n_out))).astype(dtype)
    layer.forward(x)

    def numpy_backward():
        layer.backward(g)
        return layer.dinputs     # the full backward: dweights, dbiases and dinputs

    # torch.addmm(b, x, w) = x @ w + b in one call, as nn.Linear computes it
    xt, wt, bt = tensor(x, True), tensor(layer.weights, True), tensor(layer.biases, True)
    out = torch.addmm(bt, xt, wt)
    return {"forward": (lambda: layer.forward(x), lambda: torch.addmm(bt, xt, wt)),
            "backward": (numpy_backward, grad_of(out, (xt, wt, bt), tensor(g)))}


def activation_pair(numpy_class, torch_function, spread=1.0):
    """(forward, backward) contenders of one activation, NumPy and torch."""
    def pair(rng, dtype, n, k):
        x = (spread * rng.standard_normal((n, k))).astype(dtype)
        g = rng.standard_normal((n, k)).astype(dtype)
        act = numpy_class()
        act.forward(x)
        xt = tensor(x, True)
        out = torch_function(xt)
        return {"forward": (lambda: act.forward(x), lambda: torch_function(xt)),
                "backward": (lambda: act.backward(g), grad_of(out, xt, tensor(g)))}
    return pair


relu_pair = activation_pair(nn.Activation_ReLU, ref.activation_relu)
softmax_pair = activation_pair(nn.Activation_Softmax, ref.activation_softmax, spread=3.0)


def cce_pair(rng, dtype, n, k):
    p = probabilities(rng, n, k, dtype)
    y = rng.integers(0, k, n)
    loss = nn.Loss_CategoricalCrossentropy()
    pt, yt = tensor(p, True), torch.tensor(y)
    out = ref.loss_categorical_crossentropy(pt, yt)
    return {"forward": (lambda: loss.calculate(p, y),
                        lambda: ref.loss_categorical_crossentropy(pt, yt)),
            "backward": (lambda: loss.backward(p, y), grad_of(out, pt))}


def combined_pair(rng, dtype, n, k):
    x = (3 * rng.standard_normal((n, k))).astype(dtype)
    y = rng.integers(0, k, n)
    both = nn.Activation_Softmax_Loss_CategoricalCrossentropy()
    both.forward(x, y)
    xt, yt = tensor(x, True), torch.tensor(y)
    _, out = ref.activation_softmax_loss_categorical_crossentropy(xt, yt)
    return {"forward": (lambda: both.forward(x, y),
                        lambda: ref.activation_softmax_loss_categorical_crossentropy(xt, yt)),
            "backward": (lambda: both.backward(both.output, y), grad_of(out, xt))}


COMPONENTS = [
    # (name, builder, sizes as builder arguments, how a size is printed)
    ("Layer_Dense", dense_pair, [(64, 64, 64), (1024, 784, 256), (4096, 512, 512)],
     "{0}x{1} -> {2}"),
    ("Activation_ReLU", relu_pair, [(64, 64), (1024, 256), (8192, 1024)], "{0}x{1}"),
    ("Activation_Softmax", softmax_pair, [(64, 10), (20000, 10), (1024, 1000)], "{0}x{1}"),
    ("Loss_CategoricalCrossentropy", cce_pair, [(64, 10), (20000, 10), (1024, 1000)],
     "{0}x{1}"),
    ("Softmax+CCE combined", combined_pair, [(64, 10), (20000, 10), (1024, 1000)],
     "{0}x{1}"),
]


def bench_components(timer, dtypes, rng):
    rows = []
    for name, builder, sizes, size_format in COMPONENTS:
        for size in sizes:
            contenders = {}
            for dtype in dtypes:
                for op, (mine, theirs) in builder(rng, dtype, *size).items():
                    label = (np.dtype(dtype).name, op)
                    contenders["numpy", label], contenders["torch", label] = mine, theirs
            times = timer.run(contenders)
            for dtype in dtypes:
                for op in ("forward", "backward"):
                    label = (np.dtype(dtype).name, op)
                    mine, theirs = ("numpy", label), ("torch", label)
                    rows.append(dict(component=name, op=op, size=size_format.format(*size),
                                     dtype=label[0], numpy=statistics.median(times[mine]),
                                     torch=statistics.median(times[theirs]),
                                     ratio=ratio(times, mine, theirs)))
                    print(f"  {name} {op} {rows[-1]['size']} {rows[-1]['dtype']}: "
                          f"{ratio_text(rows[-1]['ratio'])}", file=sys.stderr)
    return rows


# ---------------------------------------------------------------- training step
def sgd_for_numpy():
    """The project's Optimizer_SGD if it exists yet, else the book's update written inline."""
    cls = getattr(nn, "Optimizer_SGD", None)
    if cls is not None:
        try:
            opt = cls(learning_rate=LEARNING_RATE)

            def update(layers):
                if hasattr(opt, "pre_update_params"):
                    opt.pre_update_params()
                for layer in layers:
                    opt.update_params(layer)
                if hasattr(opt, "post_update_params"):
                    opt.post_update_params()
            return update, "numpy_impl.Optimizer_SGD"
        except TypeError:
            pass

    def update(layers):
        for layer in layers:
            layer.weights += -LEARNING_RATE * layer.dweights
            layer.biases += -LEARNING_RATE * layer.dbiases
    return update, "inline w += -lr * dw (no Optimizer_SGD in numpy_impl)"


class BookReLU(nn.Activation_ReLU):
    """Activation_ReLU with the book's backward: a copy, then a masked write."""

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


def step_contenders(dtype, rng, n=1024, sizes=(784, 256, 10)):
    n_in, n_hidden, n_out = sizes
    x = rng.standard_normal((n, n_in)).astype(dtype)
    y = rng.integers(0, n_out, n)
    w1 = (0.05 * rng.standard_normal((n_in, n_hidden))).astype(dtype)
    w2 = (0.05 * rng.standard_normal((n_hidden, n_out))).astype(dtype)
    b1, b2 = np.zeros((1, n_hidden), dtype), np.zeros((1, n_out), dtype)

    # numpy_impl, exactly as the book's training loop writes it; and twice more,
    # to show what numpy_impl's two speed-ups are worth: reading the first layer's
    # dinputs (as if Layer_Dense computed it in backward()), and that plus the
    # book's masked-write ReLU backward (the plain book form).
    def numpy_step(relu_class=nn.Activation_ReLU, first_dinputs=False):
        dense1, relu = nn.Layer_Dense(n_in, n_hidden), relu_class()
        dense2 = nn.Layer_Dense(n_hidden, n_out)
        loss_activation = nn.Activation_Softmax_Loss_CategoricalCrossentropy()
        dense1.weights, dense1.biases = w1.copy(), b1.copy()
        dense2.weights, dense2.biases = w2.copy(), b2.copy()
        update, _ = sgd_for_numpy()

        def step():
            dense1.forward(x)
            relu.forward(dense1.output)
            dense2.forward(relu.output)
            loss_activation.forward(dense2.output, y)
            loss_activation.backward(loss_activation.output, y)
            dense2.backward(loss_activation.dinputs)
            relu.backward(dense2.dinputs)
            dense1.backward(relu.dinputs)
            if first_dinputs:
                dense1.dinputs
            update((dense1, dense2))
        return step
    _, sgd_name = sgd_for_numpy()

    # torch, as a torch user writes it
    model = torch.nn.Sequential(torch.nn.Linear(n_in, n_hidden), torch.nn.ReLU(),
                                torch.nn.Linear(n_hidden, n_out)).to(torch.from_numpy(x).dtype)
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(w1.T.copy()))
        model[2].weight.copy_(torch.from_numpy(w2.T.copy()))
        model[0].bias.zero_()
        model[2].bias.zero_()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def torch_step():
        optimizer.zero_grad()
        F.cross_entropy(model(xt), yt).backward()
        optimizer.step()

    # the matrix products no implementation of this step can avoid: forward
    # x @ W1 and h @ W2; backward dW2 = h.T @ dz2, dh = dz2 @ W2.T, dW1 = x.T @ dz1
    # (the first layer's dinputs is not needed to train)
    h = np.maximum(0, x @ w1)
    dz2 = rng.standard_normal((n, n_out)).astype(dtype)
    dz1 = rng.standard_normal((n, n_hidden)).astype(dtype)

    def bare_gemms():
        x @ w1
        h @ w2
        h.T @ dz2
        dz2 @ w2.T
        x.T @ dz1

    out = {name: np.empty(shape, dtype) for name, shape in (
        ("z1", (n, n_hidden)), ("z2", (n, n_out)), ("dw2", (n_hidden, n_out)),
        ("dh", (n, n_hidden)), ("dw1", (n_in, n_hidden)))}

    def bare_gemms_preallocated():
        np.matmul(x, w1, out=out["z1"])
        np.matmul(h, w2, out=out["z2"])
        np.matmul(h.T, dz2, out=out["dw2"])
        np.matmul(dz2, w2.T, out=out["dh"])
        np.matmul(x.T, dz1, out=out["dw1"])

    name = np.dtype(dtype).name
    return sgd_name, {("numpy", ("step", name)): numpy_step(),
                      ("numpy", ("step_dinputs", name)): numpy_step(first_dinputs=True),
                      ("numpy", ("step_book", name)): numpy_step(BookReLU, first_dinputs=True),
                      ("numpy", ("gemm", name)): bare_gemms,
                      ("numpy", ("gemm_out", name)): bare_gemms_preallocated,
                      ("torch", ("step", name)): torch_step}


def bench_steps(timer, dtypes, rng):
    contenders = {}
    for dtype in dtypes:
        sgd_name, more = step_contenders(dtype, rng)
        contenders.update(more)
    times = timer.run(contenders)
    steps = []
    for dtype in dtypes:
        name = np.dtype(dtype).name
        mine = ("numpy", ("step", name))
        keys = {"numpy": mine, "torch": ("torch", ("step", name)),
                "gemm": ("numpy", ("gemm", name)), "gemm_out": ("numpy", ("gemm_out", name))}
        steps.append(dict(dtype=name, sgd=sgd_name,
                          times={k: statistics.median(times[key]) for k, key in keys.items()},
                          vs_gemm=ratio(times, mine, keys["gemm"]),
                          vs_gemm_out=ratio(times, mine, keys["gemm_out"]),
                          vs_torch=ratio(times, mine, keys["torch"]),
                          dinputs_vs_gemm=ratio(times, ("numpy", ("step_dinputs", name)),
                                                keys["gemm"]),
                          book_vs_gemm=ratio(times, ("numpy", ("step_book", name)),
                                             keys["gemm"])))
    return steps


# ------------------------------------------------------------- softmax Jacobian
def book_loop_softmax_backward(output, dvalues):
    """The book's chapter 9 softmax backward: build each sample's K x K Jacobian
    diag(s) - s s^T and multiply it by the sample's gradient, one sample at a time."""
    dinputs = np.empty_like(dvalues)
    for row in range(output.shape[0]):
        s = output[row].reshape(-1, 1)
        jacobian = np.diagflat(s) - s @ s.T
        dinputs[row] = jacobian @ dvalues[row]
    return dinputs


def bench_jacobians(timer, dtypes, rng, n=20000, k=10):
    contenders, agree = {}, {}
    for dtype in dtypes:
        name = np.dtype(dtype).name
        act = nn.Activation_Softmax()
        act.forward((3 * rng.standard_normal((n, k))).astype(dtype))
        g = rng.standard_normal((n, k)).astype(dtype)
        act.backward(g)
        tol = 1e-4 if dtype == np.float32 else 1e-12
        agree[name] = bool(np.allclose(act.dinputs, book_loop_softmax_backward(act.output, g),
                                       rtol=tol, atol=tol))
        contenders["numpy", ("vectorized", name)] = lambda act=act, g=g: act.backward(g)
        contenders["numpy", ("loop", name)] = (
            lambda act=act, g=g: book_loop_softmax_backward(act.output, g))
    times = timer.run(contenders)
    results = []
    for dtype in dtypes:
        name = np.dtype(dtype).name
        mine, loop = ("numpy", ("vectorized", name)), ("numpy", ("loop", name))
        results.append(dict(dtype=name, size=f"{n}x{k}", agree=agree[name],
                            numpy=statistics.median(times[mine]),
                            loop=statistics.median(times[loop]),
                            speedup=ratio(times, loop, mine)))
    return results


# ------------------------------------------------------------------------ output
def verdict(ok):
    return "holds" if ok else "MISSED"


def report(machine, component_rows, steps, jacobians, markdown):
    lines = []
    warning = busy_warning()
    if markdown:
        lines += ["## Performance", "",
                  "Measured with `scripts/benchmark.py` in one run on:", ""]
        lines += [f"- {line}" for line in machine]
        lines += ["", "A ratio is numpy_impl's time divided by the other's (below 1: "
                  "numpy_impl is faster): the median over interleaved rounds, with the "
                  "interquartile range in brackets.", ""]
        lines += [f"**{warning}**", ""] if warning else []
    else:
        lines += machine + [""] + ([warning, ""] if warning else [])

    def table(header, rows):
        if markdown:
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join("---" for _ in header) + "|")
            lines.extend("| " + " | ".join(row) + " |" for row in rows)
        else:
            widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
            for row in [header] + rows:
                lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        lines.append("")

    if steps:
        title = "Training step: 784 -> 256 -> 10 MLP, batch 1024 (forward, backward, SGD update)"
        lines += [f"### {title}" if markdown else title, ""]
        table(["dtype", "numpy_impl", "bare GEMMs", "numpy_impl / GEMMs",
               "numpy_impl / GEMMs (out=)", "torch", "numpy_impl / torch"],
              [[s["dtype"], seconds(s["times"]["numpy"]), seconds(s["times"]["gemm"]),
                ratio_text(s["vs_gemm"]), ratio_text(s["vs_gemm_out"]),
                seconds(s["times"]["torch"]), ratio_text(s["vs_torch"])] for s in steps])
        lines.append(f"SGD update on the numpy side: {steps[0]['sgd']}. Bare GEMMs: the five "
                     "products the step cannot avoid, as plain `@` (with `out=`: into "
                     "preallocated arrays).")
        for s in steps:
            lines.append(
                f"{'- ' if markdown else ''}{s['dtype']}: step <= {STEP_TARGET_GEMM}x bare GEMMs "
                f"{verdict(s['vs_gemm'][0] <= STEP_TARGET_GEMM)} ({s['vs_gemm'][0]:.2f}x; "
                f"against the `out=` products {s['vs_gemm_out'][0]:.2f}x, "
                f"{verdict(s['vs_gemm_out'][0] <= STEP_TARGET_GEMM)}); "
                f"no slower than torch {verdict(s['vs_torch'][0] <= STEP_TARGET_TORCH)} "
                f"({s['vs_torch'][0]:.2f}x)")
        lines.append("Without numpy_impl's two speed-ups, step / bare GEMMs: first layer's "
                     "dinputs computed too, " + "; ".join(
                         f"{s['dtype']} {ratio_text(s['dinputs_vs_gemm'])}" for s in steps)
                     + "; that and the book's masked-write ReLU backward (the plain book "
                     "form), " + "; ".join(f"{s['dtype']} {ratio_text(s['book_vs_gemm'])}"
                                          for s in steps) + ".")
        lines.append("")
    if jacobians:
        title = "Softmax backward vs the book's per-sample Jacobian loop"
        lines += [f"### {title}" if markdown else title, ""]
        table(["dtype", "size", "numpy_impl", "book loop", "speed-up", "same result"],
              [[j["dtype"], j["size"], seconds(j["numpy"]), seconds(j["loop"]),
                ratio_text(j["speedup"]), "yes" if j["agree"] else "NO"] for j in jacobians])
        for j in jacobians:
            lines.append(f"{'- ' if markdown else ''}{j['dtype']}: >= {JACOBIAN_TARGET:.0f}x "
                         f"faster {verdict(j['speedup'][0] >= JACOBIAN_TARGET)} "
                         f"({j['speedup'][0]:.0f}x)")
        lines.append("")
    if component_rows:
        title = "Components: numpy_impl vs torch CPU eager with autograd"
        lines += [f"### {title}" if markdown else title, ""]
        lines.append("torch runs the reference twins (Layer_Dense: torch.addmm, as nn.Linear "
                     "does), its forward recording the autograd graph; its backward is "
                     "torch.autograd.grad on a kept graph. numpy_impl's backward of "
                     "Layer_Dense includes reading dinputs. Sparse integer labels for the "
                     "losses. NumPy's element-wise operations use one thread, torch's use "
                     "all of its threads.")
        lines.append("")
        table(["component", "pass", "size", "dtype", "numpy_impl", "torch", "numpy_impl / torch"],
              [[r["component"], r["op"], r["size"], r["dtype"], seconds(r["numpy"]),
                seconds(r["torch"]), ratio_text(r["ratio"])] for r in component_rows])
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, shorter samples")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS and torch threads (default: what numpy's BLAS uses)")
    parser.add_argument("--markdown", action="store_true", help="print README-ready markdown")
    parser.add_argument("--only", choices=("step", "jacobian", "components"), action="append",
                        help="run only these parts (repeatable)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="rounds per table block (default 21 components, 61 step, "
                             "11 Jacobian; a third of that with --quick)")
    parser.add_argument("--cooldown", type=float, default=None,
                        help="seconds of pause between the NumPy and the torch group of a "
                             "round (default 0.15 with more than one thread, else 0)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    parts = set(args.only or ("step", "jacobian", "components"))

    blas = blas_setup(args.threads)
    machine = machine_description(blas)
    print("\n".join(machine), file=sys.stderr)
    random.seed(args.seed)
    rng = np.random.default_rng(args.seed)
    def rounds(default):
        return args.rounds or (max(5, default // 3) if args.quick else default)
    min_time = 0.002 if args.quick else 0.005
    cooldown = args.cooldown
    if cooldown is None:
        cooldown = 0.15 if max(blas["threads"], torch.get_num_threads()) > 1 else 0.0
    machine.append(f"pause between the NumPy and the torch group of a round: {cooldown:g} s")
    dtypes = (np.float32, np.float64)

    steps, jacobians, component_rows = [], [], []
    if "step" in parts:
        steps = bench_steps(Timer(rounds(61), min_time, 5, cooldown), dtypes, rng)
    if "jacobian" in parts:
        jacobians = bench_jacobians(Timer(rounds(11), min_time, 1, cooldown), dtypes, rng)
    if "components" in parts:
        component_rows = bench_components(Timer(rounds(21), min_time, 3, cooldown), dtypes, rng)
    machine.insert(2, f"at the end: {load_text()}")
    print(report(machine, component_rows, steps, jacobians, args.markdown))


if __name__ == "__main__":
    main()
