"""Pages that show what apps built on theirs hold (a person's assessments on the person
page, pool shares and notices on the plan page). The lower app sends a signal while it
builds its page; each receiver in a higher app returns a dict of what it adds. So the
lower app never imports the higher (decision 0011)."""

from __future__ import annotations

from typing import Any, cast

from django.dispatch import Signal


def page_additions(signal: Signal, *, sender: type, **named: Any) -> dict[str, Any]:
    """What the receivers of ``signal`` add to a page, merged into one dict."""
    added: dict[str, Any] = {}
    for _receiver, facts in signal.send(sender=sender, **named):
        added.update(cast("dict[str, Any]", facts))  # each receiver returns a dict
    return added
