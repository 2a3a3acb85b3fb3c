"""The NHS England Client Level Data return (docs/cld.md): a small caseload built by hand
gives exactly the rows worked out by hand below; what cannot be coded is in the validation
report with its reason; a bad period is refused by name; the same records give the same bytes.

The records are made directly (not through the services): this tests what the return makes
of them, not how they came to be.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from selfdirect.allocation.models import Allocation, RasVersion
from selfdirect.allocation.services import ras_versions_install_defaults
from selfdirect.assessment.models import Assessment, EligibilityDecision, Questionnaire
from selfdirect.assessment.services import assessment_start, questionnaires_install_defaults
from selfdirect.audit.models import Event, Listed
from selfdirect.casework.models import Contact
from selfdirect.people import codes
from selfdirect.planning.models import PlanLine, Review, SupportPlan
from selfdirect.returns import cld
from tests.factories import PersonFactory, ProviderFactory, make_user

PERIOD = "2025-04-01:2026-03-31"
UTC = dt.UTC


def _assessment(worker: Any, person: Any, code: str, started: dt.datetime, **kw: Any) -> Any:
    a = assessment_start(
        actor=worker,
        person=person,
        questionnaire=Questionnaire.objects.get(code=code),
        mode="practitioner",
        **kw,
    )
    Assessment.objects.filter(pk=a.pk).update(started_at=started)
    return a


def _decide(worker: Any, assessment: Any, *, eligible: bool, on: dt.date) -> None:
    EligibilityDecision.objects.create(
        assessment=assessment,
        criteria_code="care-act-2015",
        findings={},
        eligible=eligible,
        reasons=[],
        decided_by=worker,
        decided_on=on,
    )


def _allocation(worker: Any, assessment: Any) -> Any:
    version = RasVersion.objects.get(code="default-ras")
    return Allocation.objects.create(
        person=assessment.person,
        assessment=assessment,
        ras_version=version,
        ras_hash=version.content_hash,
        inputs={"user_group": "older_people", "answers": {}, "flags": {}},
        explanation={},
        indicative_weekly_pence=30000,
        indicative_annual_pence=1560000,
        created_by=worker,
    )


def _line(plan: Any, **fields: Any) -> Any:
    base = {
        "description": "Home care",
        "category": "home_care_agency",
        "unit": "hour",
        "unit_cost_pence": 2350,
        "quantity_hundredths": 1050,
        "funding_stream": "adult_social_care",
        "deployment": "direct_payment",
    }
    return PlanLine.objects.create(plan=plan, **{**base, **fields})


@pytest.fixture
def caseload(db: Any, settings: Any) -> dict[str, Any]:
    """Ada (two plan versions, a request, an assessment, a review); Bob (in prison, no NHS
    number, found not eligible, a direct payment); Cara (Ada's carer, her own assessment)."""
    settings.SELFDIRECT_CLD_LA_CODE = "E06000001"
    questionnaires_install_defaults()
    ras_versions_install_defaults()
    worker = make_user("worker", ["practitioner"])
    ada = PersonFactory(
        la_person_id="P001",
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Lovelace",
        gender=codes.Gender.FEMALE,
        ethnicity=codes.Ethnicity.WHITE_BRITISH,
        primary_support_reason=codes.PrimarySupportReason.PERSONAL_CARE,
        has_unpaid_carer=codes.YesNoUnknown.YES,
    )
    bob = PersonFactory(
        la_person_id="P002",
        nhs_number=None,
        given_name="Bob",
        family_name="Jones",
        gender=codes.Gender.MALE,
        date_of_birth=dt.date(1980, 1, 15),
        primary_support_reason=codes.PrimarySupportReason.MENTAL_HEALTH,
        accommodation_status=codes.AccommodationStatus.PRISON,
        postcode="",
    )
    cara = PersonFactory(
        la_person_id="P003",
        nhs_number="9434765870",
        given_name="Cara",
        family_name="Lovelace",
        client_type=codes.ClientType.CARER,
        date_of_birth=dt.date(1975, 6, 1),
        primary_support_reason=codes.PrimarySupportReason.UNKNOWN,
    )
    r: dict[str, Any] = {"ada": ada, "bob": bob, "cara": cara}

    # Ada: a request before the period (left out) and one in it, triaged for assessment.
    Contact.objects.create(
        person=ada,
        received_on=dt.date(2025, 3, 1),
        made_by="self",
        channel="phone",
        reason="information",
        about="Asked about day centres",
        recorded_by=worker,
    )
    r["request"] = Contact.objects.create(
        person=ada,
        received_on=dt.date(2025, 5, 1),
        made_by="relative",
        channel="phone",
        reason="new_need",
        about="Struggling to wash and dress",
        recorded_by=worker,
        decision="assess",
        triaged_by=worker,
        triaged_at=dt.datetime(2025, 5, 2, 10, 0, tzinfo=UTC),
    )
    r["ada_assessment"] = a1 = _assessment(
        worker, ada, "self-assessment", dt.datetime(2025, 5, 10, 12, 0, tzinfo=UTC)
    )
    _decide(worker, a1, eligible=True, on=dt.date(2025, 6, 1))
    allocation = _allocation(worker, a1)
    v1 = SupportPlan.objects.create(
        person=ada,
        allocation=allocation,
        led_by="person",
        starts_on=dt.date(2025, 7, 1),
        status=SupportPlan.Status.SUPERSEDED,
        created_by=worker,
    )
    acme = ProviderFactory(name="Acme Care", cqc_location_id="1-123456789")
    r["home_care_v1"] = _line(v1, provider=acme)
    r["equipment"] = _line(
        v1,
        description="Shower chair",
        category="equipment_purchase",
        unit="item",
        unit_cost_pence=15000,
        quantity_hundredths=200,
        deployment="council_commissioned",
    )
    r["nhs_line"] = _line(
        v1,
        description="Nursing visits",
        category="health_care",
        funding_stream="nhs_chc",
        deployment="council_commissioned",
    )
    r["review"] = Review.objects.create(
        plan=v1,
        kind="annual",
        due_date=dt.date(2025, 10, 1),
        status=Review.Status.DONE,
        completed_on=dt.date(2025, 10, 3),
        completed_by=worker,
    )
    v2 = SupportPlan.objects.create(
        person=ada,
        allocation=allocation,
        version=2,
        previous=v1,
        led_by="person",
        starts_on=dt.date(2026, 1, 1),
        status=SupportPlan.Status.APPROVED,
        created_by=worker,
    )
    # The same home care carried over with the new year's rate: one service, latest cost.
    r["home_care_v2"] = _line(
        v2, provider=acme, unit_cost_pence=2400, copied_from=r["home_care_v1"]
    )
    r["day_centre"] = _line(
        v2,
        description="Day centre",
        category="day_activity",
        unit="session",
        unit_cost_pence=4500,
        quantity_hundredths=200,
        deployment="isf",
    )
    # A draft version is not in force: none of its lines are in the return.
    draft = SupportPlan.objects.create(
        person=ada,
        allocation=allocation,
        version=3,
        previous=v2,
        led_by="person",
        starts_on=dt.date(2026, 2, 1),
        created_by=worker,
    )
    _line(draft, description="Gym")

    # Bob: found not eligible, but with a plan held as a direct payment while in prison.
    r["bob_assessment"] = b1 = _assessment(
        worker, bob, "self-assessment", dt.datetime(2025, 4, 2, 9, 0, tzinfo=UTC)
    )
    _decide(worker, b1, eligible=False, on=dt.date(2025, 4, 20))
    bob_plan = SupportPlan.objects.create(
        person=bob,
        allocation=_allocation(worker, b1),
        led_by="person",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2025, 9, 30),
        status=SupportPlan.Status.APPROVED,
        created_by=worker,
    )
    r["bob_line"] = _line(
        bob_plan,
        description="Personal assistant",
        category="personal_assistant",
        unit_cost_pence=1500,
        quantity_hundredths=500,
    )

    # Cara: her carer's assessment for Ada, not yet decided.
    r["cara_assessment"] = _assessment(
        worker,
        cara,
        "carers-assessment",
        dt.datetime(2025, 8, 1, 9, 0, tzinfo=UTC),
        cared_for=ada,
    )
    return r


