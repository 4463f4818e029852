"""Instructor tools: student notebooks, a student edition of the book, grading.

Run ``python -m nnlib.instructor --help``. The instructor guide of the book
(``book/instructor_guide.md``) describes the workflow; in short:

- :mod:`.notebooks` reads a master chapter's exercises and writes its student edition;
- :mod:`.studentbook` builds the book without solutions (and is the Sphinx extension that
  removes gated solutions in that build);
- :mod:`.grading` grades submitted notebooks: :mod:`.runner` executes each one and
  :mod:`.record` collects its answers there, then judges them with the masters' checks in a
  process that never ran student code; results as a long CSV, a gradebook and feedback files;
- :mod:`.collapse` makes solutions and hidden cells open collapsed in Jupyter and Colab.
"""

from .grading import grade, summary, write_csv, write_feedback, write_wide_csv
from .notebooks import exercises, student_notebook, write_student_notebooks

__all__ = ["exercises", "grade", "student_notebook", "summary", "write_csv", "write_feedback",
           "write_student_notebooks", "write_wide_csv"]
