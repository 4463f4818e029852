"""Explorers: static frames and their HTML (as explorer.js reads it), live widgets, bad input."""

import base64
import io
import itertools
import json
import re
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnlib as nn
from nnlib import widgets

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VOID = {"img", "input", "br", "hr", "meta", "link"}


# --- a small DOM of the explorer's HTML --------------------------------------------------

class Node:
    def __init__(self, tag, attrs):
        self.tag, self.attrs, self.children = tag, dict(attrs), []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag=None, cls=None):
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    found.append(child)
                found.extend(child.find_all(tag, cls))
        return found


class TreeBuilder(HTMLParser):
    """Builds a tree of Nodes and fails on a tag that closes out of order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, attrs))

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed tags"
    (root,) = builder.root.find_all("div", "nn-explorer")
    assert builder.root.children == [root], "the explorer is a single element"
    return root


def spec_of(root: Node) -> dict:
    return json.loads(root.attrs["data-explorer"])


def frames_of(root: Node) -> dict[int, Node]:
    frames = root.find_all("div", "nn-explorer-frame")
    by_number = {int(f.attrs["data-frame"]): f for f in frames}
    assert sorted(by_number) == list(range(len(frames)))
    return by_number


def png_of(frame: Node) -> bytes:
    (img,) = frame.find_all("img")
    prefix = "data:image/png;base64,"
    assert img.attrs["src"].startswith(prefix)
    return base64.b64decode(img.attrs["src"][len(prefix):], validate=True)


# --- plot functions ----------------------------------------------------------------------

def titled(a, b):
    """Title and printed text name the values, so each frame can be traced to its setting."""
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, a])
    ax.set_title(f"a={a} b={b}")
    print(f"drew a={a} b={b}")
    return fig


def ignores_b(a, b):
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, a])
    return ax


def static(plot_fn, **kwargs):
    return widgets.explore(plot_fn, mode="static", **kwargs)


# --- static mode -------------------------------------------------------------------------

GRID = {"a": [1, 2, 3], "b": ["x", "y & <z>"]}


@pytest.fixture(scope="module")
def titled_explorer():
    explorer = static(titled, initial={"a": 2, "b": "y & <z>"}, **GRID)
    plt.close("all")
    return explorer


def test_index_has_one_entry_per_combination(titled_explorer):
    e = titled_explorer
    assert len(e.index) == 3 * 2
    assert len(e.frames) == 6  # every setting draws a different title
    assert set(e.index) == {f"{i},{j}" for i in range(3) for j in range(2)}


def test_three_parameters_multiply():
    e = static(ignores_b, a=[1, 2], b=[0.5, 1.5, 2.5], c=["p", "q"])
    assert len(e.index) == 2 * 3 * 2
    assert set(e.index) == {f"{i},{j},{k}" for i, j, k in itertools.product(range(2), range(3), range(2))}


def test_identical_images_are_deduplicated():
    e = static(ignores_b, a=[1, 2], b=[10, 20, 30])
    assert len(e.index) == 6
    assert len(e.frames) == 2
    assert e.index == {"0,0": 0, "0,1": 0, "0,2": 0, "1,0": 1, "1,1": 1, "1,2": 1}
    assert "2 distinct" in repr(e)
    root = parse(e.html)
    frames = frames_of(root)
    assert len(frames) == 2
    # A shared frame's alt text names only the value its settings share.
    assert [f.find_all("img")[0].attrs["alt"] for f in frames.values()] == [
        "ignores_b (a = 1)", "ignores_b (a = 2)"]


def test_a_plot_that_ignores_every_parameter_gives_one_frame():
    e = static(lambda a: ignores_b(1, 0), a=[1, 2, 3], alt="constant")
    assert len(e.frames) == 1 and set(e.index.values()) == {0}
    (frame,) = frames_of(parse(e.html)).values()
    assert frame.find_all("img")[0].attrs["alt"] == "constant"


def test_controls_one_per_parameter(titled_explorer):
    root = parse(titled_explorer.html)
    (controls,) = root.find_all("div", "nn-explorer-controls")
    labels = controls.find_all("label", "nn-explorer-control")
    assert len(labels) == 2
    (slider,) = root.find_all("input")
    assert slider.attrs["type"] == "range"
    assert slider.attrs["min"] == "0" and slider.attrs["max"] == "2" and slider.attrs["step"] == "1"
    assert slider.attrs["value"] == "1"  # initial a=2 is values[1]
    assert slider.attrs["data-param"] == "a" == slider.attrs["aria-label"]
    # Screen readers announce the parameter's value, not the slider's index.
    assert slider.attrs["aria-valuetext"] == "a = 2"
    (output,) = root.find_all("output")
    assert output.text() == "2"
    (select,) = root.find_all("select")
    assert select.attrs["data-param"] == "b"
    options = select.find_all("option")
    assert [o.attrs["value"] for o in options] == ["0", "1"]
    assert [o.text() for o in options] == ["x", "y & <z>"]
    assert ["selected" in o.attrs for o in options] == [False, True]


def test_numeric_labels_and_initial_default():
    e = static(lambda lr: ignores_b(lr, 0), lr=[0.001, 0.5, 1.0, 10])
    root = parse(e.html)
    (slider,) = root.find_all("input")
    assert slider.attrs["max"] == "3" and slider.attrs["value"] == "0"
    assert spec_of(root)["params"] == [
        {"name": "lr", "kind": "slider", "labels": ["0.001", "0.5", "1", "10"]}]
    assert root.find_all("output")[0].text() == "0.001"
    assert slider.attrs["aria-valuetext"] == "lr = 0.001"


def test_slider_value_text_names_the_setting_as_the_alt_text_does():
    """Each slider's aria-valuetext names its initial value ("a = -0.5"), in the words of
    the shown frame's alt text, which explorer.js also uses when a slider moves."""
    e = static(titled, initial={"a": -0.5}, a=[-1, -0.5, 2.5], b=[0, 1])
    plt.close("all")
    root = parse(e.html)
    assert [s.attrs["aria-valuetext"] for s in root.find_all("input")] == ["a = -0.5", "b = 0"]
    (shown,) = [f for f in frames_of(root).values() if "hidden" not in f.attrs]
    assert shown.find_all("img")[0].attrs["alt"] == "titled (a = -0.5, b = 0)"


