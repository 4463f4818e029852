"""Collect a student's answers in their kernel; judge them in a process that ran no student code.

A check of :mod:`nnlib.checks` calls the student's functions only through
:func:`nnlib.checks.call` (and hands them callables: arguments such as a spy, or a library
function it observes through :func:`nnlib.checks.observed`). Grading runs every check twice:

- **collect**, in the student's kernel, after their cells: :class:`Collector` is the tape of
  :func:`nnlib.checks.call`. Each call of a student function is recorded as plain data: the
  arguments, the calls the function made to the callables it was given (with their
  arguments), how it changed its arguments, and what it returned or raised. The verdict that
  the check computes there is thrown away.
- **judge**, in the grader's own process: :func:`judge` re-runs the master's check with a
  stand-in (:class:`Proxy`) for every student function, and :class:`Replayer` answers each call
  from the record, but only if the check asks exactly the recorded question (same function,
  same arguments, in the same order). Anything else ends the check with "not recorded".

The record is JSON of tagged plain values (:func:`encode`, :func:`decode`): numbers, strings,
lists, tuples, dicts, numeric numpy arrays as raw bytes, random generators as their state;
anything else becomes a stand-in that has only a type name and a text. Nothing in it is
executed or unpickled, and it holds no verdict: a record the student forged is only a set of
answers, judged like any other. See the threat model in the instructor guide.
"""

from __future__ import annotations

import ast
import base64
import json
import math
import types

import numpy as np

VERSION = 1
MAX_DEPTH = 40
MAX_ITEMS = 100_000  # items of a returned iterator that are kept
MAX_RECORD_BYTES = 64 * 2 ** 20
DECODE_KINDS = set("biufcUSMm")
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class Unrecorded(BaseException):
    """The judge's check asked something the record cannot answer (a BaseException, so that
    :func:`nnlib.checks.call` does not turn it into the student's error)."""


# ---- plain data ------------------------------------------------------------------------------

def _array(x: np.ndarray, depth: int):
    if x.dtype.kind in DECODE_KINDS and x.dtype.fields is None and x.dtype.subdtype is None:
        data = np.ascontiguousarray(x).tobytes()
        return {"$": "nd", "dtype": x.dtype.str, "shape": list(x.shape),
                "data": base64.b64encode(data).decode("ascii")}
    if x.dtype.kind == "O":
        return {"$": "ndo", "shape": list(x.shape),
                "items": [encode(v, depth + 1) for v in x.ravel().tolist()]}
    return _opaque(x)


def _opaque(x):
    try:
        text = repr(x)[:300]
    except Exception:  # a student's __repr__ that raises
        text = f"<{type(x).__name__}>"
    return {"$": "obj", "type": type(x).__name__, "repr": text}