def _person(
    la_id: str,
    nhs: str,
    first: str,
    last: str,
    gender: str,
    ethnicity: str,
    dob: str,
    client_type: str,
    psr: str,
    postcode: str,
    accommodation: str,
    has_carer: str,
) -> dict[str, str]:
    return {
        "LA Code": "E06000001",
        "Reporting Period Start Date": "2025-04-01",
        "Reporting Period End Date": "2026-03-31",
        "NHS Number": nhs,
        "LA Person Unique Identifier": la_id,
        "First Name": first,
        "Last Name": last,
        "Gender": gender,
        "Ethnicity": ethnicity,
        "Date of Birth": dob,
        "Client Type": client_type,
        "Primary Support Reason": psr,
        "Postcode": postcode,
        "Accommodation Status": accommodation,
        "Employment Status": "Unknown",
        "Has Unpaid Carer": has_carer,
        "Autism Spectrum Disorder (ASD)": "U",
        "Visual Impairment": "U",
        "Hearing Impairment": "U",
        "Dementia": "U",
    }


def _expected(r: dict[str, Any]) -> list[dict[str, str]]:
    ada = _person(
        "P001",
        "9434765919",
        "Ada",
        "Lovelace",
        "2",
        "A",
        "1950-03-27",
        "Service User",
        "Physical Support: Personal care support",
        "SW1A 1AA",
        "Unknown",
        "Y",
    )
    bob = _person(
        "P002",
        "",
        "Bob",
        "Jones",
        "1",
        "99",
        "1980-01-15",
        "Service User",
        "Mental Health Support",
        "",
        "Prison/Young offenders institution/detention centre",
        "U",
    )
    cara = _person(
        "P003",
        "9434765870",
        "Cara",
        "Lovelace",
        "0",
        "99",
        "1975-06-01",
        "Carer",
        "Social Support: Support to Carer",
        "SW1A 1AA",
        "Unknown",
        "U",
    )
    rows = [
        # Bob's plan started before his assessment, so it comes first.
        {
            **bob,
            "Event Type": "Service",
            "Event Reference": f"SVC-{r['bob_line'].pk}",
            "Event Start Date": "2025-04-01",
            "Event End Date": "2025-09-30",
            "Event Description": "Personal assistant",
            "Service Type": "Long Term Support: Prison",
            "Delivery Mechanism": "",  # cannot be coded: see the report
            "Unit Cost": "15.00",
            "Cost Frequency (Unit Type)": "Hourly",
            "Planned units per week": "5.00",
        },
        {
            **bob,
            "Event Type": "Assessment",
            "Event Reference": f"ASM-{r['bob_assessment'].pk}",
            "Event Start Date": "2025-04-02",
            "Event End Date": "2025-04-20",
            "Event Description": "Self-assessment",
            "Event Outcome": "",  # cannot be coded: see the report
            "Eligible Needs Identified": "N",
        },
        {
            **ada,
            "Event Type": "Request",
            "Event Reference": f"REQ-{r['request'].pk}",
            "Event Start Date": "2025-05-01",
            "Event End Date": "2025-05-02",
            "Event Description": "Needs care and support for the first time",
            "Event Outcome": "Progress to assessment, review or reassessment",
        },
        {
            **ada,
            "Event Type": "Assessment",
            "Event Reference": f"ASM-{r['ada_assessment'].pk}",
            "Event Start Date": "2025-05-10",
            "Event End Date": "2025-06-01",
            "Event Description": "Self-assessment",
            "Event Outcome": "Progress to support planning or services",
            "Eligible Needs Identified": "Y",
        },
        # Two shower chairs at £150, bought under version 1, which ended when 2 began.
        {
            **ada,
            "Event Type": "Service",
            "Event Reference": f"SVC-{r['equipment'].pk}",
            "Event Start Date": "2025-07-01",
            "Event End Date": "2025-12-31",
            "Event Description": "Shower chair",
            "Service Type": "Long Term Support: Community",
            "Delivery Mechanism": "CASSR Commissioned Support",
            "Unit Cost": "300.00",
            "Cost Frequency (Unit Type)": "One-off",
            "Planned units per week": "",
        },
        # Home care, carried into version 2 at £24.00 an hour: one row from 1 July, open.
        {
            **ada,
            "Event Type": "Service",
            "Event Reference": f"SVC-{r['home_care_v2'].pk}",
            "Event Start Date": "2025-07-01",
            "Event End Date": "",
            "Event Description": "Home care",
            "Service Type": "Long Term Support: Community",
            "Delivery Mechanism": "Direct Payment",
            "Provider CQC Location Name": "Acme Care",
            "Provider CQC Location ID": "1-123456789",
            "Unit Cost": "24.00",
            "Cost Frequency (Unit Type)": "Hourly",
            "Planned units per week": "10.50",
        },
        {
            **cara,
            "Event Type": "Assessment",
            "Event Reference": f"ASM-{r['cara_assessment'].pk}",
            "Event Start Date": "2025-08-01",
            "Event End Date": "",
            "Event Description": "Carer's assessment",
            "Event Outcome": "",
            "No. of adults being cared for": "1",
            "Adult 1 Linked Person_ID": "P001",
        },
        {
            **ada,
            "Event Type": "Review",
            "Event Reference": f"REV-{r['review'].pk}",
            "Event Start Date": "2025-10-03",
            "Event End Date": "2025-10-03",
            "Event Description": "Annual review",
            "Event Outcome": "Continuation of support or services",
        },
        {
            **ada,
            "Event Type": "Service",
            "Event Reference": f"SVC-{r['day_centre'].pk}",
            "Event Start Date": "2026-01-01",
            "Event End Date": "",
            "Event Description": "Day centre",
            "Service Type": "Long Term Support: Community",
            "Delivery Mechanism": "CASSR Managed Personal Budget",
            "Unit Cost": "45.00",
            "Cost Frequency (Unit Type)": "Per session",
            "Planned units per week": "2.00",
        },
    ]
    # Every column not named above is blank; the return is listed by person, then date
    # (on one day, by kind of event and then the order the records were made in).
    full = [{c: row.get(c, "") for c in cld.COLUMNS} for row in rows]
    full.sort(key=lambda row: row["LA Person Unique Identifier"])  # stable: dates kept
    return full


