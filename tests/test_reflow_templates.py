"""Every table on a page sits in a region that scrolls sideways on its own, so the page
reflows at 320 CSS pixels (WCAG 1.4.10, issue 13; docs/accessibility.md). The browser
crawl (tests/browser/test_every_page_axe.py) measures the pages with the test council's
few rows; this check holds for tables that only grow wide with a real council's data.

Letters and PDFs are printed at a fixed page width and are not pages: templates whose
name says "letter" or "pdf" are left out."""

from __future__ import annotations

import re
from pathlib import Path

import selfdirect

SRC = Path(selfdirect.__file__).parent
TABLE = re.compile(r"<table\b")
# The opening of a scrolling region, then (template tags and blank space aside) the table.
WRAPPED = re.compile(
    r'<div class="sd-table-scroll" role="region" aria-label="(?:[^"{]|\{[{%].*?[}%]\})+" '
    r'tabindex="0">\s*(?:\{%[^%]*%\}\s*)*<table\b'
)


def _page_templates() -> list[Path]:
    return [
        path
        for path in sorted(SRC.rglob("templates/**/*.html"))
        if "letter" not in str(path.relative_to(SRC)) and "pdf" not in path.name
    ]


def test_every_table_on_a_page_scrolls_in_its_own_region() -> None:
    bare = []
    for path in _page_templates():
        text = path.read_text()
        tables = len(TABLE.findall(text))
        wrapped = len(WRAPPED.findall(text))
        if tables != wrapped:
            bare.append(f"{path.relative_to(SRC)}: {tables - wrapped} of {tables} table(s)")
    assert not bare, (
        'Put each table in <div class="sd-table-scroll" role="region" '
        'aria-label="…" tabindex="0"> (docs/accessibility.md):\n' + "\n".join(bare)
    )


def test_the_check_finds_a_bare_table() -> None:
    """The pattern is not so loose that it passes a table without its region."""
    assert not WRAPPED.search('<div class="govuk-body"><table class="govuk-table">')
    assert not WRAPPED.search(
        '<div class="sd-table-scroll" role="region" aria-label="" tabindex="0"><table>'
    )
    assert WRAPPED.search(
        '{% if x %}<div class="sd-table-scroll" role="region" '
        'aria-label="Pools on {{ day|date:"j F" }}" '
        'tabindex="0">\n<table class="govuk-table">'
    )
