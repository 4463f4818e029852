"""Checks of chapter 1, the perceptron and logic gates.

Each check runs the student's function on cases whose answers follow from the perceptron's
definition, :math:`\\hat y = 1` iff :math:`\\mathbf{w}\\cdot\\mathbf{x} + b > 0`, and on a
wrong answer names the input, the expected and the received value, and gives a hint.

- :func:`perceptron_training`: the whole learning rule, ``train_perceptron(X, y, lr,
  max_epochs) -> (w, b, mistakes)``; recognises updates on correct samples, a forgotten bias,
  ``>=`` for ``>``, running all ``max_epochs`` instead of stopping at the first epoch without a
  mistake, a sign flip, a missing learning rate and updates applied once per epoch.
- :func:`xnor_network`: ``xnor(X)`` must compute XNOR *through perceptrons*: the check records
  the calls to ``nn.perceptron.perceptron`` and accepts only outputs of a perceptron whose
  inputs are columns of ``X`` or outputs of other recorded perceptrons, so a direct comparison
  such as ``X[:, 0] == X[:, 1]`` is rejected.
- :func:`perceptron_margin`: ``margin(X, y, w, b)``, the signed distance from the line to the
  closest sample; recognises a missing division by :math:`\\lVert\\mathbf{w}\\rVert`, labels
  0/1 used as signs, an unsigned distance, the bias inside the norm and the largest instead of
  the smallest distance.
- :func:`perceptron_output`, :func:`perceptron_update` and :func:`three_input_gates`: the
  perceptron's output, one step of the rule, and weights for three-input gates.
"""

from __future__ import annotations

import itertools

import numpy as np

from . import Feedback, call, failed, observed, passed, show

__all__ = ["perceptron_output", "perceptron_update", "perceptron_training", "three_input_gates",
           "xnor_network", "perceptron_margin"]

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
CUBE = np.array(list(itertools.product([0.0, 1.0], repeat=3)))  # rows 000, 001, ..., 111

#: The three-input gates of the exercise: the output for each row of ``CUBE``.
THREE_INPUT_GATES = {
    "and": lambda s: s == 3,
    "or": lambda s: s >= 1,
    "nand": lambda s: s < 3,
    "nor": lambda s: s == 0,
    "majority": lambda s: s >= 2,
}


def _vec(v) -> str:
    """``(0, 1)`` for a vector, ``0.5`` for a number: how the messages print values."""
    arr = np.asarray(v, dtype=float).reshape(-1)
    text = ", ".join(f"{x:g}" for x in arr)
    return f"({text})" if np.ndim(v) else text


def _array(result, exercise: str, what: str, hint: str):
    """``result`` as a float array, or a Feedback saying it is not one."""
    try:
        arr = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        return None, failed(exercise, f"expected {what}, got {type(result).__name__}: "
                            f"{result!r}", hint)
    return arr, None


# --- Exercise: the perceptron's output --------------------------------------------------------

def _output_cases():
    rng = np.random.default_rng(0)
    X3 = rng.integers(0, 2, size=(6, 3)).astype(float)
    return [
        ("AND weights on the truth table", CORNERS, np.array([0.5, 0.5]), -0.7),
        ("NOR weights on the truth table", CORNERS, np.array([-0.5, -0.5]), 0.2),
        ("a line through the corners (0, 1) and (1, 0)", CORNERS, np.array([1.0, 1.0]), -1.0),
        ("NOT, one input", np.array([[0.0], [1.0]]), np.array([-1.0]), 0.5),
        ("three inputs", X3, np.array([0.4, -0.3, 0.8]), -0.25),
        ("real-valued inputs", rng.normal(size=(5, 2)), np.array([2.0, -1.0]), 0.3),
    ]


