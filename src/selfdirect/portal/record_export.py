"""A person's whole record, for a subject access request or a move to another council's
system: ``person_record`` gathers everything held about one person as plain JSON-ready data
(every record with its ids and dates, money as integer pence under ``_pence`` names, account
and card numbers cut to their last four digits); ``person_record_export`` turns it into
``record.json`` and a readable ``summary.pdf`` in one ZIP and records the export on the
person's audit trail.

Records are written field by field from the models, so a field added later is exported
without a change here; only the few numbers that must never leave in full are listed."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from selfdirect.access.models import WorkItem
from selfdirect.allocation.models import Allocation
from selfdirect.assessment.models import Assessment, QuestionnaireVersion
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.budgets.models import (
    ChangeNotice,
    DirectPaymentAgreement,
    FundAgreement,
    PoolShare,
)
from selfdirect.budgets.services import last_four
from selfdirect.casework.models import CaseNote, Contact
from selfdirect.changes.models import ChangeRequest, ClosureTask
from selfdirect.charging.models import FinancialAssessment
from selfdirect.directory.models import ServiceReview
from selfdirect.employers.selectors import employer_record
from selfdirect.invoices.models import Invoice
from selfdirect.ledger.models import Account as LedgerAccount
from selfdirect.ledger.models import Posting
from selfdirect.monitoring.selectors import monitoring_record
from selfdirect.notify.models import Message
from selfdirect.payments.models import (
    ContributionCharge,
    PaymentLine,
    PaymentProblem,
    PaymentSchedule,
)
from selfdirect.pdf import pdf_from_html
from selfdirect.peers.selectors import peers_record
from selfdirect.people.models import Person
from selfdirect.planning.figures import budget_figures
from selfdirect.planning.models import AssessedContribution, PlanDocument, SupportPlan
from selfdirect.providers.models import Provider, ProviderClient
from selfdirect.recovery.models import RecoveryCase
from selfdirect.surveys.models import Answer as SurveyAnswer
from selfdirect.surveys.models import Invitation as SurveyInvitation
from selfdirect.surveys.models import Response as SurveyResponse

SCHEMA = "selfdirect.person-record/1"
# The audit event's record type for this export (the person's log of looks names it).
WHOLE_RECORD = "person_record"
SUMMARY_TEMPLATE = "portal/record_summary_pdf.html"
# Never exported in full (as the pages and the API show them): only the last four digits,
# under the field's name with ``_last_four``.
MASKED = frozenset({"account_number", "card_reference", "dbs_reference", "repaid_account_number"})
# Derived for searching; the stored PDF itself (the plan's lines are in the JSON); the sort
# code, which the API leaves out too (with four digits of the account it adds nothing).
LEFT_OUT = frozenset({"search_name", "pdf", "sort_code", "repaid_sort_code"})

# Every top-level section of record.json, in order, with what it holds (the summary's
# table of contents).
SECTIONS: dict[str, str] = {
    "person": "Who they are: names, date of birth, address, contact details, NHS number",
    "communication_needs": "How they need information given to them",
    "relationships": "Carers and representatives, current and past",
    "consents": "Consent decisions, as history",
    "named_workers": "Their named workers over time, with the reasons",
    "assessments": "Assessments with every answer, referrals and eligibility decisions",
    "allocations": "Personal budgets: how each was worked out, sign-offs, panels and challenges",
    "support_plans": (
        "Support plans with outcomes, costed lines, switches, reviews and the person's suggestions"
    ),
    "change_notices": "Notices of a budget or direct payment being reduced or stopped",
    "direct_payment_agreements": "Direct payment agreements (account numbers: last four only)",
    "fund_agreements": "Individual service funds and managed accounts, with statements",
    "pool_shares": "Shares of a pooled budget",
    "provider_links": "The providers supporting them, with the dates",
    "assessed_contributions": "What they were assessed to pay, from each financial assessment",
    "financial_assessments": "Financial assessments: the amounts, the result and its working",
    "contacts": "Contacts with the council's front door, with how each was triaged",
    "case_notes": "Case notes staff wrote about them (those not shared with them too)",
    "work_items": "Tasks staff were given about them, open and done",
    "ledger_accounts": "Their budget accounts in the council's ledger, with every posting",
    "invoices": "Invoices providers sent for their support, line by line, with the checks",
    "service_reviews": "Reviews of services in the directory written by them or for them",
    "survey_responses": "Their answers to outcome surveys (anonymous answers are not linked to them)",
    "survey_invitations": "Surveys they were asked to answer: how they were invited, reminders, and whether they answered or said no",
    "messages": "Messages the council sent them and those who act for them, and how each went",
    "recovery_cases": "Cases about a direct payment surplus: each step, the decision, the plan",
    "change_requests": "Requests to change a provider or how support is held, with the decisions, and tasks made when a provider closed",
    "monitoring": "Monitoring of their direct payment: risk records, random samples, statements with every transaction and flag",
    "pa_employer": "The personal assistants they employ, with training, the employer's liability insurance and timesheets",
    "peer_support": "Budget buddy offers, requests and matches, and referrals to support organisations with the details shared",
    "payment_schedules": "How and when their budget is paid (account numbers: last four only)",
    "payments": "Each payment of their budget in a payment run, with how it was worked out",
    "contribution_charges": "The contribution invoiced to them for each payment period",
    "payment_problems": "Payments the bank sent back, and when each was paid again (account numbers: last four only)",
    "staff": "The council staff named in the records above, by id",
    "providers": "The providers and organisations named in the records above, by id",
    "questionnaires": "The questions and options each assessment answered, by version id",
}


def _value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _fields(instance: models.Model) -> dict[str, Any]:
    """Every stored field of one record: foreign keys as ``<name>_id``, the numbers in
    ``MASKED`` as their last four digits."""
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in LEFT_OUT:
            continue
        value = getattr(instance, field.attname)
        if field.name in MASKED:
            out[f"{field.name}_last_four"] = last_four(value) if value else ""
        else:
            out[field.attname] = _value(value)
    return out


def _ids(records: Iterable[dict[str, Any]], names: Iterable[str]) -> set[int]:
    wanted = tuple(names)
    return {r[n] for r in records for n in wanted if isinstance(r.get(n), int)}


def _walk(node: Any) -> Iterable[dict[str, Any]]:
    """Every record (dict) in a section, nested ones included."""
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def _keys_to(target: type[models.Model]) -> set[str]:
    """The ``<name>_id`` of every foreign key, in any model, that points to ``target``."""
    return {
        field.attname
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is target
    }


def person_record(person: Person) -> dict[str, Any]:
    """Everything held about ``person``, as JSON-ready data (a fixed number of queries,
    however many plans and lines they have)."""
    relationships = person.relationships.select_related("related_person").order_by(
        "start_date", "id"
    )
    assessments = (
        Assessment.objects.filter(person=person)
        .select_related("eligibility")
        .prefetch_related("answers", "referrals")
        .order_by("id")
    )
    allocations = (
        Allocation.objects.filter(person=person)
        .prefetch_related("sign_offs", "challenges", "amount_decisions", "panel_decision__members")
        .select_related("panel_referral")
        .order_by("id")
    )
    plans = (
        SupportPlan.objects.filter(person=person)
        .prefetch_related(
            "outcomes",
            "lines__switches",
            "reviews",
            "proposals",
            Prefetch("document", queryset=PlanDocument.objects.defer("pdf")),
        )
        .order_by("id")
    )
    funds = (
        FundAgreement.objects.filter(person=person)
        .prefetch_related("statements__lines")
        .order_by("id")
    )

    record: dict[str, Any] = {
        "schema": SCHEMA,
        "exported_at": timezone.now().isoformat(),
        "person": _fields(person),
        "communication_needs": {
            "in_words": person.communication_needs,
            "needs_easy_read": person.needs_easy_read,
            "needs_large_print": person.needs_large_print,
            "needs_bsl": person.needs_bsl,
            "interpreter_language": person.interpreter_language,
            "preferred_contact_method": person.preferred_contact_method,
            "communication_notes": person.communication_notes,
        },
        "relationships": [
            {
                **_fields(r),
                "related_person_reference": r.related_person.la_person_id,
                "related_person_name": r.related_person.full_name,
            }
            for r in relationships
        ],
        "consents": [_fields(c) for c in person.consents.order_by("decided_on", "id")],
        "named_workers": [
            _fields(n) for n in person.named_worker_allocations.order_by("start_date", "id")
        ],
        "assessments": [
            {
                **_fields(a),
                "answers": [_fields(x) for x in a.answers.all()],
                "referrals": [_fields(x) for x in a.referrals.all()],
                "eligibility_decision": (
                    _fields(a.eligibility) if hasattr(a, "eligibility") else None
                ),
            }
            for a in assessments
        ],
        "allocations": [
            {
                **_fields(a),
                "agreed_annual_pence": a.agreed_annual_pence,
                "sign_offs": [_fields(s) for s in a.sign_offs.all()],
                "amount_decisions": [_fields(d) for d in a.amount_decisions.all()],
                "challenges": [_fields(c) for c in a.challenges.all()],
                "panel_referral": _fields(a.panel_referral)
                if hasattr(a, "panel_referral")
                else None,
                "panel_decision": {
                    **_fields(a.panel_decision),
                    "member_ids": sorted(m.pk for m in a.panel_decision.members.all()),
                }
                if hasattr(a, "panel_decision")
                else None,
            }
            for a in allocations
        ],
        "support_plans": [_plan(p) for p in plans],
        "change_notices": [
            _fields(n) for n in ChangeNotice.objects.filter(person=person).order_by("id")
        ],
        "direct_payment_agreements": [
            _fields(d) for d in DirectPaymentAgreement.objects.filter(person=person).order_by("id")
        ],
        "fund_agreements": [
            {
                **_fields(f),
                "statements": [
                    {**_fields(s), "lines": [_fields(x) for x in s.lines.all()]}
                    for s in f.statements.all()
                ],
            }
            for f in funds
        ],
        "pool_shares": [_fields(s) for s in PoolShare.objects.filter(person=person).order_by("id")],
        "provider_links": [
            _fields(c) for c in ProviderClient.objects.filter(person=person).order_by("id")
        ],
        "assessed_contributions": [
            _fields(c)
            for c in AssessedContribution.objects.filter(person=person).order_by(
                "effective_from", "id"
            )
        ],
        "financial_assessments": [
            {**_fields(a), "items": [_fields(i) for i in a.items.all()]}
            for a in FinancialAssessment.objects.filter(person=person)
            .prefetch_related("items")
            .order_by("id")
        ],
        "contacts": [_fields(c) for c in Contact.objects.filter(person=person).order_by("id")],
        "case_notes": [_fields(n) for n in CaseNote.objects.filter(person=person).order_by("id")],
        "work_items": [_fields(w) for w in WorkItem.objects.filter(person=person).order_by("id")],
        "messages": [
            {**_fields(m), "deliveries": [_fields(d) for d in m.deliveries.all()]}
            for m in Message.objects.filter(person=person)
            .prefetch_related("deliveries")
            .order_by("id")
        ],
        "ledger_accounts": [
            {
                **_fields(a),
                "postings": [
                    {
                        **_fields(p),
                        "transaction": _fields(p.transaction),
                    }
                    for p in a.postings.all()
                ],
            }
            for a in LedgerAccount.objects.filter(person=person)
            .prefetch_related(
                Prefetch(
                    "postings",
                    queryset=Posting.objects.select_related("transaction").order_by(
                        "effective_date", "id"
                    ),
                )
            )
            .order_by("id")
        ],
        "recovery_cases": [
            {**_fields(c), "instalments": [_fields(i) for i in c.instalments.all()]}
            for c in RecoveryCase.objects.filter(person=person)
            .prefetch_related("instalments")
            .order_by("id")
        ],
        "change_requests": {
            "requests": [
                _fields(c) for c in ChangeRequest.objects.filter(person=person).order_by("id")
            ],
            "provider_closure_tasks": [
                _fields(t) for t in ClosureTask.objects.filter(person=person).order_by("id")
            ],
        },
        "monitoring": monitoring_record(person),
        "pa_employer": employer_record(person),
        "peer_support": peers_record(person),
        "invoices": [
            {**_fields(i), "lines": [_fields(x) for x in i.lines.all()]}
            for i in Invoice.objects.filter(person=person).prefetch_related("lines").order_by("id")
        ],
        "service_reviews": [
            _fields(r) for r in ServiceReview.objects.filter(person=person).order_by("id")
        ],
        "survey_responses": [
            {
                **_fields(r),
                "instrument": f"{r.instrument.code} version {r.instrument.version}",
                "answers": [{"item": a.item.code, "value": a.value} for a in r.answers.all()],
            }
            for r in SurveyResponse.objects.filter(person=person)
            .select_related("instrument")
            .prefetch_related(
                Prefetch("answers", queryset=SurveyAnswer.objects.select_related("item"))
            )
            .order_by("id")
        ],
        "survey_invitations": [
            {**_fields(i), "campaign": i.campaign.name}
            for i in SurveyInvitation.objects.filter(person=person)
            .select_related("campaign")
            .order_by("id")
        ],
        "payment_schedules": [
            _fields(p) for p in PaymentSchedule.objects.filter(person=person).order_by("id")
        ],
        "payments": [_fields(p) for p in PaymentLine.objects.filter(person=person).order_by("id")],
        "payment_problems": [
            _fields(p) for p in PaymentProblem.objects.filter(person=person).order_by("id")
        ],
        "contribution_charges": [
            _fields(c) for c in ContributionCharge.objects.filter(person=person).order_by("id")
        ],
    }
    # The four budget figures today, from the one selector every page and letter uses.
    figures = budget_figures(person=person, on=timezone.localdate())
    record["budget_figures"] = {
        "on": figures.on.isoformat(),
        "personal_budget_weekly_pence": figures.personal_budget_weekly_pence,
        "plan_cost_weekly_pence": figures.plan_cost_weekly_pence,
        "plan_one_off_pence": figures.plan_one_off_pence,
        "assessed_contribution_weekly_pence": figures.assessed_contribution_weekly_pence,
        "assessed_contribution_from": (
            figures.assessed_contribution_from.isoformat()
            if figures.assessed_contribution_from
            else None
        ),
        "other_public_funding_weekly_pence": figures.other_public_funding_weekly_pence,
        "council_contribution_weekly_pence": figures.council_contribution_weekly_pence,
    }
    records = list(_walk({k: record[k] for k in SECTIONS if k in record}))
    user_ids = _ids(records, _keys_to(User)) | {
        pk for r in records for pk in r.get("member_ids", []) if isinstance(pk, int)
    }
    provider_ids = _ids(records, _keys_to(Provider))
    record["staff"] = {
        str(u.pk): {"username": u.get_username(), "name": u.get_full_name()}
        for u in User.objects.filter(pk__in=user_ids).order_by("pk")
    }
    record["providers"] = {
        str(p.pk): {"name": p.name}
        for p in Provider.objects.filter(pk__in=provider_ids).order_by("pk")
    }
    versions = QuestionnaireVersion.objects.filter(
        pk__in={a["version_id"] for a in record["assessments"]}
    ).select_related("questionnaire")
    record["questionnaires"] = {
        str(v.pk): {
            "code": v.questionnaire.code,
            "title": v.questionnaire.title,
            "number": v.number,
            "definition": v.definition,
        }
        for v in versions.order_by("pk")
    }
    return record


def _plan(plan: SupportPlan) -> dict[str, Any]:
    document = _document(plan)
    return {
        **_fields(plan),
        "outcomes": [_fields(o) for o in plan.outcomes.all()],
        "lines": [
            {
                **_fields(line),
                "weekly_cost_pence": line.weekly_cost_pence,
                "one_off_cost_pence": line.one_off_cost_pence,
                "cost_words": line.cost_words,
                "switches": [_fields(s) for s in line.switches.all()],
            }
            for line in plan.lines.all()
        ],
        "reviews": [_fields(r) for r in plan.reviews.all()],
        # What the person suggested for the plan, and the answers (decision 0039).
        "proposals": [_fields(p) for p in plan.proposals.all()],
        "document": (
            {
                "id": document.pk,
                "sha256": document.sha256,
                "created_at": _value(document.created_at),
            }
            if document is not None
            else None
        ),
    }


def _document(plan: SupportPlan) -> PlanDocument | None:
    """The stored PDF's details (prefetched without the PDF: no query), if it has one."""
    try:
        return plan.document
    except PlanDocument.DoesNotExist:
        return None


