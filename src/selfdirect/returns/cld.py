"""NHS England Adult Social Care Client Level Data (CLD): the return built from Selfdirect's
own records, one row per event (request, assessment, service, review) with the person's
fields repeated on each row, and a validation report of what could not be coded.

Field names and the person and service code lists follow CLD Release 1 (NHS England, "CLD
Guidance, release 1", February 2023, valid from 1 April 2023) as the domain digest gives them
(shared/domain/standards.md §2); docs/cld.md is the mapping, field by field, and says what
Selfdirect does not record. Decision record 0046.

Nothing here changes a record: ``cld_build`` only reads, and the same records and period
always give the same rows in the same order (so the same bytes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from selfdirect.assessment.models import Assessment, EligibilityDecision
from selfdirect.casework.models import Contact
from selfdirect.csv_export import csv_text
from selfdirect.people import codes
from selfdirect.people.models import Person
from selfdirect.planning.models import LineSwitch, PlanLine, Review, SupportPlan, line_cost_pence
from selfdirect.providers.models import Provider

SPEC_VERSION = "CLD Release 1 (NHS England CLD Guidance, release 1, February 2023)"

# The return's columns, in the order the specification lists them (standards.md §2.2).
COLUMNS: tuple[str, ...] = (
    "LA Code",
    "Reporting Period Start Date",
    "Reporting Period End Date",
    "NHS Number",
    "LA Person Unique Identifier",
    "First Name",
    "Last Name",
    "GP Practice Name",
    "GP Practice Code",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Date of Death",
    "Client Type",
    "Primary Support Reason",
    "Postcode",
    "Accommodation Status",
    "Employment Status",
    "Has Unpaid Carer",
    "Autism Spectrum Disorder (ASD)",
    "Visual Impairment",
    "Hearing Impairment",
    "Dementia",
    "Client Funding Status",
    "Event Type",
    "Event Reference",
    "Event Start Date",
    "Event End Date",
    "Event Description",
    "Event Outcome",
    "Request: Route of Access",
    "Assessment Type",
    "Eligible Needs Identified",
    "Method of Assessment",
    "Total Hrs Caring per week",
    "No. of adults being cared for",
    "Adult 1 Linked Person_ID",
    "Adult 2 Linked Person_ID",
    "Adult 3 Linked Person_ID",
    "Service Type",
    "Service Component",
    "Delivery Mechanism",
    "Provider CQC Location Name",
    "Provider CQC Location ID",
    "Review Reason",
    "Review Outcomes Achieved",
    "Method of Review",
    "Unit Cost",
    "Cost Frequency (Unit Type)",
    "Planned units per week",
)

REPORT_COLUMNS: tuple[str, ...] = ("LA Person Unique Identifier", "Record", "Field", "Reason")

# Event types, and the order events of one person on one day are listed in.
REQUEST, ASSESSMENT, SERVICE, REVIEW = "Request", "Assessment", "Service", "Review"
EVENT_ORDER = {REQUEST: 0, ASSESSMENT: 1, SERVICE: 2, REVIEW: 3}

# Delivery Mechanism (CLD Guidance R1), per service line, from the line's way of holding.
DIRECT_PAYMENT = "Direct Payment"
MANAGED_BUDGET = "CASSR Managed Personal Budget"
COMMISSIONED = "CASSR Commissioned Support"
DELIVERY_MECHANISM = {
    "direct_payment": DIRECT_PAYMENT,
    # Paid to a third party who manages it for the person: still a direct payment (Care Act
    # s.32 payments to a nominated person), not money the council holds.
    "third_party": DIRECT_PAYMENT,
    "managed_account": MANAGED_BUDGET,
    "isf": MANAGED_BUDGET,
    "council_commissioned": COMMISSIONED,
}

# Service Type (R1 capitalisation, as "Long Term Support: Community").
LTS_COMMUNITY = "Long Term Support: Community"
LTS_RESIDENTIAL = "Long Term Support: Residential Care"
LTS_NURSING = "Long Term Support: Nursing Care"
LTS_PRISON = "Long Term Support: Prison"
CARER_DIRECT = "Carer Support: Direct to Carer"

# Cost Frequency (Unit Type) from the plan line's unit.
COST_FREQUENCY = {
    PlanLine.Unit.HOUR: "Hourly",
    PlanLine.Unit.SESSION: "Per session",
    PlanLine.Unit.DAY: "Daily",
    PlanLine.Unit.WEEK: "Weekly",
    PlanLine.Unit.ITEM: "One-off",
}

# Event Outcome, in the form the digest lists them (see docs/cld.md).
OUTCOME_ADVICE = "NFA: Information and advice or signposting"
OUTCOME_TO_ASSESSMENT = "Progress to assessment, review or reassessment"
OUTCOME_TO_PLANNING = "Progress to support planning or services"
OUTCOME_CONTINUES = "Continuation of support or services"
REQUEST_OUTCOME: dict[str, str] = {
    Contact.Decision.ADVICE: OUTCOME_ADVICE,
    Contact.Decision.ASSESS: OUTCOME_TO_ASSESSMENT,
    Contact.Decision.URGENT: OUTCOME_TO_ASSESSMENT,
}

# The funding streams whose lines are council-funded adult social care; lines paid from
# other money (NHS continuing healthcare, Access to Work, Disabled Facilities Grant,
# Supporting People, ILF) are not in the return.
CLD_STREAMS = frozenset({"adult_social_care", "carers_budget"})

CARER_TYPES = frozenset({codes.ClientType.CARER, codes.ClientType.CARER_BY_ASSOCIATION})
IN_FORCE = (SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED)

# Refusals of a period (the management command says these).
PERIOD_FORM = "The period must be two dates as START:END, for example 2025-04-01:2026-03-31"
PERIOD_BAD_DATE = "The period's {which} date {value!r} is not a date like 2025-04-01"
PERIOD_BACKWARDS = "The period ends ({end}) before it starts ({start})"

# Validation report reasons.
NO_LA_CODE = "The council's LA code is not set (SELFDIRECT_CLD_LA_CODE)"
NO_NHS_NUMBER = (
    "Not recorded: NHS England can match this person only by the LA Person Unique Identifier"
)
NO_POSTCODE = "Not recorded for this person"
PRISON_DIRECT_PAYMENT = (
    "Held as a direct payment while the person is in prison: the specification does not allow "
    "Direct Payment for a prison setting"
)
NOT_ELIGIBLE_OUTCOME = (
    "Found not eligible, and Selfdirect does not record what followed (advice, signposting or "
    "no further action), so no outcome can be chosen"
)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


def period_parse(text: str) -> Period:
    """``START:END`` as ISO dates, the start on or before the end; otherwise PeriodError
    naming what is wrong."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(parts):
        raise PeriodError(PERIOD_FORM)
    dates = []
    for which, value in zip(("start", "end"), parts, strict=True):
        try:
            dates.append(dt.date.fromisoformat(value.strip()))
        except ValueError as bad:
            raise PeriodError(PERIOD_BAD_DATE.format(which=which, value=value)) from bad
    start, end = dates
    if end < start:
        raise PeriodError(PERIOD_BACKWARDS.format(start=start.isoformat(), end=end.isoformat()))
    return Period(start, end)


