"""The payroll file: approved timesheets as CSV for the person's payroll service, one row a
PA a week (columns documented in docs/pa-employers.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from selfdirect.employers.models import Timesheet

COLUMNS = (
    "employer_reference",
    "employer_name",
    "pa_reference",
    "pa_name",
    "pa_role",
    "week_starting",
    "week_ending",
    "hours",
    "hourly_rate",
    "gross_pay",
    "approved_by",
    "approved_on",
)


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def payroll_rows(sheets: Iterable[Timesheet]) -> Iterator[list[object]]:
    """One row per approved timesheet, in the order given. Money in pounds and pence as
    numbers (``123.45``), hours as a number (``7.5``), dates as YYYY-MM-DD."""
    import datetime as dt

    for sheet in sheets:
        if sheet.status != Timesheet.Status.APPROVED or sheet.approved_at is None:
            continue
        person = sheet.person
        approver = sheet.approved_by
        yield [
            person.la_person_id,
            person.full_name,
            f"PA-{sheet.assistant_id}",
            sheet.assistant.name,
            sheet.assistant.role,
            sheet.week_starting.isoformat(),
            (sheet.week_starting + dt.timedelta(days=6)).isoformat(),
            Decimal(sheet.hours_hundredths) / 100,
            _pounds(sheet.hourly_rate_pence),
            _pounds(sheet.amount_pence),
            (approver.get_full_name() or approver.get_username()) if approver else "",
            sheet.approved_at.date().isoformat(),
        ]
