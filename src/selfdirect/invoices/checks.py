"""The automatic checks of an invoice line against the person's plan: pure rules on facts
the service gathers (no database here), each a result stored with the line so finance sees
why an invoice is an exception (docs/invoices.md, "The checks")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from selfdirect.money import pounds

# Ways of holding a provider or organisation invoices for (not a direct payment: the
# person pays their own staff and providers from it).
INVOICED_WAYS = ("isf", "third_party", "managed_account", "council_commissioned")

HELD = "held_by_organisation"
RATE = "rate_within_plan"
UNITS = "units_within_plan"
DUPLICATE = "not_invoiced_before"

HELD_OK = "The line is in {person}'s plan, held by {provider}"
NOT_HELD_WAY = "The line is held as {way} in the period: providers do not invoice for it"
NOT_HELD_BY = "The line is not held by {provider} in the period"
NOT_APPROVED = "The line is not in an approved version of the plan"
RATE_OK = "The rate, {rate}, is within the plan's {plan_rate}"
RATE_ABOVE = "The rate, {rate}, is above the plan's {plan_rate}"
UNITS_OK = "{units} units is within the {allowed} the plan provides in the period"
UNITS_ABOVE = "{units} units is more than the {allowed} the plan provides in the period"
DUPLICATE_OK = "No other invoice covers this line in the period"
DUPLICATE_FOUND = "Invoice {reference} already covers this line from {start} to {end}"


@dataclass(frozen=True)
class LineFacts:
    """What the check needs about one invoice line and the plan line it names."""

    person: str
    provider: str
    approved: bool  # the plan line's version is (or was) approved
    way: str  # the way of holding the line was in at the start of the period
    way_name: str
    held_by_provider: bool  # the line's provider, or the organisation of its ISF/account
    plan_rate_pence: int
    plan_units_hundredths: int  # a week; for a one-off item, in all
    one_off: bool
    units_hundredths: int
    unit_rate_pence: int
    period_start: dt.date
    period_end: dt.date
    # Other invoices (not rejected) on the same plan line whose periods overlap this one.
    overlapping: tuple[tuple[str, dt.date, dt.date], ...] = ()


def units_allowed(facts: LineFacts) -> int:
    """Units (hundredths) the plan line provides in the period: a week's units for each
    day over seven (whole hundredths, rounded down), or a one-off item's number."""
    if facts.one_off:
        return facts.plan_units_hundredths
    days = (facts.period_end - facts.period_start).days + 1
    return facts.plan_units_hundredths * days // 7


def _units(hundredths: int) -> str:
    whole, part = divmod(hundredths, 100)
    return f"{whole}" if part == 0 else f"{whole}.{part:02d}".rstrip("0")


def line_checks(facts: LineFacts) -> list[dict[str, object]]:
    """The four checks, in order, each {"check", "ok", "message"}."""
    results: list[dict[str, object]] = []
    if not facts.approved:
        held = (False, NOT_APPROVED)
    elif facts.way not in INVOICED_WAYS:
        held = (False, NOT_HELD_WAY.format(way=facts.way_name.lower()))
    elif not facts.held_by_provider:
        held = (False, NOT_HELD_BY.format(provider=facts.provider))
    else:
        held = (True, HELD_OK.format(person=facts.person, provider=facts.provider))
    results.append({"check": HELD, "ok": held[0], "message": held[1]})
    rate = {"rate": pounds(facts.unit_rate_pence), "plan_rate": pounds(facts.plan_rate_pence)}
    ok = facts.unit_rate_pence <= facts.plan_rate_pence
    results.append(
        {"check": RATE, "ok": ok, "message": (RATE_OK if ok else RATE_ABOVE).format(**rate)}
    )
    allowed = units_allowed(facts)
    ok = facts.units_hundredths <= allowed
    units = {"units": _units(facts.units_hundredths), "allowed": _units(allowed)}
    results.append(
        {"check": UNITS, "ok": ok, "message": (UNITS_OK if ok else UNITS_ABOVE).format(**units)}
    )
    if facts.overlapping:
        reference, start, end = facts.overlapping[0]
        results.append(
            {
                "check": DUPLICATE,
                "ok": False,
                "message": DUPLICATE_FOUND.format(
                    reference=reference,
                    start=start.strftime("%-d %B %Y"),
                    end=end.strftime("%-d %B %Y"),
                ),
            }
        )
    else:
        results.append({"check": DUPLICATE, "ok": True, "message": DUPLICATE_OK})
    return results