def encode(x, depth: int = 0, callables: str = "fn"):
    """``x`` as JSON-able tagged data. ``callables="cb"`` marks callables as callbacks (the
    arguments of a call), ``"fn"`` keeps their name (a returned function)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"a value nested more than {MAX_DEPTH} levels deep")
    kind = type(x)
    if x is None or kind in (bool, str):
        return x
    if kind is int:
        return x
    if kind is float:
        return x if np.isfinite(x) else {"$": "float", "text": repr(x)}
    if isinstance(x, np.generic):
        return {"$": "np", "value": _array(np.asarray(x), depth)}
    if isinstance(x, np.ndarray):
        return _array(x, depth)
    if isinstance(x, np.random.Generator):
        return {"$": "rng", "name": type(x.bit_generator).__name__,
                "state": encode(x.bit_generator.state, depth + 1)}
    if isinstance(x, tuple):
        return {"$": "tuple", "items": [encode(v, depth + 1, callables) for v in x]}
    if isinstance(x, list):
        return [encode(v, depth + 1, callables) for v in x]
    if isinstance(x, dict):
        return {"$": "dict", "items": [[encode(k, depth + 1), encode(v, depth + 1, callables)]
                                       for k, v in x.items()]}
    if isinstance(x, (set, frozenset)):
        return {"$": kind.__name__ if kind in (set, frozenset) else "set",
                "items": [encode(v, depth + 1) for v in x]}
    if isinstance(x, complex):
        return {"$": "complex", "re": x.real, "im": x.imag}
    if isinstance(x, (types.GeneratorType, map, filter, zip, range)):
        items = []
        for v in x:
            items.append(encode(v, depth + 1))
            if len(items) >= MAX_ITEMS:
                break
        return {"$": "gen", "items": items}
    if callable(x):
        if callables == "cb":
            return {"$": "cb"}
        return {"$": "fn", "name": str(getattr(x, "__name__", type(x).__name__))[:100]}
    return _opaque(x)


_STANDINS: dict = {}


def _standin(type_name: str, text: str):
    """An object that has only a type name and a text: what the judge sees of a value that is
    not plain data."""
    cls = _STANDINS.get(type_name)
    if cls is None:
        cls = _STANDINS[type_name] = type(type_name, (), {
            "__repr__": lambda self: self._text, "__str__": lambda self: self._text})
    obj = cls()
    obj._text = text
    return obj


def _function_standin(name: str):
    def returned(*args, **kwargs):
        raise Unrecorded("the grader cannot run a function that the student's code returned")
    returned.__name__ = returned.__qualname__ = name
    return returned


def decode(x):
    """The value :func:`encode` described; only plain data and inert stand-ins are made."""
    if x is None or type(x) in (bool, int, float, str):
        return x
    if type(x) is list:
        return [decode(v) for v in x]
    if type(x) is not dict:
        raise ValueError(f"not a record value: {type(x).__name__}")
    tag = x.get("$")
    if tag == "nd":
        dtype = np.dtype(str(x["dtype"]))
        if dtype.kind not in DECODE_KINDS or dtype.fields is not None or dtype.hasobject:
            raise ValueError(f"array of dtype {dtype} in a record")
        shape = tuple(int(n) for n in x["shape"])
        data = base64.b64decode(x["data"], validate=True)
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if tag == "ndo":
        shape = tuple(int(n) for n in x["shape"])
        items = [decode(v) for v in x["items"]]
        if min(shape, default=0) < 0 or math.prod(shape) != len(items):
            raise ValueError("object array of the wrong size in a record")
        arr = np.empty(len(items), dtype=object)
        arr[:] = items if items else arr[:]
        return arr.reshape(shape)
    if tag == "np":
        value = decode(x["value"])
        if not isinstance(value, np.ndarray) or value.ndim != 0:
            raise ValueError("numpy scalar that is not 0-d in a record")
        return value[()]
    if tag == "float":
        if x["text"] not in ("nan", "inf", "-inf"):
            raise ValueError(f"float {x['text']!r} in a record")
        return float(x["text"])
    if tag == "complex":
        return complex(float(x["re"]), float(x["im"]))
    if tag == "tuple":
        return tuple(decode(v) for v in x["items"])
    if tag == "dict":
        return {decode(k): decode(v) for k, v in x["items"]}
    if tag in ("set", "frozenset"):
        return (set if tag == "set" else frozenset)(decode(v) for v in x["items"])
    if tag == "gen":
        return (v for v in [decode(v) for v in x["items"]])
    if tag == "rng":
        name = x["name"]
        if name not in BIT_GENERATORS:
            raise ValueError(f"bit generator {name!r} in a record")
        rng = np.random.Generator(getattr(np.random, name)())
        rng.bit_generator.state = decode(x["state"])
        return rng
    if tag == "fn":
        return _function_standin(str(x["name"]))
    if tag == "obj":
        return _standin(str(x["type"]), str(x["repr"]))
    raise ValueError(f"unknown record tag {tag!r}")


def canonical(encoded) -> str:
    return json.dumps(encoded, sort_keys=True)


def _mutable(x) -> bool:
    return isinstance(x, (np.ndarray, list, dict, set, np.random.Generator))


def _restore(target, value) -> None:
    """Make the judge's argument ``target`` what the student's function left it as."""
    if isinstance(target, np.random.Generator) and isinstance(value, np.random.Generator):
        target.bit_generator.state = value.bit_generator.state
    elif isinstance(target, np.ndarray) and isinstance(value, np.ndarray):
        if target.shape == value.shape and target.flags.writeable:
            np.copyto(target, value, casting="unsafe")
    elif isinstance(target, list) and isinstance(value, list):
        target[:] = value
    elif isinstance(target, (dict, set)) and type(value) is type(target):
        target.clear()
        target.update(value)


# ---- the two tapes ---------------------------------------------------------------------------

class Collector:
    """The tape of :func:`nnlib.checks.call` in the student's kernel: records every call."""

    def __init__(self, names: dict):
        self.names = names  # id(student function) -> its name
        self.calls = []
        self.current = None

    def _callback(self, target, fn):
        def logged(*args, **kwargs):
            if self.current is not None:
                self.current["events"].append({
                    "target": target, "args": [encode(a) for a in args],
                    "kwargs": {k: encode(v) for k, v in kwargs.items()}})
            return fn(*args, **kwargs)
        return logged

    def observed(self, name: str, fn):
        return self._callback(["lib", name], fn)

    def invoke(self, fn, args: tuple, kwargs: dict):
        entry = {"fn": self.names.get(id(fn), "?"),
                 "args": [encode(a, callables="cb") for a in args],
                 "kwargs": {k: encode(v, callables="cb") for k, v in kwargs.items()},
                 "events": [], "after": []}
        self.calls.append(entry)
        args = tuple(self._callback(["arg", i], a) if callable(a) else a
                     for i, a in enumerate(args))
        kwargs = {k: self._callback(["kw", k], v) if callable(v) else v
                  for k, v in kwargs.items()}
        self.current = entry
        try:
            result = fn(*args, **kwargs)
            entry["outcome"] = {"returned": encode(result)}
            if isinstance(result, types.GeneratorType):  # encode() consumed it
                result = decode(entry["outcome"]["returned"])
        except NotImplementedError:
            entry["outcome"] = {"not_implemented": True}
            raise
        except Exception as exc:
            entry["outcome"] = {"raised": [type(exc).__name__, _text(exc)]}
            raise
        except BaseException as exc:
            entry["outcome"] = {"stopped": [type(exc).__name__, _text(exc)]}
            raise
        finally:
            self.current = None
            for key, value in list(enumerate(args)) + list(kwargs.items()):
                if _mutable(value):
                    after = encode(value)
                    before = entry["args"][key] if isinstance(key, int) else entry["kwargs"][key]
                    if canonical(after) != canonical(before):
                        entry["after"].append([key, after])
        return result