def perceptron_output(fn) -> Feedback:
    """Check ``fn(X, w, b)``: the perceptron's outputs ``(m, 1)``, 1 where ``X w + b > 0``."""
    exercise = "perceptron_output(X, w, b)"
    hint = ("compute z = X @ w + b (one number per row), then (z > 0) as 0/1 numbers, "
            "reshaped to one column with .reshape(-1, 1).")
    for what, X, w, b in _output_cases():
        result, problem = call(exercise, fn, X.copy(), w.copy(), b, hint=hint)
        if problem is not None:
            return problem
        got, problem = _array(result, exercise, f"an array of shape ({len(X)}, 1)", hint)
        if problem is not None:
            return problem
        z = X @ w + b
        expected = (z > 0).astype(float).reshape(-1, 1)
        if got.shape != expected.shape:
            return failed(
                exercise, f"{what}: expected an array of shape {expected.shape} (one row per "
                f"sample, one column), got shape {got.shape}.",
                "rows are samples: return the outputs as a column, e.g. with .reshape(-1, 1)."
                if got.size == expected.size else hint,
            )
        wrong = np.flatnonzero(got[:, 0] != expected[:, 0])
        if wrong.size:
            i = wrong[0]
            tie = np.isclose(z[i], 0.0, atol=1e-12)
            detail = (". The weighted sum equals the threshold here (w·x + b = 0), and the "
                      "perceptron fires only when it is strictly greater."
                      if tie else f" (w·x + b = {z[i]:.3g}).")
            return failed(
                exercise, f"{what}: for x = {_vec(X[i])} with w = {_vec(w)}, b = {b:g} "
                f"expected output {expected[i, 0]:g}, got {got[i, 0]:g}{detail}",
                "use a strict comparison, z > 0: on the line the output is 0." if tie else hint,
            )
    return passed(exercise, f"all {len(_output_cases())} cases right, including a corner that "
                  "lies exactly on the line (output 0) and inputs that are not 0/1.")


# --- Exercise: one step of the learning rule ------------------------------------------------

def _update_cases():
    """(description, w, b, x, y, lr); the last ones are seeded random cases."""
    cases = [
        ("a correct output 1", [0.5, 0.5], -0.2, [1.0, 1.0], 1, 1.0),
        ("a correct output 0", [0.5, 0.5], -0.7, [1.0, 0.0], 0, 1.0),
        ("a missed 1 (output 0, target 1)", [-0.5, 0.5], 0.1, [1.0, 0.0], 1, 1.0),
        ("a false 1 (output 1, target 0)", [0.5, 0.5], -0.2, [1.0, 1.0], 0, 0.5),
        ("a point on the line with target 1 (output 0)", [1.0, -1.0], 0.0, [1.0, 1.0], 1, 0.25),
        ("a point on the line with target 0 (output 0, correct)", [1.0, -1.0], 0.0, [1.0, 1.0], 0, 0.25),
        ("three inputs, output 1, target 0", [0.2, 0.3, -0.1], 0.1, [1.0, 0.0, 1.0], 0, 0.1),
    ]
    rng = np.random.default_rng(1)
    for _ in range(12):
        w, b = rng.normal(size=2).round(2).tolist(), round(float(rng.normal()), 2)
        x = rng.integers(0, 2, size=2).astype(float).tolist()
        cases.append(("a random case", w, b, x, int(rng.integers(0, 2)),
                      float(rng.choice([0.1, 0.5, 1.0]))))
    return cases


def _expected_update(w, b, x, y, lr):
    w, x = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
    error = y - float(w @ x + b > 0)
    return w + lr * error * x, b + lr * error, error


