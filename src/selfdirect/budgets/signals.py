"""Signals budgets sends while building its pages, so apps built on it (payments) add
what they hold without budgets importing them (decision 0011)."""

from django.dispatch import Signal

# Sent for each direct payment agreement shown on the holding page, with ``agreement``;
# each receiver returns a dict of what it adds to that agreement's row (payments: the
# amount and schedule of the payment).
direct_payment_shown = Signal()
