"""``python -m nnlib.instructor``: the instructor's commands (see the instructor guide).

    python -m nnlib.instructor student-notebooks [--out DIR]
    python -m nnlib.instructor student-book [--out DIR] [--cache DIR] [--no-strict]
    python -m nnlib.instructor grade SUBMISSIONS [--csv FILE] [--timeout S]
    python -m nnlib.instructor pdf [--student] [--out FILE] [--site-url URL] [--no-build]

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
                                description="Student notebooks, student book, grading, "
                                "printed edition.")
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
    s = sub.add_parser("pdf", help="print the book (or its student edition) as a PDF")
    s.add_argument("--student", action="store_true",
                   help="the student edition (built first with student-book's defaults)")
    s.add_argument("--out", type=Path, help="default: ROOT/_build/pdf/book.pdf "
                   "(with --student: ROOT/_build/pdf/student-book.pdf)")
    s.add_argument("--site-url", help="the online book the explorers' captions point to "
                   "(default: html.baseurl of _config.yml, else the GitHub Pages address "
                   "of its repository url)")
    s.add_argument("--no-build", action="store_true",
                   help="print the HTML already built instead of building it first")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    root = args.root.resolve()
    if args.command == "student-notebooks":
        from .notebooks import write_student_notebooks
        write_student_notebooks(root / "book", args.out or root / "_build" / "student-notebooks")
    elif args.command == "student-book":
        from .studentbook import build_student_book
        try:
            build_student_book(root, args.out or root / "_build" / "student-book",
                               cache=args.cache, strict=not args.no_strict)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
    elif args.command == "pdf":
        from .printed import build_site, print_book, site_url
        name = "student-book" if args.student else "book"
        try:
            online = site_url(root, args.site_url)  # before a build, not after it
            if args.no_build:
                site = root / "_build" / ("student-book/_build/html" if args.student else "html")
            else:
                site = build_site(root, args.student)
            print_book(root, site, args.out or root / "_build" / "pdf" / f"{name}.pdf",
                       student=args.student, online=online)
        except (RuntimeError, ValueError) as exc:
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
