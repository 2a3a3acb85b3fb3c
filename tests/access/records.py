"""The records the access matrix asks for, built on the small council (tests/conftest.py).

Three relations of a record to the user asking for it:

- ``own``: Ada's records. Ada is the holder; Rita represents her, Carl cares for her (she
  consents), Acme Care (the provider user's organisation) supports her, and she is in
  team A, where the practitioner, planner and manager work.
- ``other``: Bea's records. Bea is in team B; no one in the matrix but finance is linked to her.
- ``unrelated``: Cy's record. Cy is in team A (so the team sees him) but has no link to
  the holder, the representative, the carer or the provider.

Everything here is test data made directly, not through the services: the matrix tests
who reaches a record, not how it came to be.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from selfdirect.people import codes
from tests.factories import PersonFactory

RELATIONS = ("own", "other", "unrelated")
# The old names of the relations, used by the browser tests.
WHOSE = {"holder": "own", "other": "other", "unrelated": "unrelated"}


def _allocation(council: Any, assessment: Any) -> Any:
    from selfdirect.allocation.models import Allocation, RasVersion

    version = RasVersion.objects.get(code="default-ras")
    return Allocation.objects.create(
        person=assessment.person,
        assessment=assessment,
        ras_version=version,
        ras_hash=version.content_hash,
        inputs={"user_group": "older_people", "answers": {}, "flags": {}},
        explanation={
            "weekly_pence": 2000,
            "annual_pence": 104000,
            "total_points": 0,
            "price_per_point_pence": 330,
            "base_weekly_pence": 0,
            "uplifts": [],
            "section_points": {},
            "carer_neutral_weekly_pence": 0,
            "carer_adjustment_pence": 0,
            "rounding_pence": 0,
            "bound": "floor",
            "floor_weekly_pence": 2000,
            "ceiling_weekly_pence": 150000,
            "carer_reason": "",
            "ras": {
                "code": "default-ras",
                "version": 1,
                "hash": version.content_hash,
                "method": "points",
            },
        },
        indicative_weekly_pence=2000,
        indicative_annual_pence=104000,
        created_by=council.users["practitioner"],
    )


def _line(plan: Any, **extra: Any) -> Any:
    from selfdirect.planning.models import PlanLine

    fields = {
        "description": "Home care",
        "category": "home_care_agency",
        "unit": "hour",
        "unit_cost_pence": 2000,
        "quantity_hundredths": 100,
        "funding_stream": "adult_social_care",
        **extra,
    }
    return PlanLine.objects.create(plan=plan, **fields)


def _records_of(council: Any, whose: str) -> SimpleNamespace:
    """Every kind of record about Ada (``own``) or Bea (``other``)."""
    from selfdirect.allocation.models import Challenge
    from selfdirect.budgets.models import (
        ChangeNotice,
        DirectPaymentAgreement,
        FundAgreement,
        Pool,
        PoolShare,
    )
    from selfdirect.people.models import Relationship
    from selfdirect.planning.models import LineSwitch, PlanOutcome, Review, SupportPlan
    from selfdirect.providers.models import Provider

    own = whose == "own"
    person = council.holder_person if own else council.other_person
    assessment = council.holder_assessment if own else council.other_assessment
    worker = council.users["practitioner"] if own else User.objects.get(username="team-b-worker")
    r = SimpleNamespace(person=person, assessment=assessment)
    r.relationship = Relationship.objects.create(
        person=person,
        related_person=PersonFactory(team=None, given_name="Fay", family_name="Family"),
        kind=codes.RelationshipKind.FAMILY,
        start_date=dt.date(2020, 1, 1),
    )
    r.allocation = _allocation(council, assessment)
    r.challenge = Challenge.objects.create(
        allocation=r.allocation,
        ras_version=r.allocation.ras_version,
        contested_weekly_pence=2000,
        reasons="Test",
        raised_by=council.users["holder"],
        respond_by=dt.date(2030, 1, 1),
    )
    # A request to look again already decided (its letter), on the same budget.
    r.decided_challenge = Challenge.objects.create(
        allocation=r.allocation,
        ras_version=r.allocation.ras_version,
        contested_weekly_pence=2000,
        reasons="Test",
        raised_by=council.users["holder"],
        respond_by=dt.date(2026, 1, 1),
        status="decided",
        outcome="not_upheld",
        decision_reason="Test",
        decided_by=council.users["manager"],
        decided_at=timezone.now(),
    )
    # An earlier assessment, agreed, with its eligibility decision (its letter).
    from selfdirect.assessment.models import Assessment, EligibilityDecision

    r.decided_assessment = Assessment.objects.create(
        person=person,
        version=assessment.version,
        mode="practitioner",
        status="agreed",
        started_by=worker,
    )
    Assessment.objects.filter(pk=r.decided_assessment.pk).update(
        started_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    EligibilityDecision.objects.create(
        assessment=r.decided_assessment,
        criteria_code="care-act-2015-adult",
        findings={"needs_from_condition": True, "unable": {}},
        eligible=False,
        reasons=["Test"],
        decided_by=worker,
        decided_on=dt.date(2026, 1, 1),
    )
    # The panel's decision on the budget (two managers, neither the worker).
    from selfdirect.allocation.models import PanelDecision

    r.panel_decision = PanelDecision.objects.create(
        allocation=r.allocation,
        decided_on=dt.date(2026, 1, 1),
        outcome="agreed",
        agreed_weekly_pence=2000,
        reasons="Test",
        recorded_by=council.users["manager"],
    )
    # A budget waiting for the panel (for the panel queue).
    from selfdirect.allocation.models import PanelReferral

    r.panel_waiting = _allocation(council, assessment)
    r.panel_waiting.status = "awaiting_panel"
    r.panel_waiting.save(update_fields=["status"])
    PanelReferral.objects.create(
        allocation=r.panel_waiting, reason="Above the limit", referred_by=council.users["manager"]
    )
    # The draft plan the pages work on, with a line and a review due.
    r.plan = SupportPlan.objects.create(
        person=person,
        allocation=r.allocation,
        led_by="person",
        starts_on=dt.date(2026, 1, 1),
        created_by=worker,
    )
    r.line = _line(r.plan)
    r.outcome = PlanOutcome.objects.create(plan=r.plan, in_their_words="I want to get out more")
    r.review = Review.objects.create(plan=r.plan, kind="annual", due_date=dt.date(2026, 1, 1))
    # A suggestion for the draft from the person's side (co-producing the plan).
    from selfdirect.planning.models import PlanProposal

    r.proposal = PlanProposal.objects.create(
        plan=r.plan, kind="support", proposed_by=worker, proposed_as="person", description="A gym"
    )
    # An approved earlier version (dated before the draft, so the draft is the current one),
    # with a line that has a switch scheduled.
    r.approved = SupportPlan.objects.create(
        person=person,
        allocation=r.allocation,
        version=2,
        led_by="person",
        starts_on=dt.date(2026, 1, 1),
        status="approved",
        created_by=worker,
        approved_by=worker,
        approved_at=timezone.now(),
    )
    SupportPlan.objects.filter(pk=r.approved.pk).update(
        created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    r.approved_line = _line(
        r.approved,
        description="Personal assistant",
        category="personal_assistant",
        unit_cost_pence=1500,
    )
    r.switch = LineSwitch.objects.create(
        line=r.approved_line,
        effective_date=dt.date(2099, 1, 1),
        from_deployment="council_commissioned",
        to_deployment="direct_payment",
        old_part_pence=1500,
        new_part_pence=1500,
        switched_by=worker,
    )
    # A pool with a share from the approved plan, set up by the person's team.
    r.pool = Pool.objects.create(
        name=f"Art group ({whose})",
        activity="A weekly art class",
        starts_on=dt.date(2026, 1, 1),
        created_by=worker,
    )
    r.share = PoolShare.objects.create(
        pool=r.pool,
        person=person,
        line=r.approved_line,
        weekly_pence=500,
        joined_on=dt.date(2026, 1, 1),
        added_by=worker,
    )
    r.notice = ChangeNotice.objects.create(
        person=person,
        plan=r.approved,
        change="stop",
        applies_to="budget",
        current_weekly_pence=1500,
        new_weekly_pence=0,
        reasons="Test",
        given_on=dt.date(2026, 1, 1),
        takes_effect_on=dt.date(2099, 2, 1),
        given_by=worker,
    )
    # A referral an answer raised, not yet acted on.
    from selfdirect.assessment.models import Referral

    r.referral = Referral.objects.create(
        assessment=assessment, trigger="equipment", section_id="equipment"
    )
    # A contact at the front door, not yet triaged, and a case note shared with the person.
    from selfdirect.casework.models import CaseNote, Contact

    r.contact = Contact.objects.create(
        person=person,
        received_on=dt.date(2026, 1, 1),
        made_by="relative",
        made_by_name="Fay Family",
        channel="phone",
        reason="change",
        about="Test",
        recorded_by=worker,
    )
    r.case_note = CaseNote.objects.create(
        person=person,
        kind="visit",
        happened_on=dt.date(2026, 1, 1),
        text="Test",
        shared_with_person=True,
        written_by=worker,
    )
    # An ISF held by Acme Care (Ada's provider) or, for Bea, by another organisation; and
    # a direct payment.
    organisation = (
        council.users["provider"].profile.provider
        if own
        else Provider.objects.create(name="Elsewhere Support")
    )
    isf_line = _line(r.approved, deployment="isf", provider=organisation)
    r.fund_agreement = FundAgreement.objects.create(
        plan=r.approved,
        person=person,
        kind="isf",
        organisation=organisation,
        starts_on=dt.date(2026, 1, 1),
        person_agreed_on=dt.date(2026, 1, 1),
        organisation_agreed_on=dt.date(2026, 1, 1),
        status="active",
        created_by=worker,
    )
    # An invoice from the organisation holding the ISF, checked, waiting for finance.
    from selfdirect.invoices.models import Invoice, InvoiceLine

    r.invoice = Invoice.objects.create(
        provider=organisation,
        person=person,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 28),
        reference=f"T-{whose}",
        status="checked",
        total_pence=2000,
        entered_by=council.users["provider"],
    )
    InvoiceLine.objects.create(
        invoice=r.invoice,
        plan_line=isf_line,
        units_hundredths=100,
        unit_rate_pence=2000,
        amount_pence=2000,
        deployment="isf",
    )
    # A directory service of that organisation (its provider may change its listing).
    from tests.directory.builders import service_build

    r.directory_service = service_build(provider=organisation, name=f"Service {whose}")
    from selfdirect.directory.models import ListingChange, ServiceReview

    r.listing_change = ListingChange.objects.create(
        service=r.directory_service,
        changes={"name": [r.directory_service.name, "New name"]},
        proposed_by=council.users["provider"],
        proposed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )
    # A published review of it by the person, and one waiting to be checked.
    r.service_review = ServiceReview.objects.create(
        service=r.directory_service,
        person=person,
        written_by=council.users["holder"],
        written_at=dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
        rating=4,
        text="Kind and on time",
        status="published",
    )
    r.waiting_review = ServiceReview.objects.create(
        service=r.directory_service,
        person=person,
        written_by=council.users["holder"],
        written_at=dt.datetime(2026, 1, 7, tzinfo=dt.UTC),
        rating=2,
        text="Late twice",
    )
    r.direct_payment = DirectPaymentAgreement.objects.create(
        plan=r.approved,
        person=person,
        recipient_type="person",
        account_type="bank_account",
        sort_code="309430",
        account_number="12345678",
        has_capacity=True,
        capable_of_managing=True,
        appropriate=True,
        not_excluded=True,
        starts_on=dt.date(2026, 1, 1),
        created_by=worker,
    )
    # A message to the holder about Ada (and, for Bea, to her team's worker: no one's here).
    from selfdirect.notify.models import Message

    r.message = Message.objects.create(
        person=person,
        recipient=council.users["holder"] if own else worker,
        kind=Message.Kind.DECISION,
        subject="Your personal budget has been decided",
        body="Your personal budget is £74.00 a week.",
        key=f"matrix-{whose}",
    )
    # A recovery case on the direct payment: the letter sent, waiting for an explanation.
    from selfdirect.recovery.models import RecoveryCase

    r.recovery_case = RecoveryCase.objects.create(
        person=person,
        agreement=r.direct_payment,
        balance_pence=40000,
        balance_on=dt.date(2026, 1, 1),
        source="ledger",
        weekly_pence=3000,
        contingency_weeks=8,
        allowance_pence=24000,
        surplus_pence=16000,
        working=[["Balance", 40000], ["Contingency", -24000], ["Surplus", 16000]],
        rule_wording="Test",
        status="letter_sent",
        opened_by=council.users["finance"],
        opened_on=dt.date(2026, 1, 1),
        letter_sent_on=dt.date(2026, 1, 1),
        explain_by=dt.date(2099, 1, 1),
    )
    # A financial assessment started and not finished (its forms can still be filled in).
    from selfdirect.charging.models import FinancialAssessment

    r.financial_assessment = FinancialAssessment.objects.create(person=person, started_by=worker)
    # A statement of the direct payment account, with a payment flagged to explain.
    from selfdirect.monitoring.models import Flag, Statement, StatementTransaction

    r.statement = Statement.objects.create(
        person=person,
        uploaded_by=worker,
        kind="csv",
        layout="amount",
        filename="statement.csv",
        sha256="0" * 64,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        balance_pence=50000,
        balance_on=dt.date(2026, 1, 31),
        weekly_pence=10000,
        tier="light",
        imported_count=1,
    )
    payment = StatementTransaction.objects.create(
        statement=r.statement,
        person=person,
        posted_on=dt.date(2026, 1, 5),
        amount_pence=-9000,
        description="CORNER SHOP",
        dedupe_key="matrix-payment",
    )
    r.flag = Flag.objects.create(
        person=person,
        statement=r.statement,
        transaction=payment,
        kind="unexplained",
        words="We could not match this payment of £90.00 to your support plan.",
    )
    if whose == "own":
        # A later switch of the line to Ada's provider: its notice of her coming to it.
        LineSwitch.objects.create(
            line=r.approved_line,
            effective_date=dt.date(2099, 2, 1),
            from_deployment="direct_payment",
            to_deployment="isf",
            to_provider=Provider.objects.get(name="Acme Care"),
            old_part_pence=1500,
            new_part_pence=1500,
            switched_by=worker,
        )
    # A request to change the approved plan's line, waiting for a decision (changes app).
    from selfdirect.changes.models import ChangeRequest

    r.change_request = ChangeRequest.objects.create(
        person=person,
        line=r.approved_line,
        to_deployment="isf",
        reasons=["RUSHED_VISITS"],
        wanted_from=dt.date(2099, 1, 8),
        asked_as="person",
        asked_by=worker,
        decide_by=dt.date(2099, 1, 1),
    )
    _employer_records(r, person, worker)
    _peer_records(r, person, worker, own)
    return r


def _employer_records(r: SimpleNamespace, person: Any, worker: Any) -> None:
    """A PA the person employs, with a timesheet waiting for approval (docs/pa-employers.md)."""
    from selfdirect.employers.models import PaLink, PersonalAssistant, Timesheet
    from selfdirect.employers.services import link_hash

    r.assistant = PersonalAssistant.objects.create(
        person=person,
        name="Pat Assistant",
        role="Personal care",
        hours_hundredths=1000,
        hourly_rate_pence=1300,
        start_date=dt.date(2025, 1, 6),
        added_by=worker,
    )
    r.timesheet = Timesheet.objects.create(
        assistant=r.assistant,
        person=person,
        week_starting=dt.date(2026, 1, 5),
        hours_hundredths=1000,
        hourly_rate_pence=1300,
        amount_pence=13000,
        entered_by=worker,
    )
    # The PA's own timesheet link (decision 0054): the token is kept only as its hash.
    r.pa_token = f"matrix-pa-link-{person.pk}"
    r.pa_link = PaLink.objects.create(
        assistant=r.assistant,
        token_hash=link_hash(r.pa_token),
        created_by=worker,
        expires_at=timezone.now() + dt.timedelta(days=90),
    )


def _peer_records(r: SimpleNamespace, person: Any, worker: Any, own: bool) -> None:
    """Peer support (docs/peer-support.md): the person's offer to be a budget buddy, a
    request waiting for a match, a match with a buddy no one here is linked to (waiting for
    both to agree), and a referral to a support organisation (Acme Care's, for Ada)."""
    from selfdirect.directory.models import TaxonomyTerm
    from selfdirect.peers.models import BuddyLink, BuddyOffer, BuddyRequest, Referral
    from selfdirect.providers.models import Provider
    from tests.directory.builders import service_build

    helper = PersonFactory(team=None, given_name="Hal", family_name="Helper")
    r.buddy_offer = BuddyOffer.objects.create(
        person=person,
        help_with="PAs",
        contact_how="Phone",
        areas="North",
        made_as="person",
        made_by=worker,
    )
    r.buddy_request = BuddyRequest.objects.create(
        person=person, help_wanted="Payroll", contact_how="Email", asked_as="staff", asked_by=worker
    )
    matched = BuddyRequest.objects.create(
        person=person,
        help_wanted="Records",
        contact_how="Email",
        asked_as="staff",
        asked_by=worker,
        status="matched",
    )
    offer = BuddyOffer.objects.create(
        person=helper,
        help_with="Records",
        contact_how="Phone",
        areas="North",
        made_as="person",
        made_by=worker,
    )
    r.buddy_link = BuddyLink.objects.create(
        request=matched, offer=offer, seeker=person, buddy=helper, matched_by=worker
    )
    organisation = (
        Provider.objects.get(name="Acme Care")
        if own
        else Provider.objects.create(name="Elsewhere Brokerage")
    )
    r.peer_service = service_build(provider=organisation, name=f"Brokerage for {person.given_name}")
    r.peer_service.terms.add(TaxonomyTerm.objects.get(code="help.brokerage"))
    r.peer_referral = Referral.objects.create(
        person=person,
        service=r.peer_service,
        provider=organisation,
        shared={"name": person.full_name},
        help_wanted="Brokerage",
        asked_as="staff",
        asked_by=worker,
    )


def _unrelated(council: Any) -> SimpleNamespace:
    """Cy, in team A with no one linked to him: only his person record and a relationship."""
    from selfdirect.people.models import Relationship

    person = PersonFactory(team=council.team_a, given_name="Cy", family_name="Unlinked")
    relationship = Relationship.objects.create(
        person=person,
        related_person=PersonFactory(team=None, given_name="Gus", family_name="Family"),
        kind=codes.RelationshipKind.FAMILY,
        start_date=dt.date(2020, 1, 1),
    )
    return SimpleNamespace(person=person, relationship=relationship)


def _job_done(owner: Any) -> Any:
    """A finished background job of the data protection officer's, with its file."""
    from selfdirect.operations.jobs import job_file_write
    from selfdirect.operations.models import Job, JobStatus

    job = Job.objects.create(
        kind="audit_trail_staff",
        title="Audit trail of the user practitioner (CSV)",
        started_by=owner,
        status=JobStatus.DONE,
        idempotency_key="matrix-job",
        result_name="audit-trail-user-practitioner.csv",
        result_summary="1 event",
    )
    job.result_file = job_file_write(
        job=job, name=job.result_name, write=lambda out: out.write(b"When (UTC)\n") and None
    )
    job.save(update_fields=["result_file"])
    return job


def _configuration(council: Any) -> SimpleNamespace:
    """Council configuration the administrators' pages are about."""
    from selfdirect.allocation.models import RasVersion
    from selfdirect.assessment.models import QuestionnaireVersion
    from selfdirect.assessment.services import questionnaire_version_draft

    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    from selfdirect.access.models import ApiToken, RoleChange
    from selfdirect.access.tokens import api_token_create
    from tests.factories import make_user

    api_token_create(actor=None, user=council.users["holder"], name="holder's app")
    second_admin = make_user("second-admin", ["admin"])
    role_change = RoleChange.objects.create(
        user=council.users["practitioner"],
        role="planner",
        kind=RoleChange.Kind.GRANT,
        status=RoleChange.Status.PENDING,
        requested_by=second_admin,
    )
    from selfdirect.allocation.scenarios import scenario_save
    from selfdirect.allocation.services import (
        DEFAULT_RAS,
        ras_publication_request,
        ras_version_create,
    )
    from selfdirect.assessment.services import questionnaire_publication_request

    in_force = RasVersion.objects.get(code="default-ras")
    # A saved what-if scenario, the commissioner's (only its owner may delete it).
    scenario = scenario_save(
        actor=council.users["commissioner"],
        name="Older people's price up",
        in_force=in_force,
        edits={"price_older_people_pence": 400, "floor_pence": 2000, "ceiling_pence": 150000}
        | {"carer_reduction": 20},
        on=dt.date.today(),
    )
    # Versions another administrator asked to publish from a date in the past.
    draft = questionnaire_version_draft(actor=council.users["admin"], source=published)
    past = dt.date(2020, 1, 6)
    ras_draft = ras_version_create(actor=None, data=json.loads(DEFAULT_RAS.read_text()))
    return SimpleNamespace(
        scenario=scenario,
        questionnaire_request=questionnaire_publication_request(
            actor=second_admin, version=draft, effective_from=past, reason="Agreed by Cabinet"
        ),
        ras_request=ras_publication_request(
            actor=second_admin, version=ras_draft, effective_from=past, reason="Agreed by Cabinet"
        ),
        ras_version=in_force,
        draft=draft,
        job=_job_done(council.users["dpo"]),
        user=council.users["holder"],
        team=council.team_a,
        token=ApiToken.objects.get(user=council.users["holder"]),
        role_change=role_change,
        payment_run=(run := _payment_run(council)),
        payment_problem=_payment_problem(run),
        provider=_acme(),
        closure=_closure(council),
        cld_export=_cld_export(council),
    )


def _cld_export(council: Any) -> Any:
    """A kept Client Level Data return whose validation report names the holder."""
    from selfdirect.returns.models import CldExport

    reference = council.holder_person.la_person_id
    return CldExport.objects.create(
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
        content="LA Code\n\n",
        report=f"LA Person Unique Identifier,Record,Field,Reason\n{reference},"
        f"Person {reference},Postcode,Not recorded for this person\n",
        sha256="0" * 64,
        report_sha256="1" * 64,
        row_count=1,
        people_count=1,
        problem_count=1,
        spec_version="CLD Release 1",
        person_ids=[council.holder_person.pk],
        made_by=council.users["commissioner"],
    )


def _closure(council: Any) -> Any:
    """A provider marked as leaving the market (changes app)."""
    from selfdirect.changes.models import ProviderClosure

    return ProviderClosure.objects.create(
        provider=_acme(),
        closes_on=dt.date(2099, 1, 1),
        reason="Closing",
        marked_by=council.users["manager"],
    )


def _acme() -> Any:
    from selfdirect.providers.models import Provider

    return Provider.objects.get(name="Acme Care")


def _payment_run(council: Any) -> Any:
    """A paid payment run, prepared and approved by two other finance officers, paying the
    holder's direct payment (so its preview names her)."""
    from selfdirect.ledger.services import budget_account
    from selfdirect.payments.models import PaymentLine, PaymentRun, PaymentSchedule
    from tests.factories import make_user

    preparer = make_user("matrix-finance-1", ["finance"])
    schedule = PaymentSchedule.objects.create(
        person=council.holder_person,
        deployment="direct_payment",
        frequency="monthly",
        anchor_date=dt.date(2026, 1, 1),
        starts_on=dt.date(2026, 1, 1),
        payee_name="Ada Holder",
        sort_code="309430",
        account_number="12345678",
        created_by=preparer,
    )
    run = PaymentRun.objects.create(
        period="2026-01",
        frequency="monthly",
        status=PaymentRun.Status.PAID,
        prepared_by=preparer,
        approved_by=make_user("matrix-finance-2", ["finance"]),
        approved_at=timezone.now(),
        paid_at=timezone.now(),
        line_count=1,
        total_pence=30000,
    )
    PaymentLine.objects.create(
        run=run,
        schedule=schedule,
        person=council.holder_person,
        deployment="direct_payment",
        budget_account=budget_account(council.holder_person, "direct_payment"),
        period_key="2026-01",
        period_starts_on=dt.date(2026, 1, 1),
        period_ends_on=dt.date(2026, 1, 31),
        amount_pence=30000,
        by_stream={"adult_social_care": 30000},
        working=["1 January 2026 to 31 January 2026: £69.23 a week"],
        payee_name="Ada Holder",
        sort_code="309430",
        account_number="12345678",
        organisation=_acme(),
    )
    from selfdirect.payments.services import run_files_make

    run_files_make(run=run)  # its bank files, kept (made by a job in real life)
    return run


def _payment_problem(run: Any) -> Any:
    """The run's payment, made in the ledger, then sent back by the bank because the holder
    died (so paying it again is always refused: no route of the matrix moves money)."""
    from selfdirect.ledger.services import budget_payment_post
    from selfdirect.payments.problems import payment_problem_record

    line = run.lines.get()
    budget_payment_post(
        actor=run.prepared_by,
        person=line.person,
        deployment=line.deployment,
        funding_stream="adult_social_care",
        period_key=line.period_key,
        amount_pence=line.amount_pence,
        effective_date=line.period_starts_on,
        approved_by=run.approved_by,
        source_reference=run.reference,
    )
    return payment_problem_record(
        actor=run.prepared_by, line=line, reason="2", returned_on=dt.date.today()
    )


def records_build(council: Any) -> dict[str, SimpleNamespace]:
    """Every record the matrix asks for, by relation (and ``config`` for the admin pages)."""
    built = getattr(council, "records", None)
    if built is None:
        built = {
            "own": _records_of(council, "own"),
            "other": _records_of(council, "other"),
            "unrelated": _unrelated(council),
        }
        built["config"] = _configuration(council)
        _survey_invitations(council, built)
        council.records = built
    return built


def _survey_invitations(council: Any, built: dict[str, SimpleNamespace]) -> None:
    """A survey campaign (config) inviting Ada (by letter, so her team manager's letters
    name her; she may still answer online) and Bea."""
    from selfdirect.surveys.models import Campaign, Instrument, Invitation

    campaign = Campaign.objects.create(
        name="Matrix campaign",
        instrument=Instrument.objects.get(code="poet-holder", status="published"),
        selection="reviewed",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        invite_by="letter",
        consent_wording="We use your answers to improve support.",
        closes_on=dt.date(2099, 1, 1),
        status="open",
        created_by=council.users["commissioner"],
    )
    built["config"].campaign = campaign
    for relation, reference in (("own", "MATR-IXAA"), ("other", "MATR-IXBB")):
        built[relation].invitation = Invitation.objects.create(
            campaign=campaign,
            person=built[relation].person,
            reference=reference,
            channel="letter",
            user_group="Not known",
            holding="direct_payment",
        )


# Helpers for tests elsewhere (the browser and API tests) that want one of these records.


def _url(name: str, council: Any, whose: str) -> str:
    """The address of route ``name`` for the holder's (or the other person's) record."""
    from tests.access.test_matrix import MATRIX

    built = records_build(council)
    return reverse(name, kwargs=MATRIX[name].args(built[WHOSE[whose]], built["config"]))


def _approved_plan(council: Any, whose: str) -> Any:
    return records_build(council)[WHOSE[whose]].approved


def _fund_agreement(council: Any, whose: str) -> Any:
    return records_build(council)[WHOSE[whose]].fund_agreement
