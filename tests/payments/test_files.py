"""The bank payment files of a paid run: BACS Standard 18 records of 106 characters with
each field where docs/payments.md says, a contra per day for the total, and a CSV with the
same payments; both list only what the run paid."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import override_settings

from selfdirect.payments import files, services
from selfdirect.payments.selectors import lines_paid
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db


def _paid_run(council: Any) -> Any:
    paid_plan(council)
    dp_schedule(council)
    first, second = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    services.run_approve(actor=second, run=run)
    services.run_execute(run_id=run.pk)
    return run


@override_settings(
    SELFDIRECT_BACS_SORT_CODE="401276",
    SELFDIRECT_BACS_ACCOUNT_NUMBER="87654321",
    SELFDIRECT_BACS_USER_NAME="Anytown Council",
)
def test_bacs_standard_18_records_and_fields(council: Any) -> None:
    run = _paid_run(council)
    text = files.bacs_standard18(run, lines_paid(run))
    records = text.split("\r\n")
    assert records[-1] == ""  # every record ends CRLF
    credit, contra = records[:-1]
    assert len(credit) == len(contra) == 106
    person_id = council.holder_person.pk
    # Fields by position (1-based, inclusive) as docs/payments.md lists them.
    assert credit[0:6] == "309430"  # destination sort code
    assert credit[6:14] == "12345678"  # destination account
    assert credit[14] == "0"  # account type
    assert credit[15:17] == "99"  # credit
    assert credit[17:23] == "401276"  # originating sort code
    assert credit[23:31] == "87654321"  # originating account
    assert credit[31:35] == "    "  # free format
    assert credit[35:46] == "00000032150"  # £321.50 in pence, 11 digits
    assert credit[46:64] == "ANYTOWN COUNCIL   "  # originator's name
    assert credit[64:82] == f"SD20260406 {person_id}".ljust(18)  # payment reference
    assert credit[82:100] == "ADA HOLDER        "  # payee
    assert credit[100:106] == " 26096"  # 6 April 2026 is day 96
    assert contra[0:14] == "40127687654321" and contra[15:17] == "17"
    assert contra[35:46] == "00000032150" and contra[64:82] == "CONTRA".ljust(18)


def test_bacs_text_keeps_only_characters_bacs_accepts() -> None:
    assert files.bacs_text("O'Brien & Sons; ltd", 18) == "O BRIEN & SONS  LT"
    assert files.bacs_day(dt.date(2026, 12, 31)) == " 26365"


def test_the_csv_lists_what_the_run_paid(council: Any) -> None:
    run = _paid_run(council)
    rows = list(csv.DictReader(io.StringIO(files.payments_csv(lines_paid(run)))))
    assert rows == [
        {
            "payment_reference": f"SD20260406 {council.holder_person.pk}",
            "payee_name": "Ada Holder",
            "sort_code": "309430",
            "account_number": "12345678",
            "amount_pence": "32150",
            "amount": "321.50",
            "period": "2026-04-06",
            "period_starts_on": "2026-04-06",
            "period_ends_on": "2026-05-03",
            "way_of_holding": "direct_payment",
            "person_id": str(council.holder_person.pk),
            "organisation": "",
        }
    ]


def test_an_unpaid_run_has_empty_files(council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    first, _ = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    assert files.bacs_standard18(run, lines_paid(run)) == ""
    assert files.payments_csv(lines_paid(run)).count("\n") == 1  # the header only