def perceptron_update(fn) -> Feedback:
    """Check ``fn(w, b, x, y, lr) -> (w_new, b_new)``: one step of Rosenblatt's rule."""
    exercise = "perceptron_update(w, b, x, y, lr)"
    hint = ("output y_hat = 1 if w @ x + b > 0 else 0; then w + lr * (y - y_hat) * x and "
            "b + lr * (y - y_hat). Return both: return w_new, b_new.")
    for what, w, b, x, y, lr in _update_cases():
        exp_w, exp_b, error = _expected_update(w, b, x, y, lr)
        args = (np.array(w, dtype=float), b, np.array(x, dtype=float), y, lr)
        result, problem = call(exercise, fn, *args, hint=hint)
        if problem is not None:
            return problem
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return failed(exercise, f"expected a pair (w_new, b_new), got "
                          f"{type(result).__name__}: {result!r}", hint)
        got_w, problem = _array(result[0], exercise, f"w_new, an array of {len(w)} numbers", hint)
        if problem is not None:
            return problem
        got_b, problem = _array(result[1], exercise, "b_new, a number", hint)
        if problem is not None:
            return problem
        if got_w.shape != exp_w.shape or got_b.size != 1:
            return failed(exercise, f"{what}: expected w_new of shape {exp_w.shape} and a "
                          f"number b_new, got shapes {got_w.shape} and {got_b.shape}.", hint)
        w_arr, x_arr = np.asarray(w, dtype=float), np.asarray(x, dtype=float)
        got_b = float(got_b.reshape(-1)[0])
        ok_w = np.allclose(got_w, exp_w, rtol=1e-9, atol=1e-12)
        ok_b = np.isclose(got_b, exp_b, rtol=1e-9, atol=1e-12)
        if ok_w and ok_b:
            continue
        setting = (f"{what}: w = {_vec(w)}, b = {b:g}, x = {_vec(x)}, y = {y}, lr = {lr:g} "
                   f"(output {int(y - error)}): expected w_new = {_vec(exp_w)}, "
                   f"b_new = {exp_b:g}, got w_new = {_vec(got_w)}, b_new = {got_b:g}.")
        ge_error = y - float(w_arr @ x_arr + b >= 0)  # what a ">=" comparison would do
        if (ge_error != error and np.allclose(got_w, w_arr + lr * ge_error * x_arr)
                and np.isclose(got_b, b + lr * ge_error)):
            specific = ("x lies on the line (w·x + b = 0), where the output is 0: the "
                        "perceptron fires only when w·x + b > 0.")
        elif error == 0:
            specific = "a correctly classified sample changes nothing: y - y_hat = 0."
        elif not ok_w and np.allclose(got_w, 2 * w_arr - exp_w):
            specific = ("the step has the wrong sign: add lr * x when the target is 1 and the "
                        "output 0, subtract it when the target is 0 and the output 1.")
        elif ok_w:
            specific = "w is right; the bias learns too: b_new = b + lr * (y - y_hat)."
        elif np.allclose(got_w, w_arr + error * x_arr):
            specific = "the step is scaled by the learning rate: lr * (y - y_hat) * x."
        else:
            specific = hint
        return failed(exercise, setting, specific)
    return passed(exercise, f"all {len(_update_cases())} updates right: no change on correct "
                  "outputs, +lr·x and -lr·x on the two kinds of mistakes, bias included.")


# --- Exercise: the whole learning rule --------------------------------------------------------

