"""What planning tells the apps built on it. Budgets builds on planning (pool shares and
change notices hang off plans), so planning cannot import budgets; budgets connects to
these signals when it starts (decision 0011)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the approving transaction when an approved plan replaces the version before
# it, with ``plan``, the new version. Budgets moves the person's pool shares to its lines.
plan_superseded = Signal()

# Sent while the plan page is built, with ``plan`` and ``user``; each receiver returns a
# dict of what it adds to the page (budgets: ``pool_shares`` by line id, ``notices``).
plan_page_shown = Signal()

# Sent, inside the change's transaction, before an outcome or a line of a version being
# written is added, changed or removed, with ``plan``; a receiver returns the reason the
# version may not change now, or None (budgets: a notice of reduction is tied to its figures).
plan_change_checked = Signal()

# Sent when a version's cost is worked out, with ``plan`` and ``on`` (a date, or None for the
# version as written); each receiver returns a list of ``HoldingCost`` the budget pays on top
# of the plan's lines (budgets: the fee an organisation charges for holding an ISF or a
# third-party managed account). Decision 0030.
plan_costs_asked = Signal()