@dataclass
class CldReturn:
    period: Period
    rows: list[dict[str, str]] = field(default_factory=list)
    report: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def person_ids(self) -> list[int]:
        return sorted({int(r["_person_pk"]) for r in self.rows})

    def csv(self) -> str:
        return csv_text(COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in self.rows))

    def report_csv(self) -> str:
        return csv_text(REPORT_COLUMNS, self.report)


def la_code() -> str:
    return str(getattr(settings, "SELFDIRECT_CLD_LA_CODE", "") or "")


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def _hundredths(value: int) -> str:
    """A whole number of hundredths (pence, or units in hundredths) as 0.00, no floats."""
    return f"{value // 100}.{value % 100:02d}"


def _overlaps(start: dt.date, end: dt.date | None, period: Period) -> bool:
    return start <= period.end and (end is None or end >= period.start)


class _Builder:
    def __init__(self, period: Period) -> None:
        self.out = CldReturn(period=period)
        self.period = period
        self.code = la_code()
        self.people_checked: set[int] = set()
        self.moves: dict[int, list[LineSwitch]] = {}

    def problem(self, person: Person | None, record: str, field_name: str, reason: str) -> None:
        self.out.report.append((person.la_person_id if person else "", record, field_name, reason))

    def person_fields(self, person: Person, *, carer: bool) -> dict[str, str]:
        if person.pk not in self.people_checked:
            self.people_checked.add(person.pk)
            label = f"Person {person.la_person_id}"
            if not person.nhs_number:
                self.problem(person, label, "NHS Number", NO_NHS_NUMBER)
            if not person.postcode:
                self.problem(person, label, "Postcode", NO_POSTCODE)
        carer = carer or person.client_type in CARER_TYPES
        return {
            "_person_pk": str(person.pk),
            "LA Code": self.code,
            "Reporting Period Start Date": _iso(self.period.start),
            "Reporting Period End Date": _iso(self.period.end),
            "NHS Number": person.nhs_number or "",
            "LA Person Unique Identifier": person.la_person_id,
            "First Name": person.given_name,
            "Last Name": person.family_name,
            "Gender": person.gender,
            "Ethnicity": person.ethnicity,
            "Date of Birth": _iso(person.date_of_birth),
            "Date of Death": _iso(person.date_of_death),
            # A service user's own carer's assessment (as someone's carer) is a carer's row.
            "Client Type": codes.ClientType.CARER
            if carer and person.client_type == codes.ClientType.SERVICE_USER
            else person.client_type,
            # Carer-related rows always carry "Support to Carer" (CLD spec).
            "Primary Support Reason": codes.PrimarySupportReason.CARER
            if carer
            else person.primary_support_reason,
            "Postcode": person.postcode,
            "Accommodation Status": person.accommodation_status,
            "Employment Status": person.employment_status,
            "Has Unpaid Carer": person.has_unpaid_carer,
            "Autism Spectrum Disorder (ASD)": person.autism,
            "Visual Impairment": person.visual_impairment,
            "Hearing Impairment": person.hearing_impairment,
            "Dementia": person.dementia,
        }

    def add(self, person: Person, event: dict[str, str], *, carer: bool = False) -> None:
        self.out.rows.append({**self.person_fields(person, carer=carer), **event})

    # Requests: contacts received in the period.
    def requests(self) -> None:
        contacts = Contact.objects.filter(
            received_on__gte=self.period.start, received_on__lte=self.period.end
        ).select_related("person")
        for contact in contacts:
            self.add(
                contact.person,
                {
                    "Event Type": REQUEST,
                    "Event Reference": f"REQ-{contact.pk}",
                    "Event Start Date": _iso(contact.received_on),
                    "Event End Date": _iso(_local_day(contact.triaged_at)),
                    "Event Description": contact.get_reason_display(),
                    "Event Outcome": REQUEST_OUTCOME.get(contact.decision, ""),
                },
            )

    # Assessments open at any time in the period.
    def assessments(self) -> None:
        decisions = {
            d.assessment_id: d
            for d in EligibilityDecision.objects.filter(
                assessment__started_at__date__lte=self.period.end
            ).only("assessment_id", "eligible", "decided_on")
        }
        assessments = (
            Assessment.objects.filter(started_at__date__lte=self.period.end)
            .select_related("person", "cared_for", "version__questionnaire")
            .order_by("id")
        )
        for a in assessments:
            start = _local_day(a.started_at)
            assert start is not None
            decision = decisions.get(a.pk)
            end = decision.decided_on if decision else _local_day(a.agreed_at)
            if not _overlaps(start, end, self.period):
                continue
            reference = f"ASM-{a.pk}"
            outcome = ""
            if decision is not None:
                if decision.eligible:
                    outcome = OUTCOME_TO_PLANNING
                else:
                    self.problem(a.person, reference, "Event Outcome", NOT_ELIGIBLE_OUTCOME)
            carer = a.cared_for is not None or a.is_carers
            event = {
                "Event Type": ASSESSMENT,
                "Event Reference": reference,
                "Event Start Date": _iso(start),
                "Event End Date": _iso(end),
                "Event Description": a.version.questionnaire.get_kind_display(),
                "Event Outcome": outcome,
                "Eligible Needs Identified": ""
                if decision is None
                else (codes.YesNoUnknown.YES if decision.eligible else codes.YesNoUnknown.NO),
            }
            if carer and a.cared_for is not None:
                event["No. of adults being cared for"] = "1"
                event["Adult 1 Linked Person_ID"] = a.cared_for.la_person_id
            self.add(a.person, event, carer=carer)

    # Services: lines of approved plan versions in force in the period.
    def services(self) -> None:
        in_force = {"plan__status__in": IN_FORCE, "plan__starts_on__lte": self.period.end}
        plans = list(
            SupportPlan.objects.filter(status__in=IN_FORCE, starts_on__lte=self.period.end)
            .select_related("person")
            .order_by("id")
        )
        by_id = {p.pk: p for p in plans}
        successor_start = {p.previous_id: p.starts_on for p in plans if p.previous_id in by_id}

        def plan_end(plan: SupportPlan) -> dt.date | None:
            if plan.ends_on is not None:
                return plan.ends_on
            follows = successor_start.get(plan.pk)
            return follows - dt.timedelta(days=1) if follows else None

        lines = list(
            PlanLine.objects.filter(**in_force, funding_stream__in=CLD_STREAMS)
            .select_related("provider")
            .order_by("id")
        )
        # Read by join, not by a list of ids, so a large council stays within the
        # database's limit on query parameters.
        self.moves = {}
        for move in (
            LineSwitch.objects.filter(
                **{f"line__{k}": v for k, v in in_force.items()}, undone_at__isnull=True
            )
            .select_related("to_provider")
            .order_by("effective_date", "id")
        ):
            self.moves.setdefault(move.line_id, []).append(move)
        line_by_id = {line.pk: line for line in lines}

        def switches(line: PlanLine) -> list[LineSwitch]:
            return self.moves.get(line.pk, [])

        def held(line: PlanLine, *, after_switches: bool) -> tuple[str, str, int | None]:
            """(kind, way of holding, provider) as the line starts, or after its switches
            (a new version copies a line as it is held then)."""
            deployment, provider_id = line.deployment, line.provider_id
            if after_switches:
                for switch in switches(line):
                    deployment, provider_id = switch.to_deployment, switch.to_provider_id
            return (line.category, deployment, provider_id)

        def carries_on(line: PlanLine) -> PlanLine | None:
            """The line of the previous version this one continues unchanged, if any."""
            earlier = line_by_id.get(line.copied_from_id or 0)
            if earlier is not None and held(earlier, after_switches=True) == held(
                line, after_switches=False
            ):
                return earlier
            return None

        # A line carried unchanged into the next version is one service, not two.
        continued = {earlier.pk for line in lines if (earlier := carries_on(line))}
        for line in lines:
            if line.pk in continued:
                continue
            plan = by_id[line.plan_id]
            chain = [line]
            while (earlier := carries_on(chain[-1])) is not None:
                chain.append(earlier)
            first = chain[-1]
            start, end = by_id[first.plan_id].starts_on, plan_end(plan)
            # A switch of provider or way of holding starts a new service from its date.
            moves = sorted(
                (s for member in chain for s in switches(member)),
                key=lambda s: (s.effective_date, s.pk),
            )
            arrangement = (first.deployment, first.provider)
            reference, seg_start = f"SVC-{line.pk}", start
            for move in moves:
                if end is not None and move.effective_date > end:
                    break
                if move.effective_date > seg_start:
                    seg_end = move.effective_date - dt.timedelta(days=1)
                    if _overlaps(seg_start, seg_end, self.period):
                        self.service(plan.person, line, reference, seg_start, seg_end, arrangement)
                    reference, seg_start = f"SVC-{line.pk}-{move.pk}", move.effective_date
                arrangement = (move.to_deployment, move.to_provider)
            if _overlaps(seg_start, end, self.period):
                self.service(plan.person, line, reference, seg_start, end, arrangement)

    def service(
        self,
        person: Person,
        line: PlanLine,
        reference: str,
        start: dt.date,
        end: dt.date | None,
        arrangement: tuple[str, Provider | None],
    ) -> None:
        deployment, provider = arrangement
        # The latest known cost of a unit (the guidance), after any switch that changed it.
        unit_cost_pence = line.unit_cost_pence
        for switch in self.moves.get(line.pk, []):
            if switch.effective_date <= start and switch.to_unit_cost_pence is not None:
                unit_cost_pence = switch.to_unit_cost_pence
        carer = person.client_type in CARER_TYPES
        accommodation = person.accommodation_status
        if carer:
            service_type = CARER_DIRECT
        elif accommodation == codes.AccommodationStatus.NURSING_HOME:
            service_type = LTS_NURSING
        elif accommodation == codes.AccommodationStatus.CARE_HOME:
            service_type = LTS_RESIDENTIAL
        elif accommodation == codes.AccommodationStatus.PRISON:
            service_type = LTS_PRISON
        else:
            service_type = LTS_COMMUNITY
        mechanism = DELIVERY_MECHANISM.get(deployment, "")
        if service_type == LTS_PRISON and mechanism == DIRECT_PAYMENT:
            self.problem(person, reference, "Delivery Mechanism", PRISON_DIRECT_PAYMENT)
            mechanism = ""
        if line.is_one_off:
            unit_cost = _hundredths(line_cost_pence(unit_cost_pence, line.quantity_hundredths))
            units = ""
        else:
            unit_cost = _hundredths(unit_cost_pence)
            units = _hundredths(line.quantity_hundredths)
        self.add(
            person,
            {
                "Event Type": SERVICE,
                "Event Reference": reference,
                "Event Start Date": _iso(start),
                "Event End Date": _iso(end),
                "Event Description": line.description,
                "Service Type": service_type,
                "Delivery Mechanism": mechanism,
                "Provider CQC Location Name": provider.name
                if provider and provider.cqc_location_id
                else "",
                "Provider CQC Location ID": provider.cqc_location_id if provider else "",
                "Unit Cost": unit_cost,
                "Cost Frequency (Unit Type)": COST_FREQUENCY[PlanLine.Unit(line.unit)],
                "Planned units per week": units,
            },
            carer=carer,
        )

    # Reviews: done in the period.
    def reviews(self) -> None:
        reviews = Review.objects.filter(
            status=Review.Status.DONE,
            completed_on__gte=self.period.start,
            completed_on__lte=self.period.end,
        ).select_related("plan__person")
        for review in reviews:
            self.add(
                review.plan.person,
                {
                    "Event Type": REVIEW,
                    "Event Reference": f"REV-{review.pk}",
                    "Event Start Date": _iso(review.completed_on),
                    "Event End Date": _iso(review.completed_on),
                    "Event Description": review.get_kind_display(),
                    "Event Outcome": OUTCOME_TO_ASSESSMENT
                    if review.reassessment_needed
                    else OUTCOME_CONTINUES,
                },
            )

    def build(self) -> CldReturn:
        if not self.code:
            self.problem(None, "Return", "LA Code", NO_LA_CODE)
        self.requests()
        self.assessments()
        self.services()
        self.reviews()
        self.out.rows.sort(
            key=lambda r: (
                r["LA Person Unique Identifier"],
                r["Event Start Date"],
                EVENT_ORDER[r["Event Type"]],
                tuple(int(n) for n in r["Event Reference"].split("-")[1:]),
            )
        )
        self.out.report.sort()
        return self.out


def cld_build(period: Period) -> CldReturn:
    """The CLD rows and the validation report for ``period`` (reads only)."""
    return _Builder(period).build()


def cld_services(period: Period) -> list[dict[str, str]]:
    """Only the Service rows of the return for ``period`` (services in force at any time in
    it), as the ASCOF measures read them (returns/ascof.py); reads only."""
    builder = _Builder(period)
    builder.services()
    return builder.out.rows
