"""How fast nnlib trains, and how fast the book executes, against the targets of issue 9.

    .venv/bin/python benchmarks/performance.py                 # everything (about 10 minutes)
    .venv/bin/python benchmarks/performance.py --skip-book     # only the training comparison
    .venv/bin/python benchmarks/performance.py --quick         # seconds: checks that it runs (CI)
    .venv/bin/python benchmarks/performance.py --json out.json book/04_backprop.ipynb

1. Training. On scikit-learn's digits (a fixed 75/25 split from ``nn.datasets.train_test_split``,
   seed 0), a 64-H-10 network (ReLU, softmax output, cross-entropy), Adam lr 1e-3, batch 32,
   50 epochs, no regularization, for H = 64 and H = 256, trained three ways, interleaved in one
   process: nnlib's ``MLP.fit``; a *floor*, the same math as a plain numpy loop without any
   abstraction (same initial weights, same shuffling, Adam in PyTorch's form, the loss of every
   batch computed as nnlib and scikit-learn do); scikit-learn's ``MLPClassifier`` (same
   initial weights, its own shuffling and its Adam, which folds the bias correction into the
   step size). Prints the median wall time, test accuracy and the ratios nnlib/scikit-learn
   (target <= 0.5 at accuracy within 1 point) and nnlib/floor (target <= 1.25).
2. The book. Executes every page of ``_toc.yml`` with nbclient in a fresh kernel, with
   ``NNLIB_EXPLORER_MODE=static`` as the build does (targets: <= 60 s a chapter, <= 5 min the
   book), and reports each explorer's precompute time and payload (budget 10 s, 3 MB, see
   ``benchmarks/explorers.py``) and the latency of one slider callback: the median time of a
   frame (``plot_fn`` plus its PNG), which is what a live slider runs on every move (target:
   median <= 250 ms for the explorers whose frames train a network).

Timings depend on the machine and its load; the ratios of part 1 are measured interleaved in
one process so that both sides see the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
import nnlib as nn  # noqa: E402
from explorers import BUDGET_BYTES, BUDGET_SECONDS  # noqa: E402

TARGETS = {"nnlib/sklearn": 0.5, "nnlib/floor": 1.25, "accuracy_points": 1.0, "chapter_s": 60.0,
           "book_s": 300.0, "callback_s": 0.25}


# --- 1. Training: nnlib, the floor, scikit-learn -------------------------------------------------
def digits_split():
    X, y = nn.datasets.digits()
    return nn.datasets.train_test_split(X, y, test_size=0.25, seed=0)


def initial_weights(hidden: int) -> list[np.ndarray]:
    """nnlib's initial [W1, b1, W2, b2] (He normal, zero biases), shared by all three."""
    return nn.MLP([64, hidden, 10], activation="relu", output="softmax", seed=0).get_params()


def train_nnlib(data, hidden, num_epochs, batch_size=32, lr=1e-3):
    X_train, X_test, y_train, y_test = data
    model = nn.MLP([64, hidden, 10], activation="relu", output="softmax", seed=0)
    model.fit(X_train, y_train, loss="cross_entropy", optimizer=nn.optimizers.Adam(lr=lr),
              num_epochs=num_epochs, batch_size=batch_size, shuffle=True, seed=0)
    return float(np.mean(model.predict(X_test) == y_test)), model.params


