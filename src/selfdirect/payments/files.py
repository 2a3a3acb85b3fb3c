"""The bank payment files of a paid run, made from the ledger's record of what the run paid
(so a file made again is the same file): a CSV and the BACS Standard 18 layout, and the
remittance advice for each organisation. Layouts: docs/payments.md."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.conf import settings

from selfdirect.csv_export import csv_text
from selfdirect.payments.models import PaymentLine, PaymentRun

CSV_HEADER = [
    "payment_reference",
    "payee_name",
    "sort_code",
    "account_number",
    "amount_pence",
    "amount",
    "period",
    "period_starts_on",
    "period_ends_on",
    "way_of_holding",
    "person_id",
    "organisation",
]
# Standard 18 transaction codes: 99 a credit to the payee; 17 the contra, debiting the
# council's own account with the file's total.
CREDIT, CONTRA = "99", "17"
RECORD_LENGTH = 106  # 100 characters, then the processing day (" YYDDD")
BACS_CHARACTERS = re.compile(r"[^A-Z0-9.&/\- ]")


def payment_reference(line: PaymentLine) -> str:
    """What the payee's bank statement shows: the period and the person's number."""
    return f"SD{line.period_key.replace('-', '')} {line.person_id}"[:18]


def bacs_text(value: str, width: int) -> str:
    """Upper case, only the characters BACS accepts, cut or padded to ``width``."""
    return BACS_CHARACTERS.sub(" ", value.upper())[:width].ljust(width)


def bacs_day(day: dt.date) -> str:
    """The processing day as BACS writes it: a space, the year's last two digits and the
    day of the year (" 26096" is 6 April 2026)."""
    return f" {day:%y}{day.timetuple().tm_yday:03d}"


def bacs_record(
    *,
    sort_code: str,
    account_number: str,
    code: str,
    amount_pence: int,
    reference: str,
    name: str,
    day: dt.date,
) -> str:
    record = (
        sort_code.rjust(6, "0")[:6]
        + account_number.rjust(8, "0")[:8]
        + "0"
        + code
        + settings.SELFDIRECT_BACS_SORT_CODE.rjust(6, "0")[:6]
        + settings.SELFDIRECT_BACS_ACCOUNT_NUMBER.rjust(8, "0")[:8]
        + "    "
        + f"{amount_pence:011d}"
        + bacs_text(settings.SELFDIRECT_BACS_USER_NAME, 18)
        + bacs_text(reference, 18)
        + bacs_text(name, 18)
        + bacs_day(day)
    )
    assert len(record) == RECORD_LENGTH
    return record


def bacs_standard18(
    run: PaymentRun, lines: Iterable[PaymentLine], day: dt.date | None = None
) -> str:
    """One credit record per payment (on its period's first day, or on ``day``: a payment
    made again), then one contra record per day for that day's total. CRLF line ends."""
    records: list[str] = []
    totals: dict[dt.date, int] = {}
    on = day
    for line in lines:
        day = on or line.period_starts_on
        records.append(
            bacs_record(
                sort_code=line.sort_code,
                account_number=line.account_number,
                code=CREDIT,
                amount_pence=line.amount_pence,
                reference=payment_reference(line),
                name=line.payee_name,
                day=day,
            )
        )
        totals[day] = totals.get(day, 0) + line.amount_pence
    for day, total in sorted(totals.items()):
        records.append(
            bacs_record(
                sort_code=settings.SELFDIRECT_BACS_SORT_CODE,
                account_number=settings.SELFDIRECT_BACS_ACCOUNT_NUMBER,
                code=CONTRA,
                amount_pence=total,
                reference="CONTRA",
                name=settings.SELFDIRECT_BACS_USER_NAME,
                day=day,
            )
        )
    return "".join(r + "\r\n" for r in records)


def payments_csv(lines: Iterable[PaymentLine]) -> str:
    return csv_text(
        CSV_HEADER,
        (
            [
                payment_reference(line),
                line.payee_name,
                line.sort_code,
                line.account_number,
                line.amount_pence,
                f"{line.amount_pence // 100}.{line.amount_pence % 100:02d}",
                line.period_key,
                line.period_starts_on.isoformat(),
                line.period_ends_on.isoformat(),
                line.deployment,
                line.person_id,
                line.organisation.name if line.organisation else "",
            ]
            for line in lines
        ),
    )


def file_name(run: PaymentRun, extension: str) -> str:
    return f"payment-run-{run.period}-{run.frequency.replace('_', '-')}.{extension}"
