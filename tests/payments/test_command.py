"""manage.py payment_run: a preview writes nothing; --execute keeps the separation of duties
(two different finance officers) and pays once however often it is run."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from selfdirect.ledger.models import Transaction
from selfdirect.payments import services
from selfdirect.payments.models import PaymentRun
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("payment_run", "--period", "2026-04", "--quiet", *args, stdout=out)
    return out.getvalue()


def test_preview_execute_and_rerun(council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    preview = _run("--frequency", "four_weekly")
    assert "1 payments, £321.50" in preview and "less contribution £15.00 a week" in preview
    assert not PaymentRun.objects.exists()
    with pytest.raises(CommandError) as refused:
        _run("--frequency", "four_weekly", "--execute")
    assert "give --prepared-by and --approved-by" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        _run(
            "--frequency",
            "four_weekly",
            "--execute",
            "--prepared-by",
            first.username,
            "--approved-by",
            first.username,
        )
    assert str(refused.value) == services.SAME_OFFICER
    assert PaymentRun.objects.get().status == PaymentRun.Status.PREPARED  # prepared, not approved
    done = _run("--frequency", "four_weekly", "--execute", "--approved-by", second.username)
    assert "paid 1 budgets, £321.50" in done
    again = _run("--frequency", "four_weekly", "--execute")
    assert "already paid: nothing to do" in again
    assert Transaction.objects.filter(kind="payment").count() == 1


def test_only_finance_officers(council: Any) -> None:
    with pytest.raises(CommandError) as refused:
        _run("--execute", "--prepared-by", "practitioner", "--approved-by", "finance")
    assert str(refused.value) == "practitioner is not a finance officer"