def _text(exc) -> str:
    try:
        return str(exc)[:2000]
    except Exception:
        return ""


class Proxy:
    """The judge's stand-in for a student function: it answers only through the tape."""

    def __init__(self, name: str):
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        raise Unrecorded(f"the check called {self.__name__} outside nn.checks.call")

    def __repr__(self):
        return f"<function {self.__name__}>"


class Replayer:
    """The tape of :func:`nnlib.checks.call` in the judge: answers each call from the record."""

    def __init__(self, calls: list):
        self.calls = list(calls)
        self.position = 0
        self.library = {}

    def observed(self, name: str, fn):
        self.library[name] = fn
        return fn

    def invoke(self, fn, args: tuple, kwargs: dict):
        if not isinstance(fn, Proxy):
            raise Unrecorded("the check called a function that is not the student's")
        if self.position >= len(self.calls):
            raise Unrecorded(f"call {self.position + 1} of {fn.__name__} is not in the record")
        entry = self.calls[self.position]
        self.position += 1
        asked = ([canonical(encode(a, callables="cb")) for a in args],
                 {k: canonical(encode(v, callables="cb")) for k, v in kwargs.items()})
        given = ([canonical(a) for a in entry.get("args", [])],
                 {k: canonical(v) for k, v in dict(entry.get("kwargs", {})).items()})
        if entry.get("fn") != fn.__name__ or asked != given:
            raise Unrecorded(f"call {self.position} of {fn.__name__}: the record holds a call "
                             f"of {entry.get('fn')!r} with other arguments")
        for event in entry.get("events", []):
            kind, key = event["target"]
            target = {"arg": lambda: args[int(key)], "kw": lambda: kwargs[str(key)],
                      "lib": lambda: self.library[str(key)]}[kind]()
            try:
                target(*[decode(a) for a in event["args"]],
                       **{str(k): decode(v) for k, v in event["kwargs"].items()})
            except Exception:  # the student's function may have caught it
                pass
        for key, value in entry.get("after", []):
            target = args[key] if isinstance(key, int) else kwargs[str(key)]
            _restore(target, decode(value))
        outcome = entry.get("outcome", {})
        if "returned" in outcome:
            return decode(outcome["returned"])
        if "not_implemented" in outcome:
            raise NotImplementedError
        if "raised" in outcome:
            name, text = outcome["raised"]
            raise _exception(name, Exception)(text)
        if "stopped" in outcome:
            name, text = outcome["stopped"]
            raise Unrecorded(f"{name}: {text}" if text else name)
        raise Unrecorded(f"the record of call {self.position} of {fn.__name__} has no outcome "
                         "(the kernel stopped during it)")