def _rule(X, y, lr, max_epochs, fire_at_zero=False, bias=True, stop=True, sign=1.0,
          use_lr=True, every_sample=False, per_epoch=False):
    """The learning rule from zero weights in the fixed order, and the usual slips of it.

    With the defaults it is Rosenblatt's rule as ``nn.perceptron.train_perceptron`` runs it;
    each keyword switches on one mistake, so a wrong answer can be recognised by matching it.
    Returns ``(w, b, mistakes)``.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float).reshape(-1)
    w, b = np.zeros(X.shape[1]), 0.0
    step = lr if use_lr else 1.0

    def output(x, w, b):
        z = x @ w + b
        return float(z >= 0) if fire_at_zero else float(z > 0)

    mistakes = []
    for _ in range(max_epochs):
        count, dw, db = 0, np.zeros_like(w), 0.0
        for x_i, y_i in zip(X, y):
            error = y_i - output(x_i, w, b)
            count += error != 0
            if every_sample:                  # a step towards the target on every sample
                error = 2 * y_i - 1
            if per_epoch:                     # summed and applied at the end of the epoch
                dw, db = dw + sign * step * error * x_i, db + sign * step * error
            else:
                w = w + sign * step * error * x_i
                b = b + (sign * step * error if bias else 0.0)
        if per_epoch:
            w, b = w + dw, b + (db if bias else 0.0)
        mistakes.append(int(count))
        if stop and count == 0:
            break
    return w, b, mistakes


#: (keyword of :func:`_rule`, what went wrong, how to fix it), in the order they are tried.
TRAINING_SLIPS = [
    ({"every_sample": True}, "your function also changes the weights when the output is right",
     "update only on a mistake: the step is lr * (y - y_hat) * x, which is 0 when y_hat == y."),
    ({"bias": False}, "the bias never changes",
     "the bias learns too: b = b + lr * (y - y_hat) after every mistake."),
    ({"fire_at_zero": True}, "your perceptron fires at w·x + b = 0 (>= instead of >)",
     "y_hat = 1 only when w·x + b > 0: on the line the output is 0."),
    ({"stop": False}, "your loop runs all max_epochs epochs",
     "stop after the first epoch without a mistake: `if mistakes_in_epoch == 0: break` at the "
     "end of the epoch (after recording its 0)."),
    ({"sign": -1.0}, "the steps have the wrong sign",
     "add lr * x when the target is 1 and the output 0 (y - y_hat = +1), subtract it for a "
     "false 1 (y - y_hat = -1)."),
    ({"use_lr": False}, "the steps ignore the learning rate",
     "scale every step by lr: w + lr * (y - y_hat) * x and b + lr * (y - y_hat)."),
    ({"per_epoch": True}, "the updates are added up and applied once per epoch",
     "the rule updates after each sample, so the next sample already sees the new weights."),
]


def _training_cases():
    rng = np.random.default_rng(4)
    X5 = rng.integers(0, 2, size=(10, 3)).astype(float)
    y5 = (X5 @ [1.0, 2.0, -1.0] > 0.5).astype(float).reshape(-1, 1)  # separable by design
    gate = {name: (CORNERS, np.array(rule, dtype=float).reshape(-1, 1)) for name, rule in
            [("AND", [0, 0, 0, 1]), ("NOR", [1, 0, 0, 0]), ("OR", [0, 1, 1, 1]),
             ("XOR", [0, 1, 1, 0]), ("NAND", [1, 1, 1, 0])]}
    return [
        ("AND with lr = 1", *gate["AND"], 1.0, 100),
        ("NOR with lr = 0.5", *gate["NOR"], 0.5, 100),
        ("OR with lr = 0.25 and labels as a flat array", gate["OR"][0], gate["OR"][1].ravel(),
         0.25, 100),
        ("XOR with lr = 1 and max_epochs = 7 (it never converges)", *gate["XOR"], 1.0, 7),
        ("NAND with lr = 2", *gate["NAND"], 2.0, 100),
        ("10 samples with 3 inputs, lr = 0.5", X5, y5, 0.5, 100),
    ]


def _as_run(result, exercise, what, n, hint):
    """The student's ``(w, b, mistakes)`` as (array (n,), float, list of ints), or Feedback."""
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        length = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        return None, failed(exercise, f"for {what}: expected the triple (w, b, mistakes), got "
                            f"{type(result).__name__}{length}.", "end with `return w, b, mistakes`.")
    w, b, mistakes = result
    try:
        w = np.asarray(w, dtype=float).reshape(-1)
        b = np.asarray(b, dtype=float).reshape(-1)
        counts = np.asarray(mistakes, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return None, failed(exercise, f"for {what}: w, b and mistakes must be numbers, got "
                            f"{type(w).__name__}, {type(b).__name__} and "
                            f"{type(mistakes).__name__}.", hint)
    if w.shape != (n,) or b.size != 1:
        return None, failed(exercise, f"for {what}: expected w with {n} entries and one number b, "
                            f"got shapes {w.shape} and {b.shape}.",
                            "w = np.zeros(X.shape[1]) and b = 0.0 at the start; return them.")
    if not np.all(np.isfinite(counts)) or np.any(counts != np.round(counts)):
        return None, failed(exercise, f"for {what}: mistakes must be whole numbers, one per epoch, "
                            f"got {show(counts, limit=8)}.", hint)
    return (w, float(b[0]), [int(c) for c in counts]), None


def _counts(mistakes, limit: int = 8) -> str:
    """``[1, 3, 3, 2, 1, 0]``, or the first ``limit`` counts and the number of epochs."""
    if len(mistakes) <= limit:
        return str(list(mistakes))
    return f"[{', '.join(map(str, mistakes[:limit]))}, ...] ({len(mistakes)} epochs)"


def _same_run(a, b):
    return (a[2] == b[2] and a[0].shape == b[0].shape
            and np.allclose(a[0], b[0], rtol=1e-9, atol=1e-12)
            and np.isclose(a[1], b[1], rtol=1e-9, atol=1e-12))


def perceptron_training(fn) -> Feedback:
    """Check ``fn(X, y, lr, max_epochs) -> (w, b, mistakes)``: the whole learning rule.

    From ``w = 0``, ``b = 0``, visit the samples in order, update on every mistake, record the
    mistakes of each epoch, and stop after the first epoch without one (or after
    ``max_epochs``). The reference is :func:`nnlib.perceptron.train_perceptron`.
    """
    exercise = "train_perceptron(X, y, lr, max_epochs)"
    hint = ("start from w = 0 and b = 0; in each epoch visit the rows in order, compute "
            "y_hat = 1 if x @ w + b > 0 else 0, and on a mistake add lr * (y - y_hat) * x to w "
            "and lr * (y - y_hat) to b; append the epoch's number of mistakes and stop after "
            "the first epoch with none.")
    for what, X, y, lr, max_epochs in _training_cases():
        right = _rule(X, y, lr, max_epochs)
        result, problem = call(exercise, fn, X.copy(), y.copy(), lr, max_epochs, hint=hint)
        if problem is not None:
            return problem
        got, problem = _as_run(result, exercise, what, X.shape[1], hint)
        if problem is not None:
            return problem
        if _same_run(got, right):
            continue
        setting = (f"for {what}: expected mistakes per epoch {_counts(right[2])}, w = "
                   f"{show(right[0])}, b = {right[1]:g}; got mistakes {_counts(got[2])}, "
                   f"w = {show(got[0])}, b = {got[1]:g}")
        for slip, message, fix in TRAINING_SLIPS:
            if _same_run(got, _rule(X, y, lr, max_epochs, **slip)):
                return failed(exercise, f"{setting}: {message}.", fix)
        if got[2] and got[2][-1] != 0 and len(got[2]) < max_epochs and right[2][-1] == 0 \
                and got[2] == right[2][:-1]:
            return failed(exercise, f"{setting}: the epoch without a mistake is missing from the "
                          "list.", "record every epoch's count, the final 0 included, before "
                          "you stop.")
        if len(got[2]) != len(right[2]) and right[2][-1] != 0:
            return failed(exercise, f"{setting}: a run that never converges lasts exactly "
                          f"max_epochs = {max_epochs} epochs.", "loop `for epoch in "
                          "range(max_epochs)` and record one count per epoch.")
        if _same_run((got[0], got[1], right[2]), right):
            return failed(exercise, f"{setting}: w and b are right but the counts are not.",
                          "count a mistake only when y_hat != y, and reset the count to 0 at "
                          "the start of each epoch.")
        return failed(exercise, setting + ".", hint)
    return passed(exercise, f"all {len(_training_cases())} runs right: the same mistakes per "
                  "epoch, weights and bias as nn.perceptron.train_perceptron, including a run on "
                  "XOR that never converges.")


# --- Exercise: weights for three-input gates ------------------------------------------------

def three_input_gates(fn) -> Feedback:
    """Check ``fn(name) -> (w, b)`` for the three-input gates and, or, nand, nor, majority."""
    exercise = "three_input_weights(name)"
    hint = ("with equal weights w = (1, 1, 1), w·x counts the inputs that are 1; put the "
            "threshold theta = -b between the largest count that must give 0 and the smallest "
            "count that must give 1 (for AND: between 2 and 3, e.g. b = -2.5).")
    for name, rule in THREE_INPUT_GATES.items():
        result, problem = call(exercise, fn, name, hint=hint)
        if problem is not None:
            return problem
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            return failed(exercise, f"{name!r}: expected a pair (w, b), got "
                          f"{type(result).__name__}: {result!r}", hint)
        w, problem = _array(result[0], exercise, "w, an array of 3 weights", hint)
        if problem is not None:
            return problem
        b, problem = _array(result[1], exercise, "b, a number", hint)
        if problem is not None:
            return problem
        w = w.reshape(-1)
        if w.shape != (3,) or b.size != 1:
            return failed(exercise, f"{name!r}: expected 3 weights and one bias, got w of shape "
                          f"{w.shape} and b of shape {b.shape}.", hint)
        if not (np.all(np.isfinite(w)) and np.isfinite(b).all()):
            return failed(exercise, f"{name!r}: the weights must be finite numbers, got "
                          f"w = {_vec(w)}, b = {b.reshape(-1)[0]}.", hint)
        b = float(b.reshape(-1)[0])
        z = CUBE @ w + b
        expected = rule(CUBE.sum(axis=1)).astype(int)
        got = (z > 0).astype(int)
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            i = wrong[0]
            return failed(
                exercise, f"{name!r} with w = {_vec(w)}, b = {b:g}: for x = {_vec(CUBE[i])} "
                f"the perceptron outputs {got[i]} (w·x + b = {z[i]:.3g}), the gate "
                f"{name.upper()} gives {expected[i]} ({len(wrong)} of 8 rows wrong).", hint,
            )
    return passed(exercise, "all five gates right on all 8 rows of their truth tables.")


# --- Exercise: XNOR from gates --------------------------------------------------------------

class _Recorder:
    """Replace ``nnlib.perceptron.perceptron`` (and the student's own names for it: a global
    such as ``from nnlib.perceptron import perceptron``, or a variable of an enclosing
    function) by a version that records each call's inputs and outputs, for the duration of a
    ``with``."""

    def __init__(self, fn):
        from .. import perceptron as module

        self.module, self.original = module, module.perceptron
        names = getattr(fn, "__globals__", {})
        self.aliases = [k for k, v in names.items() if v is self.original]
        self.namespace = names
        self.cells = [cell for cell in (getattr(fn, "__closure__", None) or ())
                      if _holds(cell, self.original)]   # e.g. P = nn.perceptron.perceptron
        self.calls = []

    def _recorded(self, X, w, b):
        out = self.original(X, w, b)
        self.calls.append((np.asarray(X, dtype=float), np.asarray(out, dtype=float).reshape(-1)))
        return out

    def __enter__(self):
        recorded = observed("nnlib.perceptron.perceptron", self._recorded)
        self.module.perceptron = recorded
        for name in self.aliases:
            self.namespace[name] = recorded
        for cell in self.cells:
            cell.cell_contents = recorded
        return self

    def __exit__(self, *exc):
        self.module.perceptron = self.original
        for name in self.aliases:
            self.namespace[name] = self.original
        for cell in self.cells:
            cell.cell_contents = self.original


def _holds(cell, value) -> bool:
    try:
        return cell.cell_contents is value
    except ValueError:  # an empty cell
        return False


def _columns(A):
    return {tuple(column) for column in np.asarray(A, dtype=float).reshape(len(A), -1).T}


def _through_perceptrons(X, result, calls):
    """None if ``result`` is the output of a perceptron whose inputs are columns of ``X`` or
    outputs of other such perceptrons (followed in the order of the calls); else what is wrong."""
    if not calls:
        return "your function made no call to nn.perceptron.perceptron"
    known = _columns(X)                       # what a perceptron may read: X, and outputs
    outputs = []
    stray = None
    for inputs, out in calls:
        if inputs.ndim == 2 and len(inputs) == len(X) and _columns(inputs) <= known:
            known.add(tuple(out))
            outputs.append(tuple(out))
        elif stray is None:
            stray = inputs
    if tuple(result) in outputs:
        return None
    if stray is not None:
        return ("one of your perceptrons read a column that is neither a column of X nor the "
                f"output of another perceptron (its input was {show(stray, limit=8)}), so the "
                "result was not computed by perceptrons alone")
    return "the result is not the output of any perceptron your function called"


def xnor_network(fn) -> Feedback:
    """Check ``fn(X)``: XNOR of the two columns of ``X`` for every row, ``(m, 1)`` or ``(m,)``,
    computed by perceptrons.

    The check records the calls to ``nn.perceptron.perceptron`` while ``fn`` runs: the result
    must be the output of one of them, and every perceptron must read only columns of ``X`` or
    outputs of other perceptrons. A formula such as ``X[:, 0] == X[:, 1]`` is rejected.
    """
    exercise = "xnor(X)"
    hint = ("XNOR is 1 when both inputs are equal: it is OR(AND(x1, x2), NOR(x1, x2)), or "
            "NOT XOR. Compute the hidden gates with nn.perceptron.perceptron and stack them with "
            "np.hstack before the output perceptron.")
    tables = [
        ("the truth table (rows 00, 01, 10, 11)", CORNERS),
        ("the rows in another order", CORNERS[[3, 1, 0, 2]]),
        ("one row, x = (1, 0)", CORNERS[[2]]),
        ("repeated rows", CORNERS[[0, 0, 3, 1, 2, 2, 1]]),
    ]
    for what, X in tables:
        with _Recorder(fn) as recorder:
            result, problem = call(exercise, fn, X.copy(), hint=hint)
        if problem is not None:
            return problem
        got, problem = _array(result, exercise, f"{len(X)} outputs, one per row", hint)
        if problem is not None:
            return problem
        if got.shape not in ((len(X), 1), (len(X),)):
            return failed(exercise, f"{what}: expected {len(X)} outputs, shape ({len(X)}, 1), "
                          f"got shape {got.shape}.", "one output per row of X." if got.size
                          != len(X) else "return a column of outputs: .reshape(-1, 1).")
        got = got.reshape(-1)
        expected = (X[:, 0] == X[:, 1]).astype(float)
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            i = wrong[0]
            return failed(exercise, f"{what}: for x = {_vec(X[i])} expected XNOR = "
                          f"{expected[i]:g}, got {got[i]:g}.", hint)
        problem = _through_perceptrons(X, got, recorder.calls)
        if problem is not None:
            return failed(exercise, f"{what}: the outputs are right, but {problem}. The exercise "
                          "asks for a network of perceptrons.",
                          "return the output of nn.perceptron.perceptron applied to the hidden "
                          "layer's outputs, which are themselves outputs of "
                          "nn.perceptron.perceptron applied to X.")
    return passed(exercise, "XNOR is right on the truth table, on reordered and repeated rows.")


# --- Exercise: the margin of a line ---------------------------------------------------------

def _margin_cases():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(8, 2))
    w, b = np.array([1.5, -2.0]), 0.4
    y = (X @ w + b > 0).astype(float)
    return [
        ("the hand-set AND gate", CORNERS, np.array([[0.0], [0.0], [0.0], [1.0]]),
         np.array([0.5, 0.5]), -0.7),
        ("AND with w = (2, 2), b = -3", CORNERS, np.array([[0.0], [0.0], [0.0], [1.0]]),
         np.array([2.0, 2.0]), -3.0),
        ("the learned AND line w = (2, 1), b = -2 (a corner on the line)", CORNERS,
         np.array([0.0, 0.0, 0.0, 1.0]), np.array([2.0, 1.0]), -2.0),
        ("AND's weights on OR's labels (two corners wrong)", CORNERS,
         np.array([[0.0], [1.0], [1.0], [1.0]]), np.array([0.5, 0.5]), -0.7),
        ("8 random points that the line separates", X, y.reshape(-1, 1), w, b),
        ("the same points with one label flipped", X, np.where(np.arange(8) == 3, 1 - y, y),
         w, b),
    ]