def test_spec_index_covers_every_combination(titled_explorer):
    root = parse(titled_explorer.html)
    spec = spec_of(root)
    assert [p["name"] for p in spec["params"]] == ["a", "b"]
    assert [p["kind"] for p in spec["params"]] == ["slider", "dropdown"]
    assert spec["params"][1]["labels"] == ["x", "y & <z>"]
    frames = frames_of(root)
    assert set(spec["index"]) == {f"{i},{j}" for i in range(3) for j in range(2)}
    assert all(v in frames for v in spec["index"].values())
    assert spec["index"] == titled_explorer.index
    # Every control the script looks up by data-param exists.
    for p in spec["params"]:
        assert len([n for n in root.find_all() if n.attrs.get("data-param") == p["name"]]) == 1


def test_only_the_initial_frame_is_shown(titled_explorer):
    root = parse(titled_explorer.html)
    shown = [n for n, f in frames_of(root).items() if "hidden" not in f.attrs]
    assert shown == [spec_of(root)["index"]["1,1"]]


def test_frames_are_pngs_with_alt_text_and_the_right_figure(titled_explorer):
    root = parse(titled_explorer.html)
    spec, frames = spec_of(root), frames_of(root)
    for (i, a), (j, b) in itertools.product(enumerate(GRID["a"]), enumerate(GRID["b"])):
        frame = frames[spec["index"][f"{i},{j}"]]
        png = png_of(frame)
        assert png.startswith(PNG_SIGNATURE)
        assert frame.find_all("img")[0].attrs["alt"] == f"titled (a = {a}, b = {b})"
        (pre,) = frame.find_all("pre", "nn-explorer-text")
        assert pre.text() == f"drew a={a} b={b}\n"
        assert not frame.find_all(cls="nn-explorer-error")
        # The frame is exactly the figure plot_fn draws for these values.
        buffer = io.BytesIO()
        titled(a, b).savefig(buffer, format="png", dpi=80)
        buffer.seek(0)
        np.testing.assert_array_equal(plt.imread(io.BytesIO(png)), plt.imread(buffer))
    decoded = plt.imread(io.BytesIO(png_of(frames[0])), format="png")
    assert decoded.shape[:2] == (120, 160)  # 2 x 1.5 inches at dpi=80


