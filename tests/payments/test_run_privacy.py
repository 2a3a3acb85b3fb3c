"""A payment run pays many people in one batch (one database transaction, staged and
posted together: decision 0057), but each payment stays a ledger transaction of its own:
a holder's money page, statement (page and CSV), ledger transactions and whole-record
export show exactly their own payment and nobody else's paid in the same batch."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.ledger import services as ledger
from selfdirect.ledger.selectors import person_transactions
from selfdirect.portal.record_export import person_record
from tests.factories import second_user

pytestmark = pytest.mark.django_db
APRIL = dt.date(2026, 4, 6)
ADA, BEA = 12_345, 67_891  # £123.45 and £678.91 from social care, each with £1.00 of NHS


def _one_batch(council: Any) -> None:
    asc = ledger.funding_account("adult_social_care").pk
    chc = ledger.funding_account("nhs_chc").pk
    made = ledger.budget_payments_post(
        actor=council.users[Role.FINANCE],
        approved_by=second_user(council, Role.FINANCE),
        source_reference="PR-BATCH",
        payments=[
            ledger.BatchPayment(
                budget_account_id=ledger.budget_account(person, "direct_payment").pk,
                period_key="2026-04",
                funding=((asc, pence), (chc, 100)),
                person_id=person.pk,
                effective_date=APRIL,
            )
            for person, pence in ((council.holder_person, ADA), (council.other_person, BEA))
        ],
    )
    assert len(made) == 2


def test_a_holder_sees_only_their_own_payment_from_a_shared_batch(
    client: Any, council: Any
) -> None:
    _one_batch(council)
    ada, bea = council.holder_person, council.other_person
    # The ledger: Ada's transactions are hers alone, and touch no account of Bea's.
    mine = list(person_transactions(ada))
    assert len(mine) == 1
    assert {p.account.person_id for p in mine[0].postings.all()} <= {ada.pk, None}
    assert sum(p.amount_pence for p in mine[0].postings.all() if p.account.person_id) == (ADA + 100)
    client.force_login(council.users[Role.HOLDER])
    query = "start=2026-04-01&end=2026-04-30"
    pages = {
        "money": client.get(f"/your-money/{ada.pk}/").content.decode(),
        "statement": client.get(f"/your-money/{ada.pk}/statement/?{query}").content.decode(),
    }
    response = client.get(f"/your-money/{ada.pk}/statement.csv?{query}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    pages["csv"] = "\n".join(",".join(row) for row in rows)
    pages["export"] = json.dumps(person_record(ada), default=str)
    for name, text in pages.items():
        assert "124.45" in text or "12445" in text, name  # hers
        for theirs in ("678.91", "679.91", "67891", "67991", bea.family_name):
            assert theirs not in text, (name, theirs)
    assert any(row[3] == "124.45" for row in rows[1:-1]), rows
    # Bea's page is refused to Ada (404), whatever the batch shared.
    assert client.get(f"/your-money/{bea.pk}/").status_code == 404