def _margin(X, y, w, b, signs=True, normalise=True, absolute=False, bias_in_norm=False,
            largest=False, flatten=True):
    y = np.asarray(y, dtype=float)
    y = y.reshape(-1) if flatten else y  # a column y against m sums broadcasts to (m, m)
    z = X @ w + b
    s = 2 * y - 1 if signs else y
    d = np.abs(z) if absolute else s * z
    if normalise:
        d = d / (np.sqrt(w @ w + b * b) if bias_in_norm else np.linalg.norm(w))
    return float(d.max() if largest else d.min())


MARGIN_SLIPS = [
    ({"normalise": False}, "w·x + b is not divided by the length of w",
     "w·x + b is a distance only when w has length 1: divide by np.linalg.norm(w)."),
    ({"signs": False}, "the labels 0/1 are used as signs",
     "turn the labels into signs first, s = 2 * y - 1 (+1 or -1), so that a 0-sample on its "
     "right side counts as positive."),
    ({"absolute": True}, "the distance has no sign",
     "keep the sign: s * (w·x + b) is negative for a sample on the wrong side, and then so is "
     "the margin."),
    ({"bias_in_norm": True}, "the bias is inside the norm",
     "the distance of x from the line is (w·x + b) / ||w||, with the norm of w alone."),
    ({"flatten": False}, "the labels, a column of shape (m, 1), were multiplied with the m "
     "weighted sums and broadcast to an (m, m) table",
     "flatten the labels first: y = np.ravel(y), so that s * (X @ w + b) has one entry per "
     "sample."),
    ({"largest": True}, "this is the distance of the farthest sample",
     "the margin is the smallest signed distance: the closest sample, so use .min()."),
]


