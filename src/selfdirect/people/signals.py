"""What the people app tells the apps built on it. Assessment builds on people, so people
cannot import it; assessment connects to these signals when it starts (decision 0011)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent while a person's page is built, with ``person`` and ``user``; each receiver returns
# a dict of what it adds to the page (assessment: ``assessments``, those the user may see).
person_page_shown = Signal()
