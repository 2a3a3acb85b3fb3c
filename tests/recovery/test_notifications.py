"""The person, and whoever acts for them, are told when a recovery letter is sent and when
a recovery decision is made: in their own words, once, with a link to their page."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.notify.models import Message
from selfdirect.recovery import services as S
from tests.recovery.cases import TODAY, with_surplus

pytestmark = pytest.mark.django_db


def _told(key: str) -> dict[str, Message]:
    return {m.recipient.username: m for m in Message.objects.filter(key=key)}


def _letter_sent(council: Any) -> Any:
    agreement = with_surplus(council)
    case = S.recovery_case_open(
        actor=council.finance,
        agreement=agreement,
        source="ledger",
        balance_on=TODAY,
    )
    S.recovery_letter_send(actor=council.finance, case=case, today=TODAY)
    return case


def test_the_letter_is_told_with_the_surplus_and_the_date_to_reply(council: Any) -> None:
    case = _letter_sent(council)
    told = _told(f"recovery-{case.pk}-letter")
    assert set(told) == {"holder", "representative"}
    holder, rep = told["holder"], told["representative"]
    assert holder.kind == Message.Kind.RECOVERY
    assert holder.subject == "Your direct payment account has more money in it than may be kept"
    assert rep.subject == "Ada's direct payment account has more money in it than may be kept"
    # £400.00 in the account, 8 weeks of £30.00 (£240.00) may be kept: £160.00 more.
    assert holder.body.startswith(
        "There is £160.00 more in your direct payment account than may be kept. "
        "Nothing has been taken back. Please tell us why the money is there by "
        f"{case.explain_by:%-d %B %Y}"
    )
    assert "in Ada's direct payment account" in rep.body
    assert holder.link == f"/recovery/yours/{case.pk}/"


@pytest.mark.parametrize(
    ("decision", "amount", "words"),
    [
        ("part", 6_000, "The council has decided to take back £60.00 of the £160.00 in your"),
        ("nothing", None, "The council has decided not to take any money back."),
    ],
)
def test_the_decision_is_told_with_its_reasons(
    council: Any, decision: str, amount: int | None, words: str
) -> None:
    case = _letter_sent(council)
    S.recovery_explanation_record(
        actor=council.users[Role.HOLDER],
        case=case,
        kind="holiday",
        explanation="Saving for {a} week by the sea",
    )
    S.recovery_decide(
        actor=council.finance2,
        case=case,
        decision=decision,
        amount_pence=amount,
        reasons="Part of it is for the {holiday}.",
        today=TODAY,
    )
    told = _told(f"recovery-{case.pk}-decided")
    assert set(told) == {"holder", "representative"}
    holder = told["holder"]
    assert holder.subject == "A decision about the money in your direct payment account"
    assert holder.body.startswith(words)
    # The officer's words are shown as written (braces are not placeholders).
    assert "The reasons: Part of it is for the {holiday}." in holder.body
    appeal = "You can appeal until" in holder.body
    assert appeal == (decision != "nothing")
    assert told["representative"].subject.endswith("in Ada's direct payment account")
