"""``python -m nnlib.instructor``: the instructor's commands (see the instructor guide).

    python -m nnlib.instructor student-notebooks [--out DIR] [--lang ko]
    python -m nnlib.instructor student-book [--out DIR] [--cache DIR] [--no-strict]
    python -m nnlib.instructor grade SUBMISSIONS [--csv FILE] [--wide-csv FILE]
        [--feedback DIR] [--jobs N] [--chapter NAME] [--timeout S] [--max-output BYTES]
    python -m nnlib.instructor collapse [NOTEBOOK ...]
    python -m nnlib.instructor pdf [--student] [--lang ko] [--out FILE] [--site-url URL]
        [--no-build]
    python -m nnlib.instructor build [--no-strict] [--only LANG]
    python -m nnlib.instructor translation {sync,status,check,export,import,mark} [PAGE ...]

Paths default to the repository this package lives in (``--root``): masters in ``book/``,
outputs under ``_build/``.
"""

from __future__ import annotations

import argparse
import os
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
    s.add_argument("--out", type=Path, help="default: ROOT/_build/student-notebooks "
                   "(with --lang ko: ROOT/_build/student-notebooks/ko)")
    s.add_argument("--lang", default="en", help="en (book/) or ko (the Korean edition, "
                   "book/ko/) (default: %(default)s)")
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
                   help="the long table: one row per student and exercise "
                   "(default: %(default)s)")
    s.add_argument("--wide-csv", type=Path, help="the gradebook: one row per student, one "
                   "column per exercise (default: the --csv name with -wide)")
    s.add_argument("--feedback", type=Path, help="folder of one STUDENT.md per student "
                   "(default: feedback/ next to the --csv file)")
    s.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: the number of cores, %(default)s)")
    s.add_argument("--chapter", help="grade every submission against this master (e.g. "
                   "01_perceptron); default: the file name's chapter number, or the only master")
    s.add_argument("--timeout", type=float, default=300,
                   help="seconds per notebook, all cells together (default: %(default)s)")
    s.add_argument("--max-output", type=int, default=2 ** 20,
                   help="bytes of outputs kept per notebook (default: %(default)s)")
    s.add_argument("--masters", type=Path, help="folder of master notebooks (default: ROOT/book; "
                   "Korean submissions: ROOT/book/ko)")
    s = sub.add_parser("collapse", help="collapse solutions and hidden cells in Jupyter and "
                       "Colab (rewrites the notebooks in place)")
    s.add_argument("notebooks", type=Path, nargs="*",
                   help="default: every chapter of ROOT/book")
    s = sub.add_parser("build", help="build the book: English into _build/html/, each "
                       "translation into _build/html/LANG/ (strict: a warning fails it)")
    s.add_argument("--no-strict", action="store_true", help="do not fail on warnings")
    s.add_argument("--only", help="build one edition (en, ko); the translations need the "
                   "English edition built once")
    s = sub.add_parser("translation", help="keep a translated edition (book/ko) in step with "
                       "the English book: sync, status [--diff], check, export/import, mark")
    s.add_argument("action", choices=["sync", "status", "check", "export", "import", "mark"])
    s.add_argument("pages", nargs="*", help="export/import/mark: the page (English or "
                   "translated), then for mark the unit ids; check: pages (default: all)")
    s.add_argument("--lang", default="ko", help="the edition (default: %(default)s)")
    s.add_argument("--file", help="export: write here; import: read from here")
    s.add_argument("--diff", action="store_true", help="status: show each stale unit's "
                   "English change since it was translated (from git history)")
    s = sub.add_parser("pdf", help="print the book (or its student edition) as a PDF")
    s.add_argument("--student", action="store_true",
                   help="the student edition (built first with student-book's defaults)")
    s.add_argument("--out", type=Path, help="default: ROOT/_build/pdf/book.pdf "
                   "(with --student: ROOT/_build/pdf/student-book.pdf; with --lang ko: "
                   "book-ko.pdf, student-book-ko.pdf)")
    s.add_argument("--lang", default="en", help="the edition: en, or ko (the Korean edition) "
                   "(default: %(default)s)")
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
        book, out = root / "book", root / "_build" / "student-notebooks"
        if args.lang != "en":
            book, out = book / args.lang, out / args.lang
        if not book.is_dir():
            print(f"--lang {args.lang}: no edition in {book}", file=sys.stderr)
            return 2
        write_student_notebooks(book, args.out or out)
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
    elif args.command == "build":
        from . import editions

        try:
            editions.build(args.root, strict=not args.no_strict, only=args.only)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0
    elif args.command == "translation":
        from . import translation

        return translation.main(args, args.root)
    elif args.command == "pdf":
        from .printed import build_site, print_book, site_url
        from .printed import WORDS
        if args.lang not in WORDS:
            print(f"--lang {args.lang}: the editions are {', '.join(WORDS)}", file=sys.stderr)
            return 2
        name = ("student-book" if args.student else "book") + \
            ("" if args.lang == "en" else f"-{args.lang}")
        try:
            online = site_url(root, args.site_url)  # before a build, not after it
            if args.no_build:
                site = root / "_build" / ("student-book/_build/html" if args.student else "html")
            else:
                site = build_site(root, args.student)
            print_book(root, site, args.out or root / "_build" / "pdf" / f"{name}.pdf",
                       student=args.student, online=online, lang=args.lang)
        except (RuntimeError, ValueError) as exc:
            print(exc, file=sys.stderr)
            return 1
    else:
        from . import grading
        if not args.submissions.is_dir():
            print(f"not a folder: {args.submissions}", file=sys.stderr)
            return 2
        if args.jobs < 1 or args.timeout <= 0 or args.max_output < 0:
            print(f"--jobs must be at least 1 (got {args.jobs}), --timeout positive (got "
                  f"{args.timeout:g}) and --max-output not negative (got {args.max_output})",
                  file=sys.stderr)
            return 2
        book = args.masters or root / "book"
        masters = grading.masters_by_chapter(book)
        if args.chapter is not None and args.chapter not in masters:
            print(f"--chapter {args.chapter}: no such master in {book} (there are: "
                  f"{', '.join(masters) or 'none'})", file=sys.stderr)
            return 2
        submissions = grading.submissions(args.submissions)
        rows = grading.grade(args.submissions, book, timeout=args.timeout, jobs=args.jobs,
                             chapter=args.chapter, max_output=args.max_output,
                             progress=grading.Progress(len(submissions)))
        wide = args.wide_csv or args.csv.with_name(f"{args.csv.stem}-wide.csv")
        feedback = args.feedback or args.csv.parent / "feedback"
        grading.write_csv(rows, args.csv)
        grading.write_wide_csv(rows, masters, wide)
        written = grading.write_feedback(rows, masters, feedback)
        print(grading.summary(rows))
        print(f"{len(rows)} rows written to {args.csv}, the gradebook to {wide}, "
              f"{len(written)} feedback files to {feedback}/")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