def train_floor(data, hidden, num_epochs, batch_size=32, lr=1e-3):
    """The same math written out as a plain numpy loop: no classes, no checks."""
    X_train, X_test, y_train, y_test = data
    W1, b1, W2, b2 = params = initial_weights(hidden)
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    Y = np.eye(10)[y_train]
    rng = np.random.default_rng(0)  # nnlib's fit(seed=0) shuffles with this generator
    m, t = X_train.shape[0], 0
    for _ in range(num_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            idx = order[start:start + batch_size]
            Xb, Yb = X_train[idx], Y[idx]
            n = Xb.shape[0]
            Z1 = Xb @ W1 + b1
            A1 = np.maximum(Z1, 0.0)
            Z2 = A1 @ W2 + b2
            shifted = Z2 - Z2.max(axis=1, keepdims=True)
            E = np.exp(shifted)
            total = E.sum(axis=1, keepdims=True)
            loss = -np.sum(Yb * (shifted - np.log(total))) / n  # noqa: F841 (as nnlib records it)
            dZ2 = (E / total - Yb) / n
            dW2, db2 = A1.T @ dZ2, dZ2.sum(axis=0)
            dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
            dW1, db1 = Xb.T @ dZ1, dZ1.sum(axis=0)
            t += 1
            for p, g, m_, v in zip(params, [dW1, db1, dW2, db2], ms, vs):
                m_ *= beta1
                m_ += (1 - beta1) * g
                v *= beta2
                v += (1 - beta2) * g * g
                p -= lr * (m_ / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    y_hat = np.maximum(X_test @ W1 + b1, 0.0) @ W2 + b2
    return float(np.mean(np.argmax(y_hat, axis=1) == y_test)), params


def train_sklearn(data, hidden, num_epochs, batch_size=32, lr=1e-3):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    start = initial_weights(hidden)

    class SameStart(MLPClassifier):
        """MLPClassifier that starts from nnlib's initial weights (``_init_coef`` is called
        once per layer, in order)."""

        def _init_coef(self, fan_in, fan_out, dtype):
            W, b = start.pop(0), start.pop(0)
            return W.astype(dtype), b.astype(dtype)

    X_train, X_test, y_train, y_test = data
    clf = SameStart(hidden_layer_sizes=(hidden,), activation="relu", solver="adam",
                    learning_rate_init=lr, batch_size=batch_size, max_iter=num_epochs,
                    alpha=0.0, shuffle=True, random_state=0,
                    tol=0.0, n_iter_no_change=num_epochs)  # never stops early
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # "max_iter reached": intended
        clf.fit(X_train, y_train)
    if clf.n_iter_ != num_epochs:
        raise RuntimeError(f"MLPClassifier ran {clf.n_iter_} epochs, not {num_epochs}")
    return float(clf.score(X_test, y_test)), clf.coefs_


RUNNERS = {"nnlib": train_nnlib, "floor": train_floor, "sklearn": train_sklearn}


def training(hidden_sizes, num_epochs, repeats, blas_threads=1):
    """Median times of the three, interleaved. BLAS gets ``blas_threads`` threads (default 1:
    on matrices this small more threads only wait for each other, and on a shared machine
    their spinning made the timings vary tenfold)."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    data = digits_split()
    rows = []
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        for hidden in hidden_sizes:
            rows.append(_compare(data, hidden, num_epochs, repeats))
    for row in rows:
        row["blas_threads"] = blas_threads
    return rows


def _compare(data, hidden, num_epochs, repeats):
    times = {name: [] for name in RUNNERS}
    accuracy, params = {}, {}
    for _ in range(repeats):  # interleaved, so that all three see the same load
        for name, run in RUNNERS.items():
            start = time.perf_counter()
            accuracy[name], params[name] = run(data, hidden, num_epochs)
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in times.items()}
    return {
        "hidden": hidden, "epochs": num_epochs, "repeats": repeats,
        "seconds": median, "accuracy": accuracy,
        "nnlib/sklearn": median["nnlib"] / median["sklearn"],
        "nnlib/floor": median["nnlib"] / median["floor"],
        "floor/sklearn": median["floor"] / median["sklearn"],
        # the same arithmetic in the same order gives the same weights
        "max |W_nnlib - W_floor|": max(float(np.max(np.abs(a - b)))
                                       for a, b in zip(params["nnlib"], params["floor"])),
    }


def print_training(rows):
    print(f"Training on digits ({rows[0]['epochs']} epochs, batch 32, Adam 1e-3; median of "
          f"{rows[0]['repeats']} interleaved runs; {rows[0]['blas_threads']} BLAS thread(s))")
    print(f"{'net':<10}{'nnlib s':>9}{'floor s':>9}{'sklearn s':>10}{'acc nnlib':>10}"
          f"{'floor':>7}{'sklearn':>8}{'nnlib/sk':>9}{'nnlib/floor':>12}{'floor/sk':>9}")
    for r in rows:
        s, a = r["seconds"], r["accuracy"]
        print(f"{'64-' + str(r['hidden']) + '-10':<10}{s['nnlib']:>9.3f}{s['floor']:>9.3f}"
              f"{s['sklearn']:>10.3f}{a['nnlib']:>10.3f}{a['floor']:>7.3f}{a['sklearn']:>8.3f}"
              f"{r['nnlib/sklearn']:>9.2f}{r['nnlib/floor']:>12.2f}{r['floor/sklearn']:>9.2f}")
    print(f"targets: nnlib/sklearn <= {TARGETS['nnlib/sklearn']} at accuracy within "
          f"{TARGETS['accuracy_points']:g} point, nnlib/floor <= {TARGETS['nnlib/floor']}; "
          "nnlib and the floor end with the same weights (max difference "
          f"{max(r['max |W_nnlib - W_floor|'] for r in rows):.1e})")


# --- 2. The book: execution time, explorers, slider latency --------------------------------------
PROBE_START = """\
import sys
sys.path.insert(0, {benchmarks!r})
import explorers as _nn_benchmark
_nn_benchmark_found = []
_nn_benchmark_undo = _nn_benchmark.record(_nn_benchmark_found)
"""
PROBE_END = """\
_nn_benchmark_undo()
_nn_benchmark.report(_nn_benchmark_found)
"""


def book_pages() -> list[Path]:
    """The pages of ``_toc.yml`` that execute code, in the book's order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    pages = []
    for name in files:
        for suffix in (".ipynb", ".md"):
            path = ROOT / (name + suffix)
            if path.is_file() and (suffix == ".ipynb" or "kernelspec:" in path.read_text()):
                pages.append(path)
    return pages


def read_notebook(path: Path):
    import nbformat

    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(path.read_text())


def execute_page(path: Path, timeout: int = 120) -> dict:
    """Run one page as the book build does (nbclient, a fresh kernel, the page's folder,
    static explorers) and return its wall time and its explorers' figures."""
    import nbformat
    from nbclient import NotebookClient

    nb = read_notebook(path)
    code = sum(1 for c in nb.cells if c.cell_type == "code")
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        PROBE_START.format(benchmarks=str(ROOT / "benchmarks"))))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE_END))
    os.environ["NNLIB_EXPLORER_MODE"] = "static"  # the kernel inherits it, as in the build
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    probe = json.loads(text.split("NN-BENCHMARK ", 1)[1])
    explorers = probe["explorers"]
    for e in explorers:
        # a live slider move draws one frame exactly as the precomputation did
        e["callback_median"] = statistics.median(e["frame_seconds"])
        e["callback_max"] = max(e["frame_seconds"])
        e["retrains"] = sum(e["fits_per_frame"]) > 0
        del e["frame_seconds"]
    return {"page": str(path.relative_to(ROOT)), "code_cells": code,
            "seconds": seconds,
            "explorers": explorers}


