"""A statement with flags waiting for the person's explanation tells the person (and whoever
acts for them), once per statement, with a link to it; a statement with no flags tells
nobody anything."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.monitoring.models import Statement
from selfdirect.notify.models import Message
from tests.budgets.test_holding import _plan
from tests.monitoring.test_services import TODAY, _csv, _d, _upload

pytestmark = pytest.mark.django_db


def test_flags_needing_an_explanation_are_told(client: Any, council: Any) -> None:
    _plan(council)
    job = _upload(
        client,
        council,
        _csv(
            f"{_d(0)},COUNCIL DIRECT PAYMENT,120.00,120.00",
            f"{_d(1)},BOOTS PHARMACY,-6.00,114.00",
            f"{_d(2)},ELECTRONICS WORLD,-60.00,54.00",
        ),
    )
    assert job.status == "done", job.failure_reason
    statement = Statement.objects.get()
    assert statement.flags.count() == 2
    told = {
        m.recipient.username: m
        for m in Message.objects.filter(key=f"statement-{statement.pk}-flags")
    }
    assert set(told) == {"holder", "representative"}
    holder = told["holder"]
    assert holder.kind == Message.Kind.STATEMENT
    assert holder.subject == "A question about your direct payment statement"
    assert told["representative"].subject == "A question about Ada's direct payment statement"
    start, end = statement.period_start, statement.period_end
    assert holder.body == (
        f"We checked the statement from {start:%-d %B %Y} to {end:%-d %B %Y}. 2 items need a "
        "few words from you about what the money was for. This is a normal check: it does "
        "not mean anything is wrong."
    )
    assert holder.link == f"/monitoring/statements/{statement.pk}/"
    assert start == TODAY


def test_a_statement_without_flags_tells_nobody(client: Any, council: Any) -> None:
    _plan(council)
    _upload(client, council, _csv(f"{_d(0)},COUNCIL DIRECT PAYMENT,120.00,120.00"))
    assert not Statement.objects.get().flags.exists()
    assert not Message.objects.filter(kind=Message.Kind.STATEMENT).exists()
