"""Explorers: one call turns a plotting function of named parameters into an interactive figure.

>>> import nnlib as nn
>>> nn.widgets.explore(nn.plotting.neuron, w=[-2, -1, 0, 1, 2], b=[-1, 0, 1])  # doctest: +SKIP

The same call works in two places:

* **In a live kernel** (Jupyter, Binder, Colab) it shows ipywidgets: a slider for each
  parameter with numeric values, a dropdown for each with string values. Moving one calls
  ``plot_fn`` again.
* **In the built book**, where no kernel runs, every combination of values is drawn while
  the book is built, and a small script shipped with the site (``book/_static/explorer.js``)
  shows the frame that matches the sliders. The book's Sphinx extension sets
  ``NNLIB_EXPLORER_MODE=static`` before notebooks execute; ``mode=`` overrides it.

Budget: the static explorer draws ``len(values_1) x len(values_2) x len(values_3)`` frames.
Keep it within about 10 s of drawing and 3 MB of page: a frame of a 6 x 3.5 inch figure at
the default ``dpi=80`` is about 20-35 kB of PNG and takes 50-100 ms to draw, so up to ~80
frames; a plot function that trains a
network should train for ~0.1 s or less per frame (fewer epochs, a smaller grid, or a cache
of trained models shared by frames). ``Explorer.precompute_seconds`` and
``Explorer.payload_bytes`` report what one explorer cost.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import io
import itertools
import json
import numbers
import os
import time
import traceback

#: Environment variable that switches explorers to precomputed frames (set by the book build).
MODE_VARIABLE = "NNLIB_EXPLORER_MODE"
MAX_PARAMS = 3


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _format(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class Parameter:
    """One control: a name and its values; a slider for numbers, a dropdown for strings."""

    def __init__(self, name: str, values, initial=None):
        if hasattr(values, "tolist") and getattr(values, "ndim", None) == 1:
            values = values.tolist()  # a 1-D numpy array, e.g. np.linspace(...)
        if not isinstance(values, (list, tuple, range)) or len(values) == 0:
            raise TypeError(
                f"explore: {name}= must be a non-empty list of values, got {values!r}"
            )
        values = list(values)
        if all(_is_number(v) for v in values):
            self.kind = "slider"
        elif all(isinstance(v, str) for v in values):
            self.kind = "dropdown"
        else:
            raise TypeError(
                f"explore: the values of {name}= must be all numbers (a slider) or all strings "
                f"(a dropdown), got {values!r}"
            )
        if len(set(values)) != len(values):
            raise ValueError(f"explore: the values of {name}= repeat: {values!r}")
        self.name, self.values = name, values
        if initial is None:
            self.initial = 0
        elif not isinstance(initial, bool) and initial in values:
            self.initial = values.index(initial)
        else:
            raise ValueError(
                f"explore: initial {name}={initial!r} is not one of its values {values!r}"
            )

    @property
    def labels(self) -> list[str]:
        return [_format(v) for v in self.values]


def _parameters(grid: dict, initial) -> list[Parameter]:
    if not grid:
        raise TypeError("explore needs at least one parameter, e.g. explore(f, lr=[0.01, 0.1, 1])")
    if len(grid) > MAX_PARAMS:
        raise ValueError(
            f"explore takes at most {MAX_PARAMS} parameters, got {len(grid)}: {', '.join(grid)}"
        )
    initial = {} if initial is None else initial
    if not isinstance(initial, dict):
        raise TypeError(f"explore: initial= must be a dict of parameter values, got {initial!r}")
    unknown = set(initial) - set(grid)
    if unknown:
        raise ValueError(
            f"explore: initial= names {sorted(unknown)}, which are not parameters ({', '.join(grid)})"
        )
    return [Parameter(name, values, initial.get(name)) for name, values in grid.items()]


def _figure_of(result, before: set):
    """The matplotlib figure that ``plot_fn`` drew: returned, or the Axes' figure, or new."""
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(result, Figure):
        return result
    if isinstance(result, Axes):
        return result.figure
    if isinstance(result, (list, tuple)) and result and isinstance(result[0], Axes):
        return result[0].figure
    new = [n for n in plt.get_fignums() if n not in before]
    if new:
        return plt.figure(new[-1])
    raise TypeError(
        "explore: plot_fn must draw a matplotlib figure and return it (or one of its Axes), "
        f"got {type(result).__name__}"
    )


def _close_new_figures(before: set):
    import matplotlib.pyplot as plt

    for number in plt.get_fignums():
        if number not in before:
            plt.close(number)