def book(pages: list[Path]) -> dict:
    results = []
    for page in pages:
        print(f"  executing {page.relative_to(ROOT)} ...", file=sys.stderr, flush=True)
        results.append(execute_page(page))
    return {"pages": results, "seconds": sum(r["seconds"] for r in results)}


def print_book(result):
    print("\nExecuting the book (nbclient, a fresh kernel per page, static explorers)")
    print(f"{'page':<36}{'seconds':>8}  within {TARGETS['chapter_s']:.0f} s")
    for r in result["pages"]:
        ok = r["seconds"] <= TARGETS["chapter_s"]
        print(f"{r['page']:<36}{r['seconds']:>8.1f}  {'yes' if ok else 'NO'}")
    ok = result["seconds"] <= TARGETS["book_s"]
    print(f"{'whole book':<36}{result['seconds']:>8.1f}  within {TARGETS['book_s']:.0f} s: "
          f"{'yes' if ok else 'NO'}")
    print(f"\nExplorers (budget {BUDGET_SECONDS:.0f} s and {BUDGET_BYTES / 1e6:.0f} MB each). 'frame': "
          "median and slowest time of one frame (plot_fn and its PNG, all frames): what a live "
          "slider move runs, so its latency; target for explorers that train a network: "
          f"median <= {TARGETS['callback_s'] * 1000:.0f} ms")
    print(f"{'page':<36}{'#':>2}{'frames':>7}{'seconds':>8}{'MB':>6}{'trains':>7}"
          f"{'frame ms':>9}{'max ms':>7}  within")
    for r in result["pages"]:
        for i, e in enumerate(r["explorers"], 1):
            ok = e["seconds"] <= BUDGET_SECONDS and e["bytes"] <= BUDGET_BYTES and (
                not e["retrains"] or e["callback_median"] <= TARGETS["callback_s"])
            print(f"{r['page']:<36}{i:>2}{e['frames']:>7}{e['seconds']:>8.2f}"
                  f"{e['bytes'] / 1e6:>6.2f}{'yes' if e['retrains'] else 'no':>7}"
                  f"{e['callback_median'] * 1000:>9.0f}{e['callback_max'] * 1000:>7.0f}"
                  f"  {'yes' if ok else 'NO'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="pages to execute (default: the whole book)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, one repeat, one small page: checks that it runs")
    parser.add_argument("--repeats", type=int, default=None, help="repeats (default 7)")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS threads while training (default 1)")
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--skip-book", action="store_true")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    results = {"quick": args.quick, "targets": TARGETS}
    if not args.skip_training:
        if args.quick:
            results["training"] = training([8, 16], 2, args.repeats or 1, args.blas_threads)
        else:
            results["training"] = training([64, 256], 50, args.repeats or 7, args.blas_threads)
        print_training(results["training"])
    if not args.skip_book:
        if args.pages:
            pages = [Path(p).resolve() for p in args.pages]
        elif args.quick:
            pages = [ROOT / "benchmarks" / "quick_page.ipynb"]
        else:
            pages = book_pages()
        results["book"] = book(pages)
        print_book(results["book"])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
