"""What allocation tells the apps built on it. Planning builds on allocation (plans are
written against a signed-off budget, and it holds the assessed contribution), so
allocation cannot import planning; planning connects to these signals when it starts
(decision 0011)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent while the budget page and its letter are built, with ``allocation`` and ``user``;
# each receiver returns a dict of what it adds (planning: ``figures``, the four budget
# figures today, and ``can_record_contribution``).
allocation_page_shown = Signal()

# Sent after the transaction commits when a recorded decision changes a signed-off personal
# budget (a request to look again upheld or partly upheld), with ``allocation``,
# ``amount_decision`` (the AmountDecision row: before, after, from when) and ``actor``.
# Planning can start the new draft plan version the change implies (plan_revise_for_budget).
budget_amount_changed = Signal()
