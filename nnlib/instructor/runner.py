"""Execute one submission and collect its answers: ``python -m nnlib.instructor.runner JOB``.

The grader (:mod:`.grading`) starts one such worker per submission, in a process group of its
own that it kills if the worker outlives the notebook's budget. The worker runs the notebook
with nbclient in the scratch directory of the job, with a budget for the whole notebook, a cap
on the outputs it keeps, and a kernel whose IPython and Matplotlib settings live in that
directory (nothing the notebook registers there reaches another submission's kernel). The
appended cell records the student's answers with :func:`.record.collect` into the job's
answer file. The worker then writes ``result.json``: what went wrong, if anything, and the
errors the student's cells raised. It judges nothing.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

COLLECTOR = '''\
def _nnlib_collect():
    """Added by nnlib.instructor: record the student's answers to the master's checks."""
    from nnlib.instructor.record import collect, write_record
    write_record(collect(globals(), EXERCISES), PATH)
_nnlib_collect()
'''
TAG = "nnlib-grader"


class CappedClient(NotebookClient):
    """A NotebookClient that keeps at most ``max_output`` bytes of outputs (errors always)."""

    def __init__(self, nb, max_output: int, **kwargs):
        super().__init__(nb, **kwargs)
        self.max_output, self.kept, self.dropped = max_output, 0, 0

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        if msg["msg_type"] != "error" and self.kept + size > self.max_output:
            self.dropped += size
            return None
        self.kept += min(size, 10_000)
        return super().output(outs, msg, display_id, cell_index)


def collector_cell(exercises: list, path: str):
    source = COLLECTOR.replace("EXERCISES", repr(exercises)).replace("PATH", repr(path))
    return nbformat.v4.new_code_cell(source, metadata={"tags": [TAG]})


def kernel_env(workdir: Path) -> dict:
    env = dict(os.environ, IPYTHONDIR=str(workdir / ".ipython"),
               MPLCONFIGDIR=str(workdir / ".matplotlib"), MPLBACKEND="Agg")
    if os.environ.get("NNLIB_GRADER_THREADS"):  # several kernels share the cores
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = os.environ["NNLIB_GRADER_THREADS"]
    return env


def run_notebook(nb, cwd: Path, timeout: float, max_output: int = 2 ** 20) -> str | None:
    """Execute ``nb`` in ``cwd`` within ``timeout`` seconds in all; None or what went wrong."""
    deadline = time.monotonic() + timeout
    running = {}

    def remaining(cell):  # nbclient asks before each cell: the notebook's budget left
        running["cell"] = cell
        return max(1, math.ceil(deadline - time.monotonic()))

    client = CappedClient(nb, max_output, timeout_func=remaining, allow_errors=True,
                          kernel_name="python3", shutdown_kernel="immediate",
                          resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute(stderr=subprocess.DEVNULL, env=kernel_env(Path(cwd)))
    except CellTimeoutError:
        index = nb.cells.index(running["cell"]) if running.get("cell") in nb.cells else "?"
        return f"timed out after {timeout:g} s (cell {index} was running); not graded"
    except DeadKernelError:
        return "the kernel died (the notebook crashed it); not graded"
    except Exception as exc:  # e.g. the kernel did not start
        return f"could not be run ({type(exc).__name__}: {exc}); not graded"
    return None


def cell_errors(nb) -> list:
    """One message per cell of the executed ``nb`` that raised (the grading cell excluded)."""
    found = []
    for index, cell in enumerate(nb.cells[:-1]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {index} raised {out.get('ename')}: {out.get('evalue')}; "
                             "the cells after it still ran")
    return found


def execute(job: dict) -> dict:
    """Run the job's notebook with the collector cell; the worker's result."""
    nb = nbformat.read(job["notebook"], as_version=4)
    nb.cells = [c for c in nb.cells if TAG not in c.metadata.get("tags", [])]
    nb.cells.append(collector_cell(job["exercises"], job["record"]))
    problem = run_notebook(nb, Path(job["workdir"]), job["timeout"], job["max_output"])
    if problem:
        return {"problem": problem}
    last = [o for o in nb.cells[-1].get("outputs", []) if o.get("output_type") == "error"]
    return {"problem": None, "errors": cell_errors(nb),
            "collector_error": f"{last[0].get('ename')}: {last[0].get('evalue')}"[:500]
            if last else None}


def main(argv=None) -> int:
    path = Path((argv or sys.argv[1:])[0])
    job = json.loads(path.read_text(encoding="utf-8"))
    result = execute(job)
    Path(job["result"]).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