def test_dpi_sets_the_frame_size():
    e = static(ignores_b, a=[1], b=[1], dpi=40)
    decoded = plt.imread(io.BytesIO(png_of(frames_of(parse(e.html))[0])), format="png")
    assert decoded.shape[:2] == (60, 80)


def test_an_exception_gives_an_error_frame_only_there(capsys):
    def flaky(a):
        if a == 2:
            print("about to fail")
            raise ValueError("no good <value>")
        return ignores_b(a, 0)

    e = static(flaky, a=[1, 2, 3])
    assert capsys.readouterr().out == ""  # printed text goes into the frame, not stdout
    root = parse(e.html)
    spec, frames = spec_of(root), frames_of(root)
    bad = frames[spec["index"]["1"]]
    (error,) = bad.find_all("div", "nn-explorer-error")
    assert error.attrs["role"] == "alert"
    assert "a = 2" in error.text()
    assert "ValueError: no good <value>" in error.find_all("code")[0].text()
    assert "in flaky, line" in error.text()
    assert not bad.find_all("img")
    assert bad.find_all("pre")[0].text() == "about to fail\n"
    for key in ("0", "2"):
        good = frames[spec["index"][key]]
        assert png_of(good).startswith(PNG_SIGNATURE)
        assert not good.find_all(cls="nn-explorer-error")


@pytest.mark.parametrize("kind", ["figure", "axes", "list", "tuple", "ndarray", "none", "old_figure"])
def test_what_plot_fn_may_return(kind):
    existing = plt.figure(figsize=(2, 1.5))

    def draw(a):
        if kind == "old_figure":
            existing.clear()
            existing.gca().plot([0, a])
            return existing
        fig, axes = plt.subplots(1, 2, figsize=(2, 1.5))
        axes[0].plot([0, a])
        return {"figure": fig, "axes": axes[1], "list": list(axes), "tuple": tuple(axes),
                "ndarray": axes, "none": None}[kind]

    e = static(draw, a=[1, 2])
    frames = frames_of(parse(e.html))
    assert len(frames) == 2
    for frame in frames.values():
        assert png_of(frame).startswith(PNG_SIGNATURE)
        assert not frame.find_all(cls="nn-explorer-error")
    assert plt.get_fignums() == [existing.number]  # the pre-existing figure stays open


@pytest.mark.parametrize("result", [None, 42, [], "figure"])
def test_drawing_nothing_gives_a_type_error_frame(result):
    e = static(lambda a: result, a=[1, 2])
    root = parse(e.html)
    frames = frames_of(root)
    assert len(frames) == 1  # the same message for both settings
    (error,) = frames[0].find_all("div", "nn-explorer-error")
    assert "TypeError: explore: plot_fn must draw a matplotlib figure" in error.text()
    assert f"got {type(result).__name__}" in error.text()
    assert not frames[0].find_all("img")


def test_figures_are_closed_afterwards():
    keep = plt.figure()
    before = plt.get_fignums()

    def many(a, b):
        plt.figure()  # an extra figure that is neither returned nor drawn on
        fig, ax = plt.subplots(figsize=(2, 1.5))
        ax.plot([a, b])
        if a == 3:
            raise RuntimeError("after drawing")
        return fig

    static(many, a=[1, 2, 3], b=[1, 2])
    assert plt.get_fignums() == before
    assert plt.fignum_exists(keep.number)


def test_output_is_deterministic():
    first = static(titled, **GRID)
    second = static(titled, **GRID)
    assert first.html == second.html
    assert first.index == second.index


def test_payload_time_repr_and_html(titled_explorer):
    e = titled_explorer
    assert e.payload_bytes == len(e.html.encode("utf-8"))
    assert e.precompute_seconds > 0
    assert e._repr_html_() is e.html
    assert re.search(r"a\[3\], b\[2\]: 6 frames \(6 distinct\), \d+\.\d\d MB", repr(e))


def test_distinct_parameter_lists_give_distinct_ids():
    ids = {re.search(r'id="(nn-explorer-[0-9a-f]{10})"', static(ignores_b, a=a, b=[1]).html)[1]
           for a in ([1, 2], [1, 3])}
    assert len(ids) == 2


# --- mode selection and live widgets -------------------------------------------------------

