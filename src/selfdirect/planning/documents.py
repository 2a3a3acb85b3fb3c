"""The PDF of an approved support plan version: made once, the first time it is asked for,
then kept, so the version the person agreed to reads the same years later."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.pdf import pdf_from_html
from selfdirect.planning.figures import budget_figures
from selfdirect.planning.models import PlanDocument, Review, SupportPlan
from selfdirect.planning.services import plan_totals

NO_PDF_UNTIL_APPROVED = (
    "A support plan has a PDF once it is approved: this version is not approved yet"
)
TEMPLATE = "planning/plan_pdf.html"

# Once approved, a version is printable for ever, including after a later version replaces it.
PRINTABLE = (SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED)
# The reviews set when the plan was approved; reviews asked for later are not part of it.
SCHEDULED_REVIEWS = (Review.Kind.LIGHT_TOUCH, Review.Kind.DIRECT_PAYMENT, Review.Kind.ANNUAL)


class PlanNotApproved(Http404):
    """A draft (or a plan waiting for sign-off) has no PDF."""


def plan_document_context(plan: SupportPlan) -> dict[str, Any]:
    """What the printable plan shows: the lines as agreed (switches made later are the
    line's history, not part of the approved version)."""
    approver = plan.approved_by
    return {
        "plan": plan,
        "person": plan.person,
        "outcomes": list(plan.outcomes.all()),
        "lines": list(plan.lines.select_related("provider", "outcome")),
        "totals": plan_totals(plan),
        "figures": budget_figures(person=plan.person, on=timezone.localdate(), plan=plan),
        "reviews": list(plan.reviews.filter(kind__in=SCHEDULED_REVIEWS).order_by("due_date")),
        "approved_by": (approver.get_full_name() or approver.get_username()) if approver else "",
    }


def plan_document_html(plan: SupportPlan, formats: dict[str, bool] | None = None) -> str:
    return render_to_string(TEMPLATE, {**plan_document_context(plan), **(formats or {})})


def plan_document_in_format(*, plan: SupportPlan, formats: dict[str, bool]) -> bytes:
    """The approved version in a format asked for (large print, easy read first: see
    selfdirect.letter_formats), made afresh each time and not kept: the stored document
    stays the one record of what was approved (the person's recorded needs already shape
    it)."""
    if plan.status not in PRINTABLE:
        raise PlanNotApproved(NO_PDF_UNTIL_APPROVED)
    return pdf_from_html(plan_document_html(plan, formats))


def plan_document_get(*, plan: SupportPlan, actor: User | None = None) -> PlanDocument:
    """The stored PDF of an approved (or since replaced) version, made on first request."""
    if plan.status not in PRINTABLE:
        raise PlanNotApproved(NO_PDF_UNTIL_APPROVED)
    stored = PlanDocument.objects.filter(plan=plan).first()
    if stored is not None:
        return stored
    pdf = pdf_from_html(plan_document_html(plan))
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        with transaction.atomic():
            document = PlanDocument.objects.create(plan=plan, pdf=pdf, sha256=digest)
            event_record(
                actor=actor,
                action=Action.CREATE,
                object_type="plan_document",
                object_id=document.pk,
                person_id=plan.person_id,
                summary=f"Made the PDF of support plan version {plan.version}",
                changes={"SHA-256": [None, digest]},
            )
    except IntegrityError:
        # Two first requests at once: the one stored first is the document.
        return PlanDocument.objects.get(plan=plan)
    return document


def plan_document_filename(plan: SupportPlan) -> str:
    return f"support-plan-{plan.person.la_person_id}-v{plan.version}.pdf"
