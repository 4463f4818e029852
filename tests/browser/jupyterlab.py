"""Drive the book's notebooks in a real Jupyter frontend (JupyterLab or Notebook 7) in Chromium.

Shared by ``tests/browser/test_jupyterlab.py`` (every explorer of every chapter works live,
solutions and checks open collapsed) and ``benchmarks/live_explorers.py`` (each explorer's
latency in the browser). Nothing here is specific to pytest.

* :func:`scratch_book` copies the chapters to a scratch folder (the frontend saves and
  checkpoints what it opens; the repository stays untouched).
* :class:`JupyterServer` starts ``jupyter lab`` or ``jupyter notebook`` on a free local port
  with nothing that reaches the network (no news, no update check, no PyPI extension
  listing), with the kernels importing this repository's ``nnlib``, and stops it and its
  kernels.
* :class:`LabPage` loads JupyterLab once in a page and opens the notebooks in it one after
  another; :meth:`NotebookPage.open` opens one in a page of its own (Notebook 7). A
  :class:`NotebookPage` runs all its cells from the Run menu, waits until every code cell
  has run, reports what went wrong (error outputs, "Error displaying widget"; console
  errors are recorded) and which code cells show collapsed.
* :func:`explorer_cells` finds the explorers in a notebook's source;
  :meth:`NotebookPage.explorer` finds one in the page and :meth:`LiveExplorer.move` moves a
  control with the keyboard and waits for the new figure (returning how long it took).
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nnlib.instructor import collapse

# Chromium and the skip rule are the other browser tests' (the benchmark uses them from here).
from .conftest import CHROMIUM, CHROMIUM_ARGS, REPO, browser_problem  # noqa: F401

#: Tags of the code cells that the notebooks show collapsed (exercise solutions, hidden checks).
#: Keyword arguments of ``explore`` that are options, not parameters (controls).
EXPLORE_OPTIONS = {"initial", "mode", "dpi", "max_frames", "alt"}


# --- the notebooks' source ------------------------------------------------------------------


def notebook_dir() -> Path:
    """Where the chapters come from: ``book/``, or ``NNBOOK_NOTEBOOK_DIR`` (used to check
    that the tests catch a defect in a copy of the notebooks)."""
    return Path(os.environ.get("NNBOOK_NOTEBOOK_DIR", REPO / "book")).resolve()


def chapters() -> list[str]:
    """The file names of the chapter notebooks, in order."""
    return sorted(p.name for p in notebook_dir().glob("*.ipynb"))


def scratch_book(dest: Path) -> Path:
    """Copy the chapters (and any data files next to them) into ``dest``; return it."""
    source = notebook_dir()
    dest.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        # Notebooks and data they might read; not the Sphinx-only parts of book/.
        if path.is_file() and path.suffix in (".ipynb", ".csv", ".npz", ".npy", ".json", ".txt"):
            shutil.copy2(path, dest / path.name)
    return dest


def read_cells(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def source_of(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@dataclass
class ExplorerCell:
    """An ``explore(...)`` call in a notebook: its cell and the controls it asks for."""

    cell_index: int  # position among all cells (markdown included), as in the page
    params: dict  # name -> "slider", "dropdown" or "?" (values not written out literally)

    def describe(self) -> str:
        return f"cell {self.cell_index} ({', '.join(self.params)})"


def _kind(node: ast.AST) -> str:
    try:
        values = ast.literal_eval(node)
    except ValueError:
        return "?"  # e.g. list(START), names: the kind is known only when it runs
    if isinstance(values, (list, tuple)) and values and all(isinstance(v, str) for v in values):
        return "dropdown"
    return "slider"


def explorer_cells(path: Path) -> list[ExplorerCell]:
    """Every call of ``explore(...)`` (``nn.widgets.explore``, ``widgets.explore``) in the
    notebook's code cells, with the parameters it passes. A notebook whose code does not
    parse (IPython magics) is read line by line without them."""
    found = []
    for index, cell in enumerate(read_cells(path)):
        if cell["cell_type"] != "code":
            continue
        source = source_of(cell)
        if "explore(" not in source:
            continue
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                         for line in source.splitlines())
        for node in ast.walk(ast.parse(code)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name != "explore":
                continue
            params = {k.arg: _kind(k.value) for k in node.keywords if k.arg not in EXPLORE_OPTIONS}
            found.append(ExplorerCell(index, params))
    return found


def collapsed_cells(path: Path) -> dict[int, str]:
    """The code cells that open collapsed (solutions, hidden checks): position among all
    cells -> the ``# @title`` line they should show (the rule is ``nnlib.instructor.collapse``)."""
    nb = nbformat.read(path, as_version=4)
    titles = {i: collapse.title_of(nb, i) for i in range(len(nb.cells))}
    return {i: t for i, t in titles.items() if t is not None}


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    """``jupyter lab`` (app="lab") or ``jupyter notebook`` (app="notebook") serving ``root``.

    Offline and isolated: no announcements, no update check, the read-only extension manager
    (the default one lists PyPI), its own config, data, runtime, settings and workspace
    folders under ``state`` (so no earlier session's open tabs or settings come back). The
    kernels import this repository's ``nnlib``: ``PYTHONPATH`` is kept (it comes first) and
    the repository is appended. ``NNLIB_EXPLORER_MODE`` is removed: the kernels must show
    live widgets, as for a student, not the book build's static frames.
    """

    def __init__(self, root: Path, state: Path, app: str = "lab", startup_timeout: float = 60):
        if app not in ("lab", "notebook"):
            raise ValueError(f"app must be 'lab' or 'notebook', got {app!r}")
        self.root, self.state, self.app = Path(root), Path(state), app
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}/"
        self.log_path = self.state / f"jupyter-{app}-{self.port}.log"
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict:
        env = dict(os.environ)
        env.pop("NNLIB_EXPLORER_MODE", None)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(REPO)) if p)
        for name in ("config", "data", "runtime"):
            folder = self.state / name
            folder.mkdir(parents=True, exist_ok=True)
            env[f"JUPYTER_{name.upper()}_DIR"] = str(folder)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env.pop("JUPYTER_TOKEN", None)
        return env

    def command(self) -> list[str]:
        cls = "LabApp" if self.app == "lab" else "JupyterNotebookApp"
        module = "jupyterlab" if self.app == "lab" else "notebook"
        command = [
            sys.executable, "-m", module,
            "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--{cls}.user_settings_dir={self.state / 'settings'}",
            f"--{cls}.workspaces_dir={self.state / 'workspaces'}",
            # window.jupyterapp: the only sure sign that a notebook is loaded and its kernel
            # connected (the page shows an empty cell and an "idle" indicator before that).
            f"--{cls}.expose_app_in_browser=True",
        ]
        if self.app == "lab":  # Notebook 7 has none of these (no news, no extension manager)
            command += [
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.extension_manager=readonly",
            ]
        return command

    def start(self) -> "JupyterServer":
        self.state.mkdir(parents=True, exist_ok=True)
        self.write_settings()
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            self.command(), cwd=self.root, env=self.environment(), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,  # its kernels: its own group
        )
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"jupyter {self.app} exited with {self.process.returncode} while starting; "
                    f"the end of its log:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.api("status"), timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"jupyter {self.app} did not answer on {self.base_url} within "
                    f"{self.startup_timeout:.0f} s; the end of its log:\n{self.log_tail()}")
            time.sleep(0.2)

    def api(self, path: str) -> str:
        return f"{self.base_url}api/{path}?token={self.token}"

    def url(self, notebook: str) -> str:
        """The URL that opens ``notebook`` (a path relative to root) in this frontend."""
        if self.app == "lab":  # reset: a fresh workspace, only this notebook open
            return f"{self.base_url}lab/tree/{notebook}?reset&token={self.token}"
        return f"{self.base_url}notebooks/{notebook}?token={self.token}"

    def shutdown_sessions(self, path: str | None = None) -> None:
        """Shut down the session (and kernel) of ``path``, or every session."""
        with urllib.request.urlopen(self.api("sessions"), timeout=10) as response:
            sessions = json.loads(response.read())
        for session in sessions:
            if path is None or session["path"] == path:
                request = urllib.request.Request(self.api(f"sessions/{session['id']}"),
                                                 method="DELETE")
                urllib.request.urlopen(request, timeout=30).close()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 20) -> None:
        """Shut the server down (it shuts its kernels down); kill its process group if it
        does not exit in time."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            request = urllib.request.Request(self.api("shutdown"), method="POST")
            urllib.request.urlopen(request, timeout=5).close()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        # Whatever is left of the group started above (the server, kernels it did not stop).
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def write_settings(self) -> None:
        """User settings of the scratch profile: JupyterLab does not ask (in a toast over the
        notebook) whether to fetch Jupyter news; the answer is no."""
        folder = self.state / "settings" / "@jupyterlab" / "apputils-extension"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))


# --- the page -------------------------------------------------------------------------------

# Text or elements that mean a widget failed in the frontend (ipywidgets 7 and 8, JupyterLab
# and Notebook 7): the error view that replaces a widget that cannot be shown.
WIDGET_ERROR_TEXT = "Error displaying widget"
# Output areas: error outputs and stderr streams share this MIME type in the rendered page.
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'
# What nnlib.widgets._live prints when plot_fn raises for one setting.
DRAW_ERROR_TEXT = "could not be drawn"

PROBLEMS_JS = """([stderr, widgetError, drawError]) => {
  const cells = [...document.querySelectorAll(".jp-Notebook .jp-Cell")];
  const problems = [];
  cells.forEach((cell, index) => {
    for (const out of cell.querySelectorAll(stderr)) {
      problems.push(`cell ${index}: ${out.textContent.trim().slice(0, 1500)}`);
    }
    for (const out of cell.querySelectorAll(".jp-OutputArea-output")) {
      const text = out.textContent;
      if (text.includes(widgetError) || out.querySelector(".jupyter-widgets-error-widget")) {
        problems.push(`cell ${index}: ${text.trim().slice(0, 500)}`);
      } else if (text.includes(drawError)) {
        problems.push(`cell ${index}: ${text.trim().slice(0, 500)}`);
      }
    }
  });
  return problems;
}"""

# The notebook is loaded (all its cells are in the page) and its kernel is connected and
# idle: ready to run. (JupyterLab and Notebook 7 expose their app as window.jupyterapp.)
READY_JS = """([path, cells, needKernel]) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return false;
  const panels = [...app.shell.widgets("main")];
  const panel = panels.find(w => w.context && w.context.path === path);
  if (!panel || !panel.sessionContext || !panel.context.isReady) return false;
  const loaded = panel.node.querySelectorAll(".jp-Notebook .jp-Cell").length === cells;
  if (!needKernel) return loaded;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && panel.sessionContext.isReady && kernel.connectionStatus === "connected"
    && kernel.status === "idle" && loaded;
}"""


@dataclass
class NotebookPage:
    """One notebook open in a Jupyter frontend, with what the page logged while it was open.

    ``NotebookPage.open`` loads the frontend in a new page for the notebook (Notebook 7's
    way, one notebook a page); :meth:`LabPage.open` opens it in a JupyterLab page that is
    already loaded (JupyterLab's way, many notebooks in one page; loading the page is what
    takes time).
    """

    page: object
    server: JupyterServer
    name: str
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    page_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # requests that would leave the machine
    lab: "LabPage | None" = None  # the JupyterLab page it is open in, if shared

    @classmethod
    def open(cls, context, server: JupyterServer, name: str, kernel: bool = True,
             timeout_ms: int = 120_000):
        """Open ``name`` in a new page and wait until its cells are in the page and
        (``kernel=True``) its kernel is connected and idle."""
        page = context.new_page()
        record = cls(page, server, name)
        listen(page, server, lambda: record)
        page.goto(server.url(name), wait_until="domcontentloaded")
        record.wait_until_loaded(kernel, timeout_ms)
        return record

    def wait_until_loaded(self, kernel: bool, timeout_ms: int) -> None:
        cells = len(read_cells(self.server.root / self.name))
        self.page.wait_for_function(READY_JS, arg=[self.name, cells, kernel],
                                    timeout=timeout_ms, polling=200)

    def run_all(self, timeout_s: float = 240) -> float:
        """Run > Run All Cells, from the menu bar; wait until every code cell has run and the
        kernel is idle. Returns the seconds it took. Raises AssertionError with the error
        outputs if a cell fails (Run All stops there), TimeoutError if it never ends."""
        start = time.perf_counter()
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        # Wait in the page (no fixed sleep) until all have run or an error is shown (Run
        # All stops at the first error: no point waiting for the rest), and the kernel idles.
        self.page.wait_for_function(
            """([path, stderr]) => {
              const panel = [...window.jupyterapp.shell.widgets("main")]
                .find(w => w.context && w.context.path === path);
              // From the model: a collapsed cell shows no prompt in the page.
              const done = panel.content.widgets.every(
                cell => cell.model.type !== "code" || cell.model.executionCount !== null);
              const failed = panel.node.querySelector(`.jp-Cell-outputArea ${stderr}`);
              const kernel = panel.sessionContext.session.kernel;
              return (done || failed) && kernel.status === "idle";
            }""",
            arg=[self.name, STDERR], timeout=timeout_s * 1000, polling=250)
        seconds = time.perf_counter() - start
        problems = self.problems()
        if problems:
            raise AssertionError(f"{self.name}: errors in the outputs after Run All Cells:\n"
                                 + "\n".join(problems))
        return seconds

    def problems(self) -> list[str]:
        """Error outputs, stderr, "Error displaying widget" and failed explorer frames."""
        return self.page.evaluate(PROBLEMS_JS, [STDERR, WIDGET_ERROR_TEXT, DRAW_ERROR_TEXT])

    def collapsed_inputs(self) -> list[dict]:
        """For every code cell: its position, whether its input is collapsed (JupyterLab
        replaces the editor with a placeholder) and the placeholder's text."""
        return self.page.evaluate("""() =>
          [...document.querySelectorAll(".jp-Notebook .jp-Cell")].map((cell, index) => {
            if (!cell.classList.contains("jp-CodeCell")) return null;
            const wrapper = cell.querySelector(".jp-Cell-inputWrapper");
            const placeholder = wrapper.querySelector(".jp-InputPlaceholder");
            return {index, collapsed: !!placeholder && !wrapper.querySelector(".jp-InputArea"),
                    text: placeholder ? placeholder.textContent.trim() : null};
          }).filter(c => c !== null)""")

    def cell(self, index: int):
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def explorer(self, spec: ExplorerCell, timeout_ms: int = 30_000) -> "LiveExplorer":
        """The live explorer shown by the cell of ``spec``, once its first figure is in."""
        cell = self.cell(spec.cell_index)
        root = cell.locator(".jp-OutputArea-output .widget-vbox").first
        root.wait_for(state="attached", timeout=timeout_ms)
        root.locator(".widget-output img").first.wait_for(state="attached", timeout=timeout_ms)
        return LiveExplorer(self, spec, root)

    def close(self) -> None:
        """Close the notebook (its page, or its tab in a shared JupyterLab page, without
        saving) and shut its kernel down."""
        if self.lab is None:
            self.page.close()
        else:
            self.page.evaluate("""(path) => {
              const panel = [...window.jupyterapp.shell.widgets("main")]
                .find(w => w.context && w.context.path === path);
              if (panel) panel.dispose();
            }""", self.name)
            self.lab.current = None
        self.server.shutdown_sessions(self.name)