def _export(tmp_path: Path, name: str = "cld") -> tuple[Path, Path]:
    out, report = tmp_path / f"{name}.csv", tmp_path / f"{name}-report.csv"
    call_command(
        "export_cld", period=PERIOD, out=str(out), report=str(report), stdout=io.StringIO()
    )
    return out, report


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_a_hand_built_caseload_gives_exactly_the_rows_worked_out_by_hand(
    caseload: dict[str, Any], tmp_path: Path
) -> None:
    out, _ = _export(tmp_path)
    header, rows = _read(out)
    assert header == list(cld.COLUMNS)
    assert rows == _expected(caseload)


def test_what_cannot_be_coded_is_in_the_report_with_its_reason(
    caseload: dict[str, Any], tmp_path: Path
) -> None:
    _, report = _export(tmp_path)
    header, rows = _read(report)
    assert header == ["LA Person Unique Identifier", "Record", "Field", "Reason"]
    assert rows == [
        {
            "LA Person Unique Identifier": "P002",
            "Record": f"ASM-{caseload['bob_assessment'].pk}",
            "Field": "Event Outcome",
            "Reason": "Found not eligible, and Selfdirect does not record what followed "
            "(advice, signposting or no further action), so no outcome can be chosen",
        },
        {
            "LA Person Unique Identifier": "P002",
            "Record": "Person P002",
            "Field": "NHS Number",
            "Reason": "Not recorded: NHS England can match this person only by the LA Person "
            "Unique Identifier",
        },
        {
            "LA Person Unique Identifier": "P002",
            "Record": "Person P002",
            "Field": "Postcode",
            "Reason": "Not recorded for this person",
        },
        {
            "LA Person Unique Identifier": "P002",
            "Record": f"SVC-{caseload['bob_line'].pk}",
            "Field": "Delivery Mechanism",
            "Reason": "Held as a direct payment while the person is in prison: the "
            "specification does not allow Direct Payment for a prison setting",
        },
    ]


