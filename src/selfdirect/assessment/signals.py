"""What the assessment app tells the apps built on it. Allocation builds on assessment, so
assessment cannot import it; allocation connects to these signals when it starts
(decision 0011)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent while an assessment's page is built, with ``assessment`` and ``user``; each receiver
# returns a dict of what it adds to the page (allocation: ``allocations``).
assessment_page_shown = Signal()

# Sent while a questionnaire version is being published (inside its transaction), with
# ``version`` and ``effective_from``; each receiver returns a refusal text, or "" to allow it
# (allocation: every RAS version in force from that day must price every section).
questionnaire_version_publishing = Signal()
