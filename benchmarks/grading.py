"""Time to grade a class: N submissions of one chapter in parallel against N times one.

    .venv/bin/python benchmarks/grading.py                 # 40 submissions, --jobs = cores
    .venv/bin/python benchmarks/grading.py --count 8 --jobs 2

The submissions are copies of the instructor fixtures' correct chapter-1 notebook
(``tests/fixtures/instructor/submissions/alice.ipynb``), graded against the fixture master
with ``nnlib.instructor.grading.grade``: one kernel per submission, its answers collected and
judged. The script grades one submission alone (the reference), then all ``count`` together,
checks that every exercise of every copy passed, and prints both times side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnlib.instructor import grading  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "instructor"


def timed_class(count: int, jobs: int, folder: Path) -> tuple:
    """Seconds to grade ``count`` copies of the correct submission, and the rows."""
    subs = folder / f"class-{count}"
    subs.mkdir()
    for i in range(count):
        shutil.copy(FIXTURES / "submissions" / "alice.ipynb", subs / f"student{i:03d}.ipynb")
    start = time.perf_counter()
    rows = grading.grade(subs, FIXTURES / "masters", timeout=300, jobs=jobs)
    return time.perf_counter() - start, rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=40, help="submissions (default: %(default)s)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="submissions at once (default: the cores, %(default)s)")
    args = p.parse_args(argv)
    if args.count < 1 or args.jobs < 1:
        p.error(f"--count and --jobs must be at least 1, got {args.count} and {args.jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        one, rows_one = timed_class(1, 1, Path(tmp))
        many, rows = timed_class(args.count, args.jobs, Path(tmp))
    wrong = [r for r in rows_one + rows if not r.passed]
    if wrong or len(rows) != 4 * args.count:
        print(f"grading went wrong: {len(rows)} rows, failures {wrong[:3]}", file=sys.stderr)
        return 1
    reference = args.count * one
    print(f"grading {args.count} submissions of chapter 1 (4 exercises each), "
          f"{os.cpu_count()} cores")
    print(f"{'':34}{'seconds':>9}{'per submission':>16}")
    print(f"{'one submission alone':34}{one:9.1f}{one:16.2f}")
    print(f"{f'{args.count} x one (reference)':34}{reference:9.1f}{one:16.2f}")
    print(f"{f'{args.count} with --jobs {args.jobs}':34}{many:9.1f}{many / args.count:16.2f}")
    print(f"speed-up over {args.count} x one: {reference / many:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