def listen(page, server: JupyterServer, current) -> None:
    """Record the page's console messages, uncaught errors and requests that leave the
    machine into ``current()`` (a NotebookPage or a LabPage)."""
    page.on("console", lambda m: current().console.append((m.type, m.text)))
    page.on("pageerror", lambda e: current().page_errors.append(str(e)))
    page.on("request", lambda r: None if is_local(r.url, server.base_url)
            else current().outside.append(r.url))


@dataclass
class LabPage:
    """JupyterLab loaded once in a page; notebooks are opened in it one after another.

    What the page logs while no notebook is open (loading JupyterLab) is kept here."""

    page: object
    server: JupyterServer
    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    current: NotebookPage | None = None

    @classmethod
    def load(cls, context, server: JupyterServer, timeout_ms: int = 120_000) -> "LabPage":
        if server.app != "lab":
            raise ValueError(f"LabPage needs a JupyterLab server, got {server.app!r}")
        page = context.new_page()
        lab = cls(page, server)
        listen(page, server, lambda: lab.current or lab)
        page.goto(f"{server.base_url}lab?reset&token={server.token}", wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                               " && document.querySelector('.lm-MenuBar')",
                               timeout=timeout_ms, polling=200)
        page.evaluate("() => window.jupyterapp.started")
        return lab

    def open(self, name: str, kernel: bool = True, timeout_ms: int = 120_000) -> NotebookPage:
        """Open ``name`` (File > Open's command) and wait as NotebookPage.open does."""
        if self.current is not None:
            raise RuntimeError(f"close {self.current.name} first")
        self.current = NotebookPage(self.page, self.server, name, lab=self)
        self.page.evaluate("(path) => { window.jupyterapp.commands.execute("
                           "'docmanager:open', {path}); }", name)
        self.current.wait_until_loaded(kernel, timeout_ms)
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
        self.page.close()