def test_environment_variable_picks_static(monkeypatch):
    monkeypatch.setenv(widgets.MODE_VARIABLE, "static")
    assert isinstance(widgets.explore(ignores_b, a=[1], b=[2]), widgets.Explorer)


@pytest.mark.parametrize("value", [None, "live", "STATIC", ""])
def test_otherwise_live(monkeypatch, value):
    import ipywidgets

    if value is None:
        monkeypatch.delenv(widgets.MODE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(widgets.MODE_VARIABLE, value)
    assert isinstance(widgets.explore(ignores_b, a=[1], b=[2]), ipywidgets.VBox)


def test_mode_argument_overrides_the_environment(monkeypatch):
    import ipywidgets

    monkeypatch.setenv(widgets.MODE_VARIABLE, "static")
    assert isinstance(widgets.explore(ignores_b, a=[1], b=[2], mode="live"), ipywidgets.VBox)
    monkeypatch.delenv(widgets.MODE_VARIABLE)
    assert isinstance(widgets.explore(ignores_b, a=[1], b=[2], mode="static"), widgets.Explorer)


def test_live_controls_and_redraws():
    import ipywidgets

    calls = []

    def record(a, b):
        calls.append((a, b))
        return ignores_b(1, 0)

    before = plt.get_fignums()
    box = widgets.explore(record, a=[0.5, 1, 2.0], b=["x", "y"], initial={"a": 1, "b": "y"},
                          mode="live")
    assert isinstance(box, ipywidgets.VBox)
    row, output = box.children
    assert isinstance(row, ipywidgets.HBox) and isinstance(output, ipywidgets.Output)
    slider, dropdown = row.children
    assert isinstance(slider, ipywidgets.SelectionSlider)
    assert slider.options == (("0.5", 0.5), ("1", 1), ("2", 2.0))
    assert slider.description == "a" and slider.value == 1 and slider.label == "1"
    assert isinstance(dropdown, ipywidgets.Dropdown)
    assert dropdown.options == ("x", "y") and dropdown.value == "y" and dropdown.description == "b"
    assert calls == [(1, "y")]  # drawn once at the start

    slider.value = 2.0
    assert calls[-1] == (2.0, "y")
    dropdown.value = "x"
    assert calls == [(1, "y"), (2.0, "y"), (2.0, "x")]
    assert plt.get_fignums() == before  # each redraw closes its figure


def test_live_redraw_shows_the_same_png_as_the_static_frame(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    widgets.explore(ignores_b, a=[1, 2], b=[0], mode="live", dpi=50)
    png, _, error = widgets._render(ignores_b, {"a": 1, "b": 0}, 50)
    assert error == "" and len(shown) == 1
    assert shown[0].format == "png" and shown[0].data == png
    assert plt.get_fignums() == []


def test_live_exception_is_printed_not_raised(capsys):
    def fails(a):
        if a == 2:
            raise ZeroDivisionError("live boom")
        return ignores_b(a, 0)

    box = widgets.explore(fails, a=[1, 2], mode="live")
    slider = box.children[0].children[0]
    capsys.readouterr()
    slider.value = 2
    out = capsys.readouterr().out
    assert "This setting could not be drawn: ZeroDivisionError: live boom" in out
    nothing = widgets.explore(lambda a: None, a=[1], mode="live")
    assert nothing is not None
    assert "could not be drawn: TypeError: explore: plot_fn must draw" in capsys.readouterr().out
    assert plt.get_fignums() == []


# --- bad input ----------------------------------------------------------------------------

def never_called(**kwargs):  # pragma: no cover - the checks run before any drawing
    raise AssertionError("plot_fn must not be called when the arguments are wrong")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({}, TypeError, "at least one parameter"),
        ({"a": [1], "b": [1], "c": [1], "d": [1]}, ValueError, "at most 3 parameters, got 4: a, b, c, d"),
        ({"a": []}, TypeError, r"a= must be a non-empty list"),
        ({"a": 3}, TypeError, r"a= must be a non-empty list of values, got 3"),
        ({"a": "abc"}, TypeError, r"a= must be a non-empty list"),
        ({"a": {1, 2}}, TypeError, r"a= must be a non-empty list"),
        ({"a": [1, "x"]}, TypeError, r"all numbers \(a slider\) or all strings"),
        ({"a": [True, False]}, TypeError, r"all numbers \(a slider\) or all strings"),
        ({"a": [1, True]}, TypeError, r"all numbers"),
        ({"a": [None]}, TypeError, r"all numbers"),
        ({"a": [1, 2, 1]}, ValueError, r"values of a= repeat"),
        ({"a": [1, 1.0]}, ValueError, r"values of a= repeat"),
        ({"a": ["x", "x"]}, ValueError, r"values of a= repeat"),
        ({"a": [1, 2], "initial": {"c": 1}}, ValueError, r"initial= names \['c'\], which are not parameters \(a\)"),
        ({"a": [1, 2], "initial": {"a": 3}}, ValueError, r"initial a=3 is not one of its values \[1, 2\]"),
        ({"a": ["x"], "initial": {"a": "y"}}, ValueError, r"initial a='y' is not one of its values"),
        ({"a": [1, 2], "initial": [1]}, TypeError, r"initial= must be a dict"),
        ({"a": [1, 2], "mode": "browser"}, ValueError, r"mode must be 'live' or 'static', got 'browser'"),
        ({"a": list(range(15)), "b": list(range(14))}, ValueError, r"210 combinations exceed max_frames=200"),
        ({"a": [1, 2, 3], "b": [1, 2], "max_frames": 5}, ValueError, r"6 combinations exceed max_frames=5"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.explore(never_called, **kwargs)
    assert plt.get_fignums() == []


@pytest.mark.parametrize("plot_fn", [None, "neuron", 3])
def test_plot_fn_must_be_callable(plot_fn):
    with pytest.raises(TypeError, match=r"plot_fn must be a function, got " + type(plot_fn).__name__):
        widgets.explore(plot_fn, a=[1, 2])


def test_max_frames_is_inclusive_and_sequences_other_than_lists_work():
    e = static(lambda a, b: ignores_b(a, b), a=range(3), b=(1.5, 2.5), max_frames=6)
    assert len(e.index) == 6
    assert spec_of(parse(e.html))["params"][0]["labels"] == ["0", "1", "2"]


def test_numpy_numbers_are_numbers():
    values = list(np.array([0.25, 0.5]))
    e = static(lambda a: ignores_b(float(a), 0), a=values, initial={"a": values[1]})
    root = parse(e.html)
    assert root.find_all("input")[0].attrs["value"] == "1"
    assert spec_of(root)["params"][0]["labels"] == ["0.25", "0.5"]


# --- the explorer of the introduction ----------------------------------------------------

def test_intro_explorer(capsys):
    w = [-4, -2, -1, -0.5, 0, 0.5, 1, 2, 4]
    b = [-4, -2, -1, 0, 1, 2, 4]
    e = widgets.explore(nn.plotting.neuron, w=w, b=b, initial={"w": 1, "b": 0}, mode="static")
    assert len(e.index) == 63
    assert len(e.frames) == 63  # each title names its own w and b
    assert e.payload_bytes < 3e6
    root = parse(e.html)
    frames = frames_of(root)
    sliders = root.find_all("input")
    assert [(s.attrs["data-param"], s.attrs["max"], s.attrs["value"]) for s in sliders] == [
        ("w", "8", "6"), ("b", "6", "3")]
    shown = [n for n, f in frames.items() if "hidden" not in f.attrs]
    assert shown == [e.index["6,3"]]
    assert frames[shown[0]].find_all("img")[0].attrs["alt"] == "neuron (w = 1, b = 0)"
    assert all(png_of(f).startswith(PNG_SIGNATURE) for f in frames.values())
    assert not root.find_all(cls="nn-explorer-error") and not root.find_all("pre")
    assert capsys.readouterr().out == ""
    assert plt.get_fignums() == []


def test_numpy_values_become_a_slider():
    explorer = static(titled, a=np.linspace(0.0, 1.0, 3), b=["x", "y"])
    assert explorer.params[0].kind == "slider"
    assert explorer.params[0].values == [0.0, 0.5, 1.0]
    assert len(explorer.index) == 6


def test_initial_true_does_not_match_the_number_one():
    with pytest.raises(ValueError, match="initial a=True is not one of its values"):
        widgets.explore(titled, a=[0, 1], b=["x"], initial={"a": True}, mode="static")


def test_empty_mode_is_rejected_not_ignored():
    with pytest.raises(ValueError, match="mode must be 'live' or 'static'"):
        widgets.explore(titled, a=[0, 1], b=["x"], mode="")