def perceptron_margin(fn) -> Feedback:
    """Check ``fn(X, y, w, b)``: the margin of the line, the smallest signed distance
    :math:`\\min_i s^{(i)} (\\mathbf{w}\\cdot\\mathbf{x}^{(i)} + b) / \\lVert\\mathbf{w}\\rVert`
    with :math:`s^{(i)} = 2 y^{(i)} - 1`."""
    exercise = "margin(X, y, w, b)"
    hint = ("s = 2 * y.ravel() - 1 turns labels 0/1 into signs; s * (X @ w + b) / "
            "np.linalg.norm(w) is each sample's signed distance from the line; return its "
            "smallest value as a number.")
    for what, X, y, w, b in _margin_cases():
        right = _margin(X, y, w, b)
        result, problem = call(exercise, fn, X.copy(), y.copy(), w.copy(), b, hint=hint)
        if problem is not None:
            return problem
        got, problem = _array(result, exercise, "one number", hint)
        if problem is not None:
            return problem
        if got.size != 1:
            return failed(exercise, f"for {what}: expected one number (the closest sample's "
                          f"distance), got an array of shape {got.shape}.",
                          "the margin is the smallest of the distances: take .min().")
        got = float(got.reshape(-1)[0]) + 0.0  # no "-0" in the messages
        if np.isclose(got, right, rtol=1e-7, atol=1e-10):
            continue
        setting = (f"for {what} (w = {_vec(w)}, b = {b:g}): expected margin {right:.4g}, "
                   f"got {got:.4g}")
        for slip, message, fix in MARGIN_SLIPS:
            if np.isclose(got, _margin(X, y, w, b, **slip), rtol=1e-7, atol=1e-10):
                return failed(exercise, f"{setting}: {message}.", fix)
        return failed(exercise, setting + ".", hint)
    return passed(exercise, f"all {len(_margin_cases())} margins right: positive when every "
                  "sample is on its side, 0 for a corner on the line, negative for a mistake.")