def is_local(url: str, base_url: str) -> bool:
    return url.startswith((base_url, "data:", "about:", "blob:" + base_url.rstrip("/"),
                           base_url.replace("http://", "ws://")))


# Sets up, before a key is pressed in an explorer, a promise that resolves when its output
# shows a new image (decoded, ready to paint) or an error, or after timeoutMs: the time from
# the key going down (a capture listener on the explorer) to that moment.
WATCH_JS = """([root, timeoutMs, stderr, drawError]) => {
  const out = root.querySelector(".widget-output");
  const old = new Set(out.querySelectorAll("img"));
  const oldSrc = [...old].map(i => i.src);
  // When the key goes down; a key pressed in an open dropdown list goes to the list, not
  // the page: then the time from just before the press (a few ms early at most).
  const state = {start: null, armed: performance.now()};
  root.addEventListener("keydown", () => { state.start = performance.now(); },
                        {capture: true, once: true});
  window.__nnMove = new Promise(resolve => {
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true; observer.disconnect(); clearTimeout(timer);
      const start = state.start === null ? state.armed : state.start;
      resolve({...result, ms: performance.now() - start,
               oldSrc: oldSrc[0] || null});
    };
    const check = () => {
      const error = out.querySelector(stderr) ||
        [...out.querySelectorAll(".jp-OutputArea-output")]
          .find(o => o.textContent.includes(drawError));
      if (error) { finish({error: error.textContent.trim().slice(0, 1500)}); return; }
      const fresh = [...out.querySelectorAll("img")].find(i => !old.has(i));
      if (fresh) fresh.decode().then(() => finish({src: fresh.src}),
                                    () => finish({error: "the new image does not decode"}));
    };
    const observer = new MutationObserver(check);
    observer.observe(out, {childList: true, subtree: true, attributes: true});
    const timer = setTimeout(() => finish({timeout: true}), timeoutMs);
  });
  return true;
}"""