def _render(plot_fn, kwargs: dict, dpi: int):
    """Call ``plot_fn(**kwargs)``; return ``(png_bytes or None, printed text, error text)``."""
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            figure = _figure_of(plot_fn(**kwargs), before)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue(), printed.getvalue(), ""
    except Exception as exc:  # one bad grid point must not break the page or the build
        last = traceback.extract_tb(exc.__traceback__)[-1]
        where = f" (in {last.name}, line {last.lineno})"
        return None, printed.getvalue(), f"{type(exc).__name__}: {exc}{where}"
    finally:
        _close_new_figures(before)


class Explorer:
    """The precomputed (static) form: all frames and the controls, as self-contained HTML."""

    def __init__(self, plot_fn, params: list[Parameter], dpi: int = 80, alt: str = ""):
        self.params = params
        self.dpi = dpi
        self.alt = alt or getattr(plot_fn, "__name__", "figure")
        start = time.perf_counter()
        self.index: dict[str, int] = {}  # "i,j,k" -> position in frames
        # Deduplicate on what was drawn (not on the frame HTML, whose alt text names the
        # setting and so differs for every combination).
        seen: dict[tuple, int] = {}  # (png, printed, error) -> position in frames
        drawn: list[tuple] = []  # (png, printed, error, [kwargs of every setting that drew it])
        for combo in itertools.product(*(range(len(p.values)) for p in params)):
            kwargs = {p.name: p.values[i] for p, i in zip(params, combo)}
            result = _render(plot_fn, kwargs, dpi)
            if result not in seen:
                seen[result] = len(drawn)
                drawn.append((*result, []))
            drawn[seen[result]][3].append(kwargs)
            self.index[",".join(map(str, combo))] = seen[result]
        # A shared frame's alt text names only the values its settings have in common;
        # explorer.js rewrites the alt text of the frame shown to name the current setting.
        self.frames: list[str] = [  # unique frame bodies (HTML)
            self._frame_html(png, printed, error, {
                k: v for k, v in settings[0].items() if all(s[k] == v for s in settings)
            })
            for png, printed, error, settings in drawn
        ]
        self.precompute_seconds = time.perf_counter() - start
        self.html = self._page_html()
        self.payload_bytes = len(self.html.encode())

    def _frame_html(self, png, printed, error, kwargs) -> str:
        setting = ", ".join(self._setting_text(k, _format(v)) for k, v in kwargs.items())
        where = f" ({setting})" if setting else ""
        parts = []
        if png is not None:
            data = base64.b64encode(png).decode("ascii")
            alt = html.escape(f"{self.alt}{where}", quote=True)
            parts.append(f'<img src="data:image/png;base64,{data}" alt="{alt}">')
        if printed:
            parts.append(f'<pre class="nn-explorer-text">{html.escape(printed)}</pre>')
        if error:
            parts.append(
                '<div class="nn-explorer-error" role="alert">'
                f"This setting{html.escape(where)} could not be drawn: "
                f"<code>{html.escape(error)}</code></div>"
            )
        return "".join(parts)

    @staticmethod
    def _setting_text(name: str, label: str) -> str:
        """One parameter's setting as the alt texts and the sliders' aria-valuetext name it,
        "lr = 0.1" (explorer.js writes the same text when a control moves)."""
        return f"{name} = {label}"

    def _control_html(self, p: Parameter) -> str:
        label = html.escape(p.name)
        if p.kind == "slider":
            # The range's value is an index; aria-valuetext makes screen readers announce
            # the parameter's value instead ("lr = 0.1"). explorer.js updates it on moves.
            valuetext = html.escape(self._setting_text(p.name, p.labels[p.initial]), quote=True)
            control = (
                f'<input type="range" min="0" max="{len(p.values) - 1}" step="1" '
                f'value="{p.initial}" data-param="{label}" aria-label="{label}" '
                f'aria-valuetext="{valuetext}">'
                f'<output>{html.escape(p.labels[p.initial])}</output>'
            )
        else:
            options = "".join(
                f'<option value="{i}"{" selected" if i == p.initial else ""}>{html.escape(v)}</option>'
                for i, v in enumerate(p.labels)
            )
            control = f'<select data-param="{label}" aria-label="{label}">{options}</select>'
        return f'<label class="nn-explorer-control"><span>{label}</span>{control}</label>'

    def _page_html(self) -> str:
        initial = ",".join(str(p.initial) for p in self.params)
        spec = {
            "params": [{"name": p.name, "kind": p.kind, "labels": p.labels} for p in self.params],
            "index": self.index,
        }
        frames = "".join(
            f'<div class="nn-explorer-frame" data-frame="{i}"'
            f'{"" if i == self.index[initial] else " hidden"}>{body}</div>'
            for i, body in enumerate(self.frames)
        )
        key = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:10]
        data = html.escape(json.dumps(spec), quote=True)
        controls = "".join(self._control_html(p) for p in self.params)
        return (
            f'<div class="nn-explorer" id="nn-explorer-{key}" data-explorer="{data}" '
            f'data-alt="{html.escape(self.alt, quote=True)}">'
            f'<div class="nn-explorer-controls">{controls}</div>'
            f'<div class="nn-explorer-frames">{frames}</div></div>'
        )

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self):
        names = ", ".join(f"{p.name}[{len(p.values)}]" for p in self.params)
        return (
            f"<Explorer {names}: {len(self.index)} frames ({len(self.frames)} distinct), "
            f"{self.payload_bytes / 1e6:.2f} MB>"  # no seconds: re-runs must print the same text
        )