def test_a_council_without_its_la_code_is_told_in_the_report(
    caseload: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.SELFDIRECT_CLD_LA_CODE = ""
    out, report = _export(tmp_path)
    _, rows = _read(report)
    assert rows[0] == {
        "LA Person Unique Identifier": "",
        "Record": "Return",
        "Field": "LA Code",
        "Reason": "The council's LA code is not set (SELFDIRECT_CLD_LA_CODE)",
    }
    assert {row["LA Code"] for row in _read(out)[1]} == {""}


def test_the_same_records_give_the_same_bytes_twice(
    caseload: dict[str, Any], tmp_path: Path
) -> None:
    first, first_report = _export(tmp_path, "first")
    second, second_report = _export(tmp_path, "second")
    assert first.read_bytes() == second.read_bytes()
    assert first_report.read_bytes() == second_report.read_bytes()
    assert len(first.read_bytes().splitlines()) == 1 + 9


def test_making_the_return_is_recorded_as_a_look_at_each_person_in_it(
    caseload: dict[str, Any], tmp_path: Path
) -> None:
    _export(tmp_path)
    looked = Event.objects.get(
        action="view", summary=f"NHS England Client Level Data return for {PERIOD}"
    )
    # One list look naming each person in the return (decision 0056).
    listed = Listed.objects.filter(event=looked).values_list("person_id", flat=True)
    assert (
        sorted(listed)
        == sorted(looked.changes["people"])
        == sorted([caseload["ada"].pk, caseload["bob"].pk, caseload["cara"].pk])
    )


def test_a_switch_of_way_of_holding_starts_a_new_service_from_its_date(
    caseload: dict[str, Any], tmp_path: Path
) -> None:
    """Dan's personal assistant, a direct payment from April, is held as an Individual
    Service Fund with another provider at a new rate from 1 November; a later switch that
    was undone changes nothing."""
    from selfdirect.planning.models import LineSwitch

    worker = make_user("worker-2", ["practitioner"])
    dan = PersonFactory(la_person_id="P004", nhs_number="9434765928", given_name="Dan")
    assessment = _assessment(
        worker, dan, "self-assessment", dt.datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    )
    _decide(worker, assessment, eligible=True, on=dt.date(2025, 3, 20))
    plan = SupportPlan.objects.create(
        person=dan,
        allocation=_allocation(worker, assessment),
        led_by="person",
        starts_on=dt.date(2025, 4, 1),
        status=SupportPlan.Status.APPROVED,
        created_by=worker,
    )
    line = _line(
        plan,
        description="Personal assistant",
        category="personal_assistant",
        unit_cost_pence=1500,
        quantity_hundredths=1000,
    )
    bcare = ProviderFactory(name="Bcare", cqc_location_id="1-987654321")
    moved = LineSwitch.objects.create(
        line=line,
        effective_date=dt.date(2025, 11, 1),
        from_deployment="direct_payment",
        to_deployment="isf",
        to_provider=bcare,
        old_part_pence=0,
        new_part_pence=0,
        to_unit_cost_pence=1800,
        switched_by=worker,
    )
    LineSwitch.objects.create(
        line=line,
        effective_date=dt.date(2025, 12, 1),
        from_deployment="isf",
        to_deployment="council_commissioned",
        old_part_pence=0,
        new_part_pence=0,
        to_unit_cost_pence=9900,
        switched_by=worker,
        undone_at=dt.datetime(2025, 11, 20, tzinfo=UTC),
        undone_by=worker,
    )
    out, report = _export(tmp_path)
    services = [r for r in _read(out)[1] if r["LA Person Unique Identifier"] == "P004"]
    assert [
        {
            k: r[k]
            for k in (
                "Event Type",
                "Event Reference",
                "Event Start Date",
                "Event End Date",
                "Delivery Mechanism",
                "Provider CQC Location Name",
                "Provider CQC Location ID",
                "Unit Cost",
                "Cost Frequency (Unit Type)",
                "Planned units per week",
            )
        }
        for r in services
    ] == [
        {
            "Event Type": "Service",
            "Event Reference": f"SVC-{line.pk}",
            "Event Start Date": "2025-04-01",
            "Event End Date": "2025-10-31",
            "Delivery Mechanism": "Direct Payment",
            "Provider CQC Location Name": "",
            "Provider CQC Location ID": "",
            "Unit Cost": "15.00",
            "Cost Frequency (Unit Type)": "Hourly",
            "Planned units per week": "10.00",
        },
        {
            "Event Type": "Service",
            "Event Reference": f"SVC-{line.pk}-{moved.pk}",
            "Event Start Date": "2025-11-01",
            "Event End Date": "",
            "Delivery Mechanism": "CASSR Managed Personal Budget",
            "Provider CQC Location Name": "Bcare",
            "Provider CQC Location ID": "1-987654321",
            "Unit Cost": "18.00",
            "Cost Frequency (Unit Type)": "Hourly",
            "Planned units per week": "10.00",
        },
    ]
    # Dan's assessment ended before the period: only his services are in the return.
    assert "P004" not in report.read_text()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            "2025-04-01",
            "The period must be two dates as START:END, for example 2025-04-01:2026-03-31",
        ),
        (
            "2025-04-01:",
            "The period must be two dates as START:END, for example 2025-04-01:2026-03-31",
        ),
        (
            "2025-13-01:2026-03-31",
            "The period's start date '2025-13-01' is not a date like 2025-04-01",
        ),
        (
            "2025-04-01:31/03/2026",
            "The period's end date '31/03/2026' is not a date like 2025-04-01",
        ),
        ("2026-03-31:2025-04-01", "The period ends (2025-04-01) before it starts (2026-03-31)"),
    ],
)
def test_a_bad_period_is_refused_by_name_and_writes_nothing(
    db: Any, tmp_path: Path, period: str, message: str
) -> None:
    out = tmp_path / "cld.csv"
    with pytest.raises(CommandError) as refused:
        call_command("export_cld", period=period, out=str(out))
    assert str(refused.value) == f"--period {period!r}: {message}"
    assert not out.exists()
    assert not Event.objects.filter(summary__startswith="NHS England Client Level Data").exists()