@dataclass
class Move:
    """What one keyboard move of a control did."""

    control: str  # the parameter's name
    key: str
    before: str  # the value the control showed before and after
    after: str
    ms: float | None = None  # key down -> new image decoded
    changed: bool = False  # the image's data differs from the one before
    error: str | None = None
    timeout: bool = False


@dataclass
class LiveExplorer:
    """A live explorer in the page: ``root`` is its VBox (controls, then the output)."""

    notebook: NotebookPage
    spec: ExplorerCell
    root: object

    def controls(self) -> dict:
        """name -> "slider" or "dropdown" for every control shown (in order)."""
        return dict(self.root.evaluate("""(root) =>
          [...root.querySelectorAll(".widget-slider, .widget-dropdown")].map(c =>
            [c.querySelector(".widget-label").textContent.trim(),
             c.classList.contains("widget-dropdown") ? "dropdown" : "slider"])"""))

    def control_value(self, name: str) -> str:
        return self._control(name).evaluate("""(c) => c.classList.contains("widget-dropdown")
            ? c.querySelector("select").selectedOptions[0].textContent
            : c.querySelector(".widget-readout").textContent""").strip()

    def _control(self, name: str):
        return self.root.locator(".widget-slider, .widget-dropdown").filter(
            has=self.root.page.locator(".widget-label",
                                       has_text=re.compile(f"^{re.escape(name)}$")))

    def move(self, name: str, key: str | None = None, timeout_ms: int = 30_000) -> Move:
        """Move control ``name`` one step with the keyboard and wait for the new figure.

        A slider's handle is focused and gets ArrowRight (ArrowLeft at its last value), or
        ``key`` (e.g. "End"). A dropdown is focused, opened with Space, moved with ArrowDown
        (ArrowUp at its last option) and closed with Enter, which selects. (ArrowDown on a
        closed dropdown would be the shorter way, but JupyterLab takes it for its own
        "select the next cell": jupyter-widgets/ipywidgets#3912.) The time runs from the
        key that sets the value going down to the new image, decoded."""
        page = self.notebook.page
        control = self._control(name)
        if control.count() != 1:
            raise AssertionError(f"{self.where()}: {control.count()} controls named {name!r}")
        slider = "widget-slider" in control.get_attribute("class")
        target = control.locator(".noUi-handle, .ui-slider-handle").first if slider \
            else control.locator("select")
        at_end = target.evaluate("""(e) => e.tagName === "SELECT"
            ? e.selectedIndex === e.options.length - 1
            : e.getAttribute("aria-valuenow") === e.getAttribute("aria-valuemax")""")
        before = self.control_value(name)
        target.scroll_into_view_if_needed()
        target.focus()
        if slider:
            key = key or ("ArrowLeft" if at_end else "ArrowRight")
        else:
            page.keyboard.press("Space")  # opens the list
            page.keyboard.press(key or ("ArrowUp" if at_end else "ArrowDown"))
            key = f"Space, {key or ('ArrowUp' if at_end else 'ArrowDown')}, Enter"
        page.evaluate(WATCH_JS, [self.root.element_handle(), timeout_ms, STDERR, DRAW_ERROR_TEXT])
        page.keyboard.press(key if slider else "Enter")
        result = page.evaluate("() => window.__nnMove")
        return Move(control=name, key=key, before=before, after=self.control_value(name),
                    ms=result.get("ms"),
                    changed=bool(result.get("src")) and result["src"] != result["oldSrc"],
                    error=result.get("error"), timeout=bool(result.get("timeout")))

    def where(self) -> str:
        return f"{self.notebook.name} explorer in {self.spec.describe()}"