def _live(plot_fn, params: list[Parameter], dpi: int = 80):
    """ipywidgets controls that call ``plot_fn`` again on every change.

    Each redraw is rendered by :func:`_render`, exactly as a static frame: a PNG at ``dpi``
    with fixed margins. (Letting the notebook display the figure would render it again at
    the inline backend's resolution with a tight bounding box, which costs as much as the
    drawing itself and makes a slider answer half as fast.)
    """
    import ipywidgets as w
    from IPython.display import Image, display

    controls = {}
    for p in params:
        if p.kind == "slider":
            controls[p.name] = w.SelectionSlider(
                options=list(zip(p.labels, p.values)), value=p.values[p.initial],
                description=p.name, continuous_update=False,
            )
        else:
            controls[p.name] = w.Dropdown(
                options=p.values, value=p.values[p.initial], description=p.name
            )

    def draw(**kwargs):
        png, printed, error = _render(plot_fn, kwargs, dpi)
        if png is not None:
            display(Image(data=png, format="png"))
        if printed:
            print(printed, end="")
        if error:
            print(f"This setting could not be drawn: {error}")

    output = w.interactive_output(draw, controls)
    return w.VBox([w.HBox(list(controls.values())), output])


def explore(plot_fn, *, initial: dict | None = None, mode: str | None = None, dpi: int = 80,
            max_frames: int = 200, alt: str = "", **grid):
    """An interactive figure from ``plot_fn(**one_value_per_parameter)``.

    Parameters
    ----------
    plot_fn : callable
        Draws a matplotlib figure for one setting of the parameters and returns the figure
        or one of its Axes (the helpers in :mod:`nnlib.plotting` do). What it prints is shown
        under the figure; an exception shows a message in that frame only.
    **grid : list
        One to three parameters, each a list of values: numbers give a slider, strings a
        dropdown. The names ``initial``, ``mode``, ``dpi``, ``max_frames`` and ``alt`` are
        reserved.
    initial : dict, optional
        The value each parameter starts at (default: its first value).
    mode : {"live", "static"}, optional
        Default: ``"static"`` when the environment variable ``NNLIB_EXPLORER_MODE`` is
        ``static`` (the book build sets it), else ``"live"``.
    dpi : int
        Resolution of the frames (precomputed, or drawn on each change when live).
    max_frames : int
        Refuse grids with more combinations than this (see the budget in the module notes).
    alt : str
        Alt text of the figure; each frame adds its parameter values.

    Returns
    -------
    An ipywidgets box (live) or an :class:`Explorer` (static); both display themselves when
    they are the last expression of a cell.
    """
    if not callable(plot_fn):
        raise TypeError(f"explore: plot_fn must be a function, got {type(plot_fn).__name__}")
    params = _parameters(grid, initial)
    if mode is None:
        mode = "static" if os.environ.get(MODE_VARIABLE) == "static" else "live"
    if mode not in ("live", "static"):
        raise ValueError(f"explore: mode must be 'live' or 'static', got {mode!r}")
    frames = 1
    for p in params:
        frames *= len(p.values)
    if frames > max_frames:
        raise ValueError(
            f"explore: {frames} combinations exceed max_frames={max_frames}; "
            "use fewer values per parameter (the static book draws every combination)"
        )
    if mode == "live":
        return _live(plot_fn, params, dpi)
    return Explorer(plot_fn, params, dpi=dpi, alt=alt)
