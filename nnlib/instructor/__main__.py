"""``python -m nnlib.instructor``: the instructor's commands (see the instructor guide).

    python -m nnlib.instructor student-notebooks [--out DIR]
    python -m nnlib.instructor student-book [--out DIR] [--cache DIR] [--no-strict]
    python -m nnlib.instructor grade SUBMISSIONS [--csv FILE] [--timeout S]
    python -m nnlib.instructor collapse [NOTEBOOK ...]

Paths default to the repository this package lives in (``--root``): masters in ``book/``,
outputs under ``_build/``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m nnlib.instructor",
                                description="Student notebooks, student book, grading.")
    p.add_argument("--root", type=Path, default=ROOT,
                   help="the book's repository (default: %(default)s)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("student-notebooks", help="write the student edition of every chapter")
    s.add_argument("--out", type=Path, help="default: ROOT/_build/student-notebooks")
    s = sub.add_parser("student-book", help="build the book without solutions")
    s.add_argument("--out", type=Path, help="default: ROOT/_build/student-book "
                   "(the site lands in OUT/_build/html)")
    s.add_argument("--cache", type=Path, help="jupyter-cache to reuse "
                   "(default: the main build's, ROOT/_build/.jupyter_cache)")
    s.add_argument("--no-strict", action="store_true", help="do not fail on warnings")
    s = sub.add_parser("grade", help="grade a folder of submitted notebooks")
    s.add_argument("submissions", type=Path,
                   help="a folder of STUDENT.ipynb files or STUDENT/*.ipynb folders")
    s.add_argument("--csv", type=Path, default=Path("grades.csv"),
                   help="where to write the rows (default: %(default)s)")
    s.add_argument("--timeout", type=float, default=300,
                   help="seconds per notebook, all cells together (default: %(default)s)")
    s.add_argument("--masters", type=Path, help="folder of master notebooks (default: ROOT/book)")
    s = sub.add_parser("collapse", help="collapse solutions and hidden cells in Jupyter and "
                       "Colab (rewrites the notebooks in place)")
    s.add_argument("notebooks", type=Path, nargs="*",
                   help="default: every chapter of ROOT/book")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    root = args.root.resolve()
    if args.command == "student-notebooks":
        from .notebooks import write_student_notebooks
        write_student_notebooks(root / "book", args.out or root / "_build" / "student-notebooks")
    elif args.command == "collapse":
        from .collapse import collapse_files
        from .notebooks import master_paths
        try:
            collapse_files(args.notebooks or master_paths(root / "book"))
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    elif args.command == "student-book":
        from .studentbook import build_student_book
        try:
            build_student_book(root, args.out or root / "_build" / "student-book",
                               cache=args.cache, strict=not args.no_strict)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
    else:
        from .grading import grade, summary, write_csv
        if not args.submissions.is_dir():
            print(f"not a folder: {args.submissions}", file=sys.stderr)
            return 2
        rows = grade(args.submissions, args.masters or root / "book", timeout=args.timeout)
        write_csv(rows, args.csv)
        print(summary(rows))
        print(f"{len(rows)} rows written to {args.csv}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