def _current_budget(record: dict[str, Any]) -> dict[str, Any] | None:
    approved = [a for a in record["allocations"] if a["status"] == Allocation.Status.APPROVED]
    return approved[-1] if approved else None


def _plan_in_force(record: dict[str, Any]) -> dict[str, Any] | None:
    approved = [p for p in record["support_plans"] if p["status"] == SupportPlan.Status.APPROVED]
    return approved[-1] if approved else None


# Sections that are one record rather than a list (or a table by id) of them.
SINGLE = frozenset({"person", "communication_needs"})


def _count(key: str, value: Any) -> int:
    if key in SINGLE:
        return 1
    return len(value) if isinstance(value, list | dict) else 0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def record_summary_html(person: Person, record: dict[str, Any]) -> str:
    """The readable summary: who, the current budget, the plan in force, and what the JSON holds."""
    plan = _plan_in_force(record)
    contents = [
        {"key": key, "about": about, "count": _count(key, record[key])}
        for key, about in SECTIONS.items()
    ]
    return render_to_string(
        SUMMARY_TEMPLATE,
        {
            "person": person,
            "budget": _current_budget(record),
            "figures": record.get("budget_figures", {}),
            "plan": plan,
            "plan_starts_on": _date(plan["starts_on"]) if plan else None,
            "plan_ends_on": _date(plan["ends_on"]) if plan else None,
            "plan_weekly_pence": (
                sum(line["weekly_cost_pence"] for line in plan["lines"]) if plan else None
            ),
            "contents": contents,
            "schema": SCHEMA,
            "exported_at": dt.datetime.fromisoformat(record["exported_at"]),
        },
    )


@dataclass(frozen=True)
class RecordExport:
    record_json: bytes
    summary_pdf: bytes

    def as_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("record.json", self.record_json)
            archive.writestr("summary.pdf", self.summary_pdf)
        return buffer.getvalue()


@transaction.atomic
def person_record_export(*, actor: User | AnonymousUser | None, person: Person) -> RecordExport:
    """The person's whole record as ``record.json`` and ``summary.pdf``; the export is
    recorded on the person's own trail. Raises ``PdfUnavailable`` (and records nothing) if
    the server cannot make PDFs."""
    record = person_record(person)
    summary = pdf_from_html(record_summary_html(person, record))
    record_json = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    event_record(
        actor=actor,
        action=Action.EXPORT,
        object_type=WHOLE_RECORD,
        object_id=person.pk,
        person_id=person.pk,
        summary=f"Exported the whole record of {person.la_person_id}",
    )
    return RecordExport(record_json=record_json, summary_pdf=summary)
