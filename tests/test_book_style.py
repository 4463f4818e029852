"""The book's prose stays short and pointed (see tests/bookstyle.py for what is counted)."""

import pytest

from bookstyle import MAX_BLOCK_WORDS, MAX_CHAPTER_WORDS, MAX_SUMMARY_WORDS, chapters, measure


@pytest.mark.parametrize("path", chapters(), ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_chapter_prose_is_short(path):
    report = measure(path)
    assert report.words <= MAX_CHAPTER_WORDS, f"{report.words} words of prose"
    assert report.summary_words <= MAX_SUMMARY_WORDS, f"summary of {report.summary_words} words"
    long = [b for b in report.blocks if b.words > MAX_BLOCK_WORDS]
    assert not long, "; ".join(f"{b.words} words in '{b.section}' from '{b.start}'" for b in long)


def test_the_counter_sees_prose_and_skips_math_and_code(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\nOne two three $x^2 + y$ four {term}`learning rate`.\n\n$$\na + b\n$$\n\n"
        "```python\nprint('not prose')\n```\n\n## Summary\n\n- five six\n"
    )
    report = measure(page)
    assert report.summary_words == 2
    assert [b.words for b in report.blocks] == [6, 2]
    assert report.words == 1 + 6 + 1 + 2