_EXCEPTIONS: dict = {}


def _exception(name: str, base):
    """An exception class named like the one the student's function raised."""
    key = (str(name), base)
    if key not in _EXCEPTIONS:
        _EXCEPTIONS[key] = type(str(name), (base,), {})
    return _EXCEPTIONS[key]


# ---- collecting and judging a notebook's exercises -------------------------------------------

def free_names(check: str) -> list:
    """The names a check call reads, other than ``nn``: the student's functions."""
    tree = ast.parse(check, mode="eval")
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id != "nn" and node.id not in found:
            found.append(node.id)
    return found


def _with_tape(tape, run):
    from nnlib import checks

    checks._tape = tape
    try:
        return run()
    finally:
        checks._tape = None


def collect(namespace: dict, exercises: list) -> dict:
    """Run every ``(label, check)`` on the functions of ``namespace`` and record the calls."""
    import nnlib

    record = {"version": VERSION, "exercises": {}}
    for label, check in exercises:
        names, ids = {}, {}
        for name in free_names(check):
            if name not in namespace:
                names[name] = {"kind": "missing"}
                continue
            value = namespace[name]
            if callable(value):
                names[name] = {"kind": "callable", "same_as": ids.get(id(value), name)}
                ids.setdefault(id(value), name)
            else:
                try:
                    names[name] = {"kind": "value", "value": encode(value)}
                except Exception:
                    names[name] = {"kind": "value", "value": _opaque(value)}
        collector = Collector(ids)
        entry = {"names": names, "calls": collector.calls}
        record["exercises"][label] = entry
        try:
            _with_tape(collector, lambda: eval(check, dict(namespace, nn=nnlib)))  # noqa: S307
        except Exception:
            pass  # the judge meets the same error when it runs the check
    return record


def write_record(record: dict, path) -> None:
    text = json.dumps(record)
    if len(text) > MAX_RECORD_BYTES:
        text = json.dumps({"version": VERSION, "too_large": len(text)})
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def read_record(data: bytes) -> dict:
    """The record in ``data`` (bytes from the student's side), or ValueError."""
    if len(data) > MAX_RECORD_BYTES:
        raise ValueError(f"the record has {len(data)} bytes, more than {MAX_RECORD_BYTES}")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"the record is not JSON ({type(exc).__name__})") from None
    if not isinstance(record, dict) or record.get("version") != VERSION:
        raise ValueError("the record has no version this grader reads")
    if "too_large" in record:
        raise ValueError(f"the answers took {record['too_large']} bytes, more than "
                         f"{MAX_RECORD_BYTES}")
    if not isinstance(record.get("exercises"), dict):
        raise ValueError("the record has no exercises")
    return record


def judge_one(check: str, entry) -> tuple:
    """``(feedback, None)`` or ``(None, why the check could not run)`` for one exercise."""
    import nnlib

    namespace, proxies = {"nn": nnlib}, {}
    try:
        names = entry["names"]
        for name in free_names(check):
            info = names[name]
            if info["kind"] == "callable":
                alias = str(info.get("same_as", name))
                namespace[name] = proxies.setdefault(alias, Proxy(alias))
            elif info["kind"] == "value":
                namespace[name] = decode(info["value"])
            elif info["kind"] != "missing":
                raise ValueError(f"unknown kind of name {info['kind']!r}")
        tape = Replayer(entry["calls"])
    except Exception as exc:  # KeyError, ValueError, MemoryError...: a forged or cut record
        return None, f"the record of the student's answers is damaged ({type(exc).__name__})"
    try:
        return _with_tape(tape, lambda: eval(check, namespace)), None  # noqa: S307
    except Unrecorded as exc:
        return None, f"the student's answers were not recorded for it: {exc}"
    except Exception as exc:  # as when the check runs in the notebook, e.g. a missing name
        return None, f"{type(exc).__name__}: {exc}"


def preload_checks() -> None:
    """Import every module of nnlib now, so that the judge runs the code that was on disk
    before any submission ran (a check that imports a module lazily would otherwise read it
    after the students' code had the chance to change the file)."""
    import importlib
    import pkgutil

    import nnlib

    for info in pkgutil.walk_packages(nnlib.__path__, "nnlib."):
        if not info.name.startswith("nnlib.instructor.") or info.name.endswith(".record"):
            importlib.import_module(info.name)
