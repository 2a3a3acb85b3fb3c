"""Every role × every route × whose record it is → the answer, written out by hand.

The expected answers below are literal data, read from docs/access.md, and NOT from the
access table the code uses (selfdirect.access.rules): widening a role in the code must
make this test fail until someone changes the line here on purpose.

The council is tests/conftest.py's (Ada the holder in team A with a representative, a
consenting carer and a provider; Bea in team B; one user of each role) plus the records
of tests/access/records.py. A record's relation to the user is:

- ``own``: Ada's record (the holder's own; the person the representative represents and
  the carer cares for; the provider's client; in the practitioner's, planner's and
  manager's team);
- ``other``: Bea's record, in team B, linked to no one here (finance sees everyone);
- ``unrelated`` (person records only): Cy, in team A but linked to no holder,
  representative, carer or provider.

Each route has a dict per relation of role → status, with ``"*"`` for every role not
named, so a role added later gets a checked answer. A route with no record has one dict.
Statuses: 200 shown, 302 sent elsewhere (after a POST that worked), 403 the role may not,
404 not found (a record the user may not see answers as if it did not exist).

Methods: a ``page`` is GET only; a ``form`` is GET and POST (the table gives the GET
answer; an empty POST must be refused the same way, or else not refused at all: a form
shown again with its errors is 200); an ``action`` is POST only (the table gives the POST
answer; a GET is refused, see ``ACTION_GET``). A refused request changes nothing.

To add a route: one entry in MATRIX (or API). To add a role: give it an answer where "*"
is not right.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from tests.access.records import records_build
from tests.conftest import Council, council_build

pytestmark = pytest.mark.django_db

Args = Callable[[SimpleNamespace, SimpleNamespace], dict[str, Any]]
Table = dict[str, Any]

# A GET to a POST-only action is refused for every signed-in role, whatever the record.
# (The code answers 403 rather than 405: reported, see the report of the matrix rewrite.)
ACTION_GET: Table = {"*": 403}


@dataclass(frozen=True)
class Route:
    args: Args  # the route's address arguments, from the records of one relation
    method: str  # "page" (GET), "form" (GET and POST) or "action" (POST only)
    expect: Table
    on_get: Table = field(default_factory=lambda: ACTION_GET)  # actions only
    on_post: Table | None = None  # forms only: when a POST is refused where a GET is not


def page(args: Args, expect: Table) -> Route:
    return Route(args, "page", expect)


def form(args: Args, expect: Table, on_post: Table | None = None) -> Route:
    return Route(args, "form", expect, on_post=on_post)


def action(args: Args, expect: Table, on_get: Table = ACTION_GET) -> Route:
    return Route(args, "action", expect, on_get)


# Addresses: which record of the relation each route is about.
def NONE(r: Any, c: Any) -> dict[str, Any]:
    return {}


def PERSON(r: Any, c: Any) -> dict[str, Any]:
    return {"person_id": r.person.pk}


def RELATIONSHIP(r: Any, c: Any) -> dict[str, Any]:
    return {"person_id": r.person.pk, "relationship_id": r.relationship.pk}


def ASSESSMENT(r: Any, c: Any) -> dict[str, Any]:
    return {"assessment_id": r.assessment.pk}


def QUESTION(r: Any, c: Any) -> dict[str, Any]:
    return {"assessment_id": r.assessment.pk, "section_id": "nutrition"}


def ALLOCATION(r: Any, c: Any) -> dict[str, Any]:
    return {"allocation_id": r.allocation.pk}


def MESSAGE(r: Any, c: Any) -> dict[str, Any]:
    return {"message_id": r.message.pk}


def CHALLENGE(r: Any, c: Any) -> dict[str, Any]:
    return {"challenge_id": r.challenge.pk}


def DECIDED_CHALLENGE(r: Any, c: Any) -> dict[str, Any]:
    return {"challenge_id": r.decided_challenge.pk}


def DECIDED_ASSESSMENT(r: Any, c: Any) -> dict[str, Any]:
    return {"assessment_id": r.decided_assessment.pk}


def PANEL_DECISION(r: Any, c: Any) -> dict[str, Any]:
    return {"decision_id": r.panel_decision.pk}


def PLAN(r: Any, c: Any) -> dict[str, Any]:
    return {"plan_id": r.plan.pk}  # the draft


def APPROVED(r: Any, c: Any) -> dict[str, Any]:
    return {"plan_id": r.approved.pk}


def APPROVED_LINE(r: Any, c: Any) -> dict[str, Any]:
    return {"plan_id": r.approved.pk, "line_id": r.approved_line.pk}


def LINE(r: Any, c: Any) -> dict[str, Any]:
    return {"plan_id": r.plan.pk, "line_id": r.line.pk}  # a line of the draft


def OUTCOME(r: Any, c: Any) -> dict[str, Any]:
    return {"plan_id": r.plan.pk, "outcome_id": r.outcome.pk}  # an outcome of the draft


def SWITCH(r: Any, c: Any) -> dict[str, Any]:
    return {"plan_id": r.approved.pk, "switch_id": r.switch.pk}


def PROPOSAL(r: Any, c: Any) -> dict[str, Any]:
    return {"plan_id": r.plan.pk, "proposal_id": r.proposal.pk}  # a suggestion for the draft


def REVIEW(r: Any, c: Any) -> dict[str, Any]:
    return {"review_id": r.review.pk}


def POOL(r: Any, c: Any) -> dict[str, Any]:
    return {"pool_id": r.pool.pk}


def SHARE(r: Any, c: Any) -> dict[str, Any]:
    return {"pool_id": r.pool.pk, "share_id": r.share.pk}


def NOTICE(r: Any, c: Any) -> dict[str, Any]:
    return {"notice_id": r.notice.pk}


def RECOVERY_CASE(r: Any, c: Any) -> dict[str, Any]:
    return {"case_id": r.recovery_case.pk}


def RECOVERY_LETTER(r: Any, c: Any) -> dict[str, Any]:
    return {"case_id": r.recovery_case.pk, "kind": "opening"}


def CHANGE_REQUEST(r: Any, c: Any) -> dict[str, Any]:
    return {"request_id": r.change_request.pk}  # waiting for a decision


def CLOSURE(r: Any, c: Any) -> dict[str, Any]:
    return {"closure_id": c.closure.pk}


def BUDDY_OFFER(r: Any, c: Any) -> dict[str, Any]:
    return {"offer_id": r.buddy_offer.pk}


def BUDDY_REQUEST(r: Any, c: Any) -> dict[str, Any]:
    return {"request_id": r.buddy_request.pk}


def BUDDY_LINK(r: Any, c: Any) -> dict[str, Any]:
    return {"link_id": r.buddy_link.pk}


def PEER_SERVICE(r: Any, c: Any) -> dict[str, Any]:
    return {"person_id": r.person.pk, "service_id": r.peer_service.pk}


def PEER_REFERRAL(r: Any, c: Any) -> dict[str, Any]:
    return {"referral_id": r.peer_referral.pk}


def REFERRAL(r: Any, c: Any) -> dict[str, Any]:
    return {"assessment_id": r.assessment.pk, "referral_id": r.referral.pk}


def CONTACT(r: Any, c: Any) -> dict[str, Any]:
    return {"contact_id": r.contact.pk}


def CASE_NOTE(r: Any, c: Any) -> dict[str, Any]:
    return {"note_id": r.case_note.pk}


def FINANCIAL_ASSESSMENT(r: Any, c: Any) -> dict[str, Any]:
    return {"assessment_id": r.financial_assessment.pk}  # outstanding


def DIRECT_PAYMENT(r: Any, c: Any) -> dict[str, Any]:
    return {"agreement_id": r.direct_payment.pk}


def FUND_AGREEMENT(r: Any, c: Any) -> dict[str, Any]:
    return {"agreement_id": r.fund_agreement.pk}


def STATEMENT(r: Any, c: Any) -> dict[str, Any]:
    return {"statement_id": r.statement.pk}


def FLAG(r: Any, c: Any) -> dict[str, Any]:
    return {"flag_id": r.flag.pk}


def INVOICE(r: Any, c: Any) -> dict[str, Any]:
    return {"invoice_id": r.invoice.pk}


def ASSISTANT(r: Any, c: Any) -> dict[str, Any]:
    return {"assistant_id": r.assistant.pk}


def TIMESHEET(r: Any, c: Any) -> dict[str, Any]:
    return {"timesheet_id": r.timesheet.pk}  # entered, not yet approved


def PA_LINK(r: Any, c: Any) -> dict[str, Any]:
    return {"link_id": r.pa_link.pk}  # working


def PA_TOKEN(r: Any, c: Any) -> dict[str, Any]:
    return {"token": r.pa_token}  # the PA's own link: the token is the key, not a sign-in


def JOB(r: Any, c: Any) -> dict[str, Any]:
    return {"job_id": c.job.pk}  # the data protection officer's, done, with its file


def CLD_EXPORT(r: Any, c: Any) -> dict[str, Any]:
    return {"export_id": c.cld_export.pk}  # a kept return naming the holder in its report


def PAYMENT_RUN(r: Any, c: Any) -> dict[str, Any]:
    return {"run_id": c.payment_run.pk}  # paid, prepared and approved by other officers


def REMITTANCE(r: Any, c: Any) -> dict[str, Any]:
    return {"run_id": c.payment_run.pk, "provider_id": c.provider.pk}


def PAYMENT_LINE(r: Any, c: Any) -> dict[str, Any]:
    return {"run_id": c.payment_run.pk, "line_id": c.payment_run.lines.get().pk}


def PAYMENT_PROBLEM(r: Any, c: Any) -> dict[str, Any]:
    return {"problem_id": c.payment_problem.pk}  # recorded by another officer


def USER(r: Any, c: Any) -> dict[str, Any]:
    return {"user_id": c.user.pk}


def TEAM(r: Any, c: Any) -> dict[str, Any]:
    return {"team_id": c.team.pk}


def TOKEN(r: Any, c: Any) -> dict[str, Any]:
    return {"token_id": c.token.pk}  # the holder's


def ROLE_CHANGE(r: Any, c: Any) -> dict[str, Any]:
    return {"change_id": c.role_change.pk}  # asked for by another administrator


def RESET_LINK(r: Any, c: Any) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "set-password"}  # an expired link: the page says so


def RAS(r: Any, c: Any) -> dict[str, Any]:
    return {"version_id": c.ras_version.pk}


def Q_REQUEST(r: Any, c: Any) -> dict[str, Any]:
    return {"request_id": c.questionnaire_request.pk}  # asked for by another administrator


def RAS_REQUEST(r: Any, c: Any) -> dict[str, Any]:
    return {"request_id": c.ras_request.pk}  # asked for by another administrator


def SCENARIO(r: Any, c: Any) -> dict[str, Any]:
    return {"scenario_id": c.scenario.pk}  # saved by the commissioner


def DRAFT(r: Any, c: Any) -> dict[str, Any]:
    return {"version_id": c.draft.pk}


def DRAFT_SECTION(r: Any, c: Any) -> dict[str, Any]:
    return {"version_id": c.draft.pk, "section_id": "nutrition"}


def DIRECTORY_SERVICE(r: Any, c: Any) -> dict[str, Any]:
    return {"service_id": r.directory_service.pk}


def SERVICE_REVIEW(r: Any, c: Any) -> dict[str, Any]:
    return {"review_id": r.service_review.pk}


def WAITING_REVIEW(r: Any, c: Any) -> dict[str, Any]:
    return {"review_id": r.waiting_review.pk}


def DIRECTORY_LOCATION(r: Any, c: Any) -> dict[str, Any]:
    return {"location_id": r.directory_service.at_locations.get().location_id}


def DIRECTORY_TERM(r: Any, c: Any) -> dict[str, Any]:
    from selfdirect.directory.models import TaxonomyTerm

    term, _ = TaxonomyTerm.objects.get_or_create(name=f"Term of {r.directory_service.name}")
    return {"term_id": term.pk}


def LISTING_CHANGE(r: Any, c: Any) -> dict[str, Any]:
    return {"change_id": r.listing_change.pk}


def PREVIEW(r: Any, c: Any) -> dict[str, Any]:
    return {"version_id": c.draft.pk, "number": 2}


def CAMPAIGN(r: Any, c: Any) -> dict[str, Any]:
    return {"campaign_id": c.campaign.pk}


def REMINDER_BATCH(r: Any, c: Any) -> dict[str, Any]:
    """A batch of the campaign's reminder letters, holding Ada's and Bea's letters."""
    from django.utils import timezone

    from selfdirect.surveys.models import LetterBatch

    batch = c.campaign.letter_batches.first() or LetterBatch.objects.create(
        campaign=c.campaign, printed_by=c.campaign.created_by, printed_at=timezone.now(), letters=2
    )
    batch.invitations.add(*c.campaign.invitations.all())
    return {"campaign_id": c.campaign.pk, "batch_id": batch.pk}


def INVITATION(r: Any, c: Any) -> dict[str, Any]:
    return {"invitation_id": r.invitation.pk}


def INVITATION_PAGE(r: Any, c: Any) -> dict[str, Any]:
    return {"invitation_id": r.invitation.pk, "number": 1}


def PAPER(r: Any, c: Any) -> dict[str, Any]:
    return {"reference": "MATR-IXAA"}


def PAPER_PAGE(r: Any, c: Any) -> dict[str, Any]:
    return {"reference": "MATR-IXAA", "number": 1}


def HELP_TOPIC(r: Any, c: Any) -> dict[str, Any]:
    return {"topic": "ways-to-hold-a-budget"}


def GUIDE(r: Any, c: Any) -> dict[str, Any]:
    return {"role": "holder"}


ADMIN_ONLY: Table = {"admin": 200, "*": 403}

# fmt: off
MATRIX: dict[str, Route] = {
    # Public pages, signing in and out, home.
    "start": page(NONE, {"*": 302}),  # signed in: on to home
    "accessibility": page(NONE, {"*": 200}),
    "healthz": page(NONE, {"*": 200}),  # the load balancer's health check
    "cookies": page(NONE, {"*": 200}),
    "carers_information": page(NONE, {"*": 200}),  # a general guide for carers (issue 13)
    # Help and information, and the guides to the website (issue 13): no one's record.
    "help": page(NONE, {"*": 200}),
    "help_topic": page(HELP_TOPIC, {"*": 200}),
    "guide": page(GUIDE, {"*": 200}),
    "privacy": page(NONE, {"*": 200}),
    "login": form(NONE, {"*": 302}),  # signed in: on to home
    "logout": action(NONE, {"*": 302}, on_get={"*": 405}),
    "home": page(NONE, {"*": 200}),
    "work_queues": page(NONE, {"manager": 200, "*": 403}),
    "caseload_statistics": page(NONE, {"manager": 200, "commissioner": 200, "admin": 200, "*": 403}),
    # People.
    "people:list": page(NONE, {"practitioner": 200, "manager": 200, "planner": 200, "provider": 200, "finance": 200, "*": 403}),
    "people:new": form(NONE, {"practitioner": 200, "manager": 200, "*": 403}),
    "people:import": form(NONE, {"admin": 200, "*": 403}),
    "people:detail": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "provider": 302, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "provider": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "provider": 404, "finance": 200, "*": 403},
    }),
    "people:edit": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    "people:history": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "*": 403},
    }),
    "people:relationship_new": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    "people:relationship_end": form(RELATIONSHIP, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    "people:consent_new": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    "people:named_worker": form(PERSON, {
        "own": {"manager": 200, "*": 403},
        "other": {"manager": 404, "*": 403},
        "unrelated": {"manager": 200, "*": 403},
    }),
    "assessment:referral": form(REFERRAL, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    # The front door and case notes (docs/access.md, "Casework"). The person and their
    # representative read the notes shared with them; only staff write.
    "casework:queue": page(NONE, {"practitioner": 200, "manager": 200, "*": 403}),
    "casework:contact_new": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    "casework:contact": form(CONTACT, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "casework:contact_start": action(CONTACT, {
        "own": {"practitioner": 302, "manager": 302, "*": 403},  # not referred: sent back, told why
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "casework:notes": form(PERSON, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
    }, on_post={
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
    }),
    "casework:carer_offer": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    "casework:note_edit": form(CASE_NOTE, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    # Assessments. The carer sees only their own carer's assessment, not Ada's.
    "assessment:start": form(NONE, {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403}),
    "assessment:start_for_person": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    "assessment:detail": page(ASSESSMENT, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    # A planner sees the answers but does not give them (or send the assessment in).
    "assessment:question": form(QUESTION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }, on_post={
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 403, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "assessment:check": form(ASSESSMENT, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }, on_post={
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 403, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "assessment:submitted": page(ASSESSMENT, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "assessment:review": form(QUESTION, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "assessment:agree": action(ASSESSMENT, {
        "own": {"practitioner": 302, "manager": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "assessment:eligibility": form(ASSESSMENT, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    # The eligibility decision letter: as for the assessment.
    "assessment:eligibility_letter": page(DECIDED_ASSESSMENT, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    # Indicative budgets and asking to look again.
    "allocation:calculate": form(ASSESSMENT, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "allocation:detail": page(ALLOCATION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "allocation:letter": page(ALLOCATION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "allocation:sign_off": form(ALLOCATION, {
        "own": {"manager": 200, "*": 403},
        "other": {"manager": 404, "*": 403},
    }),
    "allocation:challenge_new": form(ALLOCATION, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    "allocation:challenge_log": form(ALLOCATION, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "allocation:challenge_decide": form(CHALLENGE, {
        "own": {"manager": 200, "*": 403},
        "other": {"manager": 404, "*": 403},
    }),
    # The letter with the decision on a request to look again: as for the budget.
    "allocation:challenge_letter": page(DECIDED_CHALLENGE, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "allocation:refer_to_panel": form(ALLOCATION, {
        "own": {"manager": 200, "*": 403},
        "other": {"manager": 404, "*": 403},
    }),
    "allocation:panel_queue": page(NONE, {"manager": 200, "*": 403}),
    "allocation:panel_decide": form(ALLOCATION, {
        "own": {"manager": 200, "*": 403},
        "other": {"manager": 404, "*": 403},
    }),
    "allocation:panel_decision": page(PANEL_DECISION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "allocation:panel_letter": page(PANEL_DECISION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "allocation:whatif": form(NONE, {"commissioner": 200, "admin": 200, "*": 403}),
    # The market oversight dashboard and its CSV: figures only, for managers and commissioners.
    "market:dashboard": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "market:dashboard_csv": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    # Statutory returns: ASCOF figures for managers and commissioners; the CLD return, which
    # names everyone in it, for the commissioner or analyst only.
    "returns:ascof": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "returns:ascof_csv": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "returns:cld": form(NONE, {"commissioner": 200, "*": 403}),
    "returns:cld_export": page(CLD_EXPORT, {"commissioner": 200, "*": 403}),
    "returns:cld_download": page(CLD_EXPORT, {"commissioner": 200, "*": 403}),
    "returns:cld_report_download": page(CLD_EXPORT, {"commissioner": 200, "*": 403}),
    # The POET outcome reports and their downloads: figures only, for managers and commissioners.
    "evaluation:outcomes": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "evaluation:outcomes_csv": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "evaluation:outcomes_xlsx": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "evaluation:outcomes_pdf": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "evaluation:carers": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "evaluation:carers_csv": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "evaluation:carers_xlsx": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "evaluation:carers_pdf": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    # The IBSEN outcomes and cost-effectiveness reports and their downloads: figures only,
    # for commissioners and analysts.
    "ibsen:outcomes": page(NONE, {"commissioner": 200, "*": 403}),
    "ibsen:outcomes_download": page(lambda r, c: {"fmt": "csv"}, {"commissioner": 200, "*": 403}),
    "ibsen:cost_effectiveness": page(NONE, {"commissioner": 200, "*": 403}),
    "ibsen:cost_effectiveness_download": page(
        lambda r, c: {"fmt": "xlsx"}, {"commissioner": 200, "*": 403}
    ),
    # Survey campaigns (docs/surveys.md): figures only, for commissioners and team managers;
    # a team manager prints the letters of their teams' people; both key in paper returns
    # by the reference on the letter (the paper in hand; no name is shown).
    "surveys:campaigns": page(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "surveys:campaign_new": form(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "surveys:campaign": page(CAMPAIGN, {"manager": 200, "commissioner": 200, "*": 403}),
    "surveys:campaign_close": action(CAMPAIGN, {"manager": 302, "commissioner": 302, "*": 403}),
    "surveys:letters": page(CAMPAIGN, {"manager": 200, "*": 403}),
    # No reminder letter is due in the matrix's campaign: back to its page, saying so.
    "surveys:reminder_letters": action(CAMPAIGN, {"manager": 302, "*": 403}),
    # A batch shows each manager the letters of their own teams' people only.
    "surveys:reminder_batch": page(REMINDER_BATCH, {"manager": 200, "*": 403}),
    "surveys:paper": form(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "surveys:paper_who": form(PAPER, {"manager": 200, "commissioner": 200, "*": 403}),
    "surveys:paper_page": form(
        PAPER_PAGE,
        {"manager": 200, "commissioner": 200, "*": 403},
        on_post={"manager": 302, "commissioner": 302, "*": 403},
    ),
    "surveys:paper_check": form(PAPER, {"manager": 200, "commissioner": 200, "*": 403}),
    "surveys:paper_decline": form(
        PAPER,
        {"manager": 200, "commissioner": 200, "*": 403},
        on_post={"manager": 302, "commissioner": 302, "*": 403},
    ),
    # Answering an invitation: the person's own (a representative for the person they act
    # for: the "who is answering" question is skipped, they answer on the person's behalf).
    # A carer answers only their own (the carers' survey), never the person's.
    "surveys:start": page(INVITATION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }),
    "surveys:who": form(INVITATION, {
        "own": {"holder": 200, "representative": 302, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }),
    "surveys:page": form(INVITATION_PAGE, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }, on_post={
        "own": {"holder": 302, "representative": 302, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }),
    "surveys:check": form(INVITATION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }),
    "surveys:decline": form(INVITATION, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }, on_post={
        "own": {"holder": 302, "representative": 302, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }),
    # Saved what-if scenarios: figures only, for everyone who may use the what-if; only the
    # one who saved a scenario may delete it.
    "allocation:scenarios": page(NONE, {"commissioner": 200, "admin": 200, "*": 403}),
    "allocation:scenario": page(SCENARIO, {"commissioner": 200, "admin": 200, "*": 403}),
    "allocation:scenario_delete": action(SCENARIO, {"commissioner": 302, "*": 403}),
    "allocation:calibration": form(NONE, {"commissioner": 200, "admin": 200, "*": 403}),
    # Support plans. A carer whom the person consents to share their record with reads the
    # plan (with its contingency), its reviews and notices, and asks for a review (issue 13);
    # budgets stay with the person (the carer reads only their own carer's budget).
    "planning:new": form(ALLOCATION, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:detail": page(PLAN, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "planning:pdf": page(APPROVED, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "planning:outcome_new": form(PLAN, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:outcome_own": form(PLAN, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    # Co-producing the draft (decision 0039): the person or their representative suggests
    # support; the person's team adds a suggestion to the plan or answers it.
    "planning:support_own": form(PLAN, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    "planning:proposal_accept": form(PROPOSAL, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:proposal_answer": form(PROPOSAL, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:line_new": form(PLAN, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:line_edit": form(LINE, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:line_remove": form(LINE, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:outcome_edit": form(OUTCOME, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:outcome_remove": form(OUTCOME, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:safeguarding": form(PLAN, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:submit": action(PLAN, {
        "own": {"practitioner": 302, "manager": 302, "planner": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:approve": action(PLAN, {
        "own": {"practitioner": 302, "manager": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "planning:revise": action(APPROVED, {
        "own": {"practitioner": 302, "manager": 302, "planner": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:line_switch": form(APPROVED_LINE, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:switch_undo": action(SWITCH, {
        "own": {"practitioner": 302, "manager": 302, "planner": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:review_request": form(APPROVED, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:reviews": page(NONE, {"practitioner": 200, "manager": 200, "planner": 200, "*": 403}),
    "planning:review_detail": page(REVIEW, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "planning:review": form(REVIEW, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "planning:contribution_new": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "finance": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "finance": 200, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "finance": 200, "*": 403},
    }),
    "planning:streams": page(NONE, {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "commissioner": 200, "admin": 200, "*": 403}),
    # How a budget is held: pools, notices, agreements and statements.
    "budgets:pools": page(NONE, {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403}),
    "budgets:pool_new": form(NONE, {"practitioner": 200, "manager": 200, "planner": 200, "*": 403}),
    "budgets:pool": page(POOL, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "budgets:pool_share_new": form(POOL, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "budgets:pool_share_end": action(SHARE, {
        "own": {"practitioner": 302, "manager": 302, "planner": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "budgets:notice_new": form(APPROVED, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "budgets:notice": page(NOTICE, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "budgets:notice_letter": page(NOTICE, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "budgets:notice_withdraw": action(NOTICE, {
        "own": {"practitioner": 302, "manager": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    # A person's ledger, read only (docs/access.md): finance sees everyone; the team its people.
    # Messages: the reader's own; what was sent about a person, for their staff.
    "notify:inbox": page(NONE, {"holder": 200, "representative": 200, "carer": 200, "*": 403}),
    "notify:message": page(MESSAGE, {
        "own": {"holder": 200, "representative": 404, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
    }),
    "notify:person": page(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
    }),
    "ledger:person": page(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    # 'Your money' (docs/access.md): the holder's own and the representative's; not a carer's.
    # Its statements also for those who see the ledger (finance: everyone; the team: its people).
    "money:choose": page(NONE, {"holder": 302, "representative": 302, "*": 403}),  # one person: on to theirs
    "money:spending": page(NONE, {"*": 200}),  # a general guide
    "money:person": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "*": 403},
    }),
    "money:statement": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    "money:statement_pdf": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    "money:statement_csv": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    # Recovery of a direct payment surplus (docs/recovery.md): finance works every case;
    # the person's team reads it; a team manager decides an appeal; the holder and their
    # representative read their case, explain and appeal; letters for all of them.
    "recovery:cases": page(NONE, {"finance": 200, "*": 403}),
    "recovery:case_new": form(PERSON, {
        "own": {"finance": 200, "*": 403},
        "other": {"finance": 200, "*": 403},
        "unrelated": {"finance": 200, "*": 403},
    }),
    "recovery:case": page(RECOVERY_CASE, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    "recovery:letter_send": action(RECOVERY_CASE, {
        "own": {"finance": 302, "*": 403},
        "other": {"finance": 302, "*": 403},
    }),
    **{
        f"recovery:{step}": form(RECOVERY_CASE, {
            "own": {"finance": 200, "*": 403},
            "other": {"finance": 200, "*": 403},
        })
        for step in ("explanation", "adjustments", "decide", "plan")
    },
    "recovery:appeal_decide": form(RECOVERY_CASE, {
        "own": {"manager": 200, "*": 403},
        "other": {"manager": 404, "*": 403},
    }),
    "recovery:letter": page(RECOVERY_LETTER, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    **{
        f"recovery:{page_name}": (page if page_name == "yours" else form)(RECOVERY_CASE, {
            "own": {"holder": 200, "representative": 200, "*": 403},
            "other": {"holder": 404, "representative": 404, "*": 403},
        })
        for page_name in ("yours", "your_explanation", "your_appeal")
    },
    # Requests to change a provider or how a line is held (docs/changes.md): the person,
    # their representative and their team ask and read; a practitioner or manager of the
    # team decides; not a carer, a provider or finance. A team manager marks a provider as
    # closing; a provider reads the switches its organisation is part of.
    "changes:queue": page(NONE, {"practitioner": 200, "manager": 200, "*": 403}),
    **{
        f"changes:{name}": (page if name == "person" else form)(PERSON, {
            "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
            "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
            "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        })
        for name in ("person", "ask")
    },
    "changes:request": page(CHANGE_REQUEST, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "changes:decide": form(CHANGE_REQUEST, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "changes:closures": page(NONE, {"manager": 200, "*": 403}),
    "changes:closure_new": form(NONE, {"manager": 200, "*": 403}),
    "changes:closure": page(CLOSURE, {"manager": 200, "*": 403}),
    "changes:provider_notices": page(NONE, {"provider": 200, "*": 403}),
    # Peer support (docs/peer-support.md): the person's side (a carer for their own record,
    # never the cared-for person's) and their team read and ask; an experienced holder or
    # their representative offers; only the two sides agree or withdraw; a practitioner or
    # manager matches; a support organisation reads and answers the referrals made to it.
    "peers:coordinate": page(NONE, {"practitioner": 200, "manager": 200, "*": 403}),
    **{
        f"peers:{name}": (page if name in ("person", "support") else form)(PERSON, {
            "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "*": 403},
            "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "*": 403},
            "unrelated": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 200, "manager": 200, "*": 403},
        })
        for name in ("person", "ask", "support")
    },
    "peers:offer": form(PERSON, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "*": 403},
    }),
    "peers:refer": form(PEER_SERVICE, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "*": 403},
    }),
    **{
        f"peers:{name}": action(args, {
            "own": {"holder": 302, "representative": 302, "carer": 404, "*": 403},
            "other": {"holder": 404, "representative": 404, "carer": 404, "*": 403},
        })
        for name, args in (("offer_withdraw", BUDDY_OFFER), ("request_withdraw", BUDDY_REQUEST))
    },
    "peers:match": form(BUDDY_REQUEST, {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    "peers:link": form(BUDDY_LINK, {
        "own": {"holder": 200, "representative": 200, "carer": 404, "practitioner": 200, "manager": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "*": 403},
    }, on_post={
        "own": {"holder": 302, "representative": 302, "carer": 404, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "*": 403},
    }),
    "peer_referrals:list": page(NONE, {"provider": 200, "*": 403}),
    "peer_referrals:decide": form(PEER_REFERRAL, {
        "own": {"provider": 200, "*": 403},
        "other": {"provider": 404, "*": 403},
    }),
    # The financial assessment (docs/charging.md): finance (everyone) and the person's team
    # assess; the person and their representative see the result and its letter.
    "charging:person": page(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "finance": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "finance": 200, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "finance": 200, "*": 403},
    }),
    "charging:start": action(PERSON, {
        "own": {"practitioner": 302, "manager": 302, "finance": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "finance": 302, "*": 403},
        "unrelated": {"practitioner": 302, "manager": 302, "finance": 302, "*": 403},
    }),
    "charging:detail": page(FINANCIAL_ASSESSMENT, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "finance": 200, "*": 403},
    }),
    "charging:letter": page(FINANCIAL_ASSESSMENT, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "finance": 200, "*": 403},
    }),
    **{
        name: form(FINANCIAL_ASSESSMENT, {
            "own": {"practitioner": 200, "manager": 200, "finance": 200, "*": 403},
            "other": {"practitioner": 404, "manager": 404, "finance": 200, "*": 403},
        })
        for name in ("charging:fill", "charging:defer", "charging:light_touch", "charging:complete")
    },
    "charging:rates": form(NONE, {"finance": 200, "admin": 200, "*": 403}),
    # Monitoring of direct payments (docs/access.md): finance's list, sample and decisions;
    # the team's and finance's view of a person's tier and risk; statements uploaded by the
    # holder, representative, support organisation or finance, explained by the person.
    "monitoring:list": page(NONE, {"finance": 200, "*": 403}),
    "monitoring:sample": action(NONE, {"finance": 302, "*": 403}),
    "monitoring:person": page(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    "monitoring:risk": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "finance": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "finance": 200, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "finance": 200, "*": 403},
    }),
    "monitoring:statements": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "provider": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "provider": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "provider": 404, "finance": 200, "*": 403},
    }),
    "monitoring:upload": form(PERSON, {
        "own": {"holder": 200, "representative": 200, "provider": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "provider": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "provider": 404, "finance": 200, "*": 403},
    }),
    "monitoring:statement": page(STATEMENT, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "provider": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "provider": 404, "finance": 200, "*": 403},
    }),
    "monitoring:explain": form(FLAG, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    "monitoring:decide": action(FLAG, {
        "own": {"finance": 302, "*": 403},
        "other": {"finance": 302, "*": 403},
    }),
    # Personal-assistant employers (docs/pa-employers.md): the person and their
    # representative keep the records; the person's team (practitioners and managers) reads
    # them; finance only as the link person of the person's direct payment agreement (none
    # here: see tests/employers); no carer, planner or provider.
    **{
        name: page(args, {
            "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "finance": 404, "*": 403},
            "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "finance": 404, "*": 403},
            **({"unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "finance": 404, "*": 403}} if args is PERSON else {}),
        })
        for name, args in (
            ("employers:person", PERSON),
            ("employers:true_cost", PERSON),
            ("employers:payroll_csv", PERSON),
            ("employers:assistant", ASSISTANT),
        )
    },
    **{
        name: form(args, {
            "own": {"holder": 200, "representative": 200, "*": 403},
            "other": {"holder": 404, "representative": 404, "*": 403},
            **({"unrelated": {"holder": 404, "representative": 404, "*": 403}} if args is PERSON else {}),
        })
        for name, args in (
            ("employers:assistant_new", PERSON),
            ("employers:insurance", PERSON),
            ("employers:timesheet_new", PERSON),
            ("employers:assistant_edit", ASSISTANT),
            ("employers:training_new", ASSISTANT),
        )
    },
    "employers:timesheet_approve": action(TIMESHEET, {
        "own": {"holder": 302, "representative": 302, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    # The PA's own timesheet link (decision 0054): the person or their representative makes
    # and stops it, and sends a timesheet back; the link itself is the key to its page, for
    # whoever holds it, signed in or not (ANONYMOUS): an empty POST is shown its errors.
    "employers:timesheet_send_back": form(TIMESHEET, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    "employers:pa_link": form(ASSISTANT, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    "employers:pa_link_revoke": action(PA_LINK, {
        "own": {"holder": 302, "representative": 302, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
    }),
    "employers:pa_timesheet": form(PA_TOKEN, {"own": {"*": 200}, "other": {"*": 200}}),
    # The tax years' rates for the true cost: finance and administrators (no one's record).
    "employers:rates": form(NONE, {"finance": 200, "admin": 200, "*": 403}),
    # Payment runs (docs/payments.md): finance only. Approving or paying a run that is
    # already paid is refused with a message, back to the run's page.
    "payments:runs": form(NONE, {"finance": 200, "*": 403}),
    "payments:run": page(PAYMENT_RUN, {"finance": 200, "*": 403}),
    "payments:run_approve": action(PAYMENT_RUN, {"finance": 302, "*": 403}),
    "payments:run_execute": action(PAYMENT_RUN, {"finance": 302, "*": 403}),
    "payments:run_csv": page(PAYMENT_RUN, {"finance": 200, "*": 403}),
    "payments:run_bacs": page(PAYMENT_RUN, {"finance": 200, "*": 403}),
    # Making a paid run's files (already made here): refused with a message, back to the run.
    "payments:run_files": action(PAYMENT_RUN, {"finance": 302, "*": 403}),
    "payments:run_remittance": page(REMITTANCE, {"finance": 200, "*": 403}),
    # Payment problems: finance only. The matrix's payment was sent back because the holder
    # died: recording it again is refused on the form (200); paying it again is refused
    # with a message, back to the run (302).
    "payments:problem_record": form(PAYMENT_LINE, {"finance": 200, "*": 403}),
    "payments:returns_upload": form(PAYMENT_RUN, {"finance": 200, "*": 403}),
    "payments:problem_repay": action(PAYMENT_PROBLEM, {"finance": 302, "*": 403}),
    # Marking a returned payment "do not pay again": a form, finance only.
    "payments:problem_stop": form(PAYMENT_PROBLEM, {"finance": 200, "*": 403}),
    # The bank file of a payment made again: not paid again here, so back to the run (302).
    "payments:problem_csv": page(PAYMENT_PROBLEM, {"finance": 302, "*": 403}),
    "payments:problem_bacs": page(PAYMENT_PROBLEM, {"finance": 302, "*": 403}),
    # Contributions invoiced to a person, and recording one received: finance only.
    "payments:contributions": form(PERSON, {
        "own": {"finance": 200, "*": 403},
        "other": {"finance": 200, "*": 403},
        "unrelated": {"finance": 200, "*": 403},
    }),
    "payments:run_reconciliation": page(PAYMENT_RUN, {"finance": 200, "*": 403}),
    # A person's payment dates: the person, their representative, their team and finance.
    # Setting a budget's payment schedule: the person's team and finance.
    "payments:schedule": form(PERSON, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    "payments:dates": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    # A consented carer reads how the budget is held, without the money's details (0039).
    "budgets:holding": page(APPROVED, {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "provider": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "provider": 404, "finance": 200, "*": 403},
    }),
    "budgets:direct_payment_new": form(APPROVED, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "budgets:direct_payment_end": action(DIRECT_PAYMENT, {
        "own": {"practitioner": 302, "manager": 302, "planner": 302, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "budgets:fund_agreement_new": form(APPROVED, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "budgets:fund_agreement_agree": form(FUND_AGREEMENT, {
        "own": {"holder": 200, "representative": 200, "provider": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "provider": 404, "*": 403},
    }),
    "budgets:fund_statement_new": form(FUND_AGREEMENT, {
        "own": {"provider": 200, "finance": 200, "*": 403},
        "other": {"provider": 404, "finance": 200, "*": 403},
    }),
    # Provider invoices (docs/invoices.md): sent by providers for the people they support,
    # decided and paid by finance, who sees every one.
    "invoices:list": page(NONE, {"provider": 200, "finance": 200, "*": 403}),
    "invoices:new": form(NONE, {"provider": 200, "*": 403}),
    "invoices:new_for": form(PERSON, {
        "own": {"provider": 200, "*": 403},
        "other": {"provider": 404, "*": 403},
        "unrelated": {"provider": 404, "*": 403},
    }),
    "invoices:upload": form(NONE, {"provider": 200, "*": 403}),
    # The provider's own pages (docs/provider-guide.md, issue 13): its staff only; a person's
    # page only for the people it supports today (Ada); anyone else is not found.
    "provider:home": page(NONE, {"provider": 200, "*": 403}),
    "provider:person": page(PERSON, {
        "own": {"provider": 200, "*": 403},
        "other": {"provider": 404, "*": 403},
        "unrelated": {"provider": 404, "*": 403},
    }),
    "provider:statements": page(NONE, {"provider": 200, "*": 403}),
    "provider:guide": page(NONE, {"provider": 200, "*": 403}),
    "invoices:detail": page(INVOICE, {
        "own": {"provider": 200, "finance": 200, "*": 403},
        "other": {"provider": 404, "finance": 200, "*": 403},
    }),
    "invoices:approve": form(INVOICE, {
        "own": {"finance": 200, "*": 403},
        "other": {"finance": 200, "*": 403},
    }),
    "invoices:reject": form(INVOICE, {
        "own": {"finance": 200, "*": 403},
        "other": {"finance": 200, "*": 403},
    }),
    "invoices:pay": form(INVOICE, {
        "own": {"finance": 200, "*": 403},
        "other": {"finance": 200, "*": 403},
    }),
    # Administrators: users and teams, questionnaires, RAS versions (council-wide, no person).
    "access:users": page(NONE, ADMIN_ONLY),
    "access:user_new": form(NONE, ADMIN_ONLY),
    "access:user": form(USER, ADMIN_ONLY),
    "access:user_password": form(USER, ADMIN_ONLY),
    "access:user_active": action(USER, {"admin": 302, "*": 403}, on_get={"admin": 302, "*": 403}),
    "access:teams": page(NONE, ADMIN_ONLY),
    "access_admin:tokens": page(NONE, ADMIN_ONLY),
    "access_admin:role_changes": page(NONE, ADMIN_ONLY),
    "access_admin:role_change_confirm": action(ROLE_CHANGE, {"admin": 302, "*": 403}),
    "access_admin:role_change_refuse": action(ROLE_CHANGE, {"admin": 302, "*": 403}),
    # One's own account: everyone signed in, about themselves only.
    "account": page(NONE, {"*": 200}),
    "password_change": form(NONE, {"*": 200}),
    "password_change_done": page(NONE, {"*": 200}),
    "password_reset": form(NONE, {"*": 200}),
    "password_reset_done": page(NONE, {"*": 200}),
    "password_reset_confirm": page(RESET_LINK, {"*": 200}),
    "password_reset_complete": page(NONE, {"*": 200}),
    "two_factor": page(NONE, {"*": 200}),
    "two_factor_setup": form(NONE, {"*": 200}),
    "two_factor_codes": page(NONE, {"*": 200}),
    "two_factor_verify": form(NONE, {"*": 302}),  # nothing to verify: on to home
    "two_factor_recovery": form(NONE, {"*": 302}),
    "two_factor_off": action(NONE, {"*": 302}, on_get={"*": 405}),
    "tokens:list": form(NONE, {"*": 200}),
    # Only the holder's own token, or an administrator, reaches it; to others it does not exist.
    "tokens:revoke": action(TOKEN, {"holder": 302, "admin": 302, "*": 404}),
    # Who has looked at a record: the person and their representatives.
    "record_looks_choose": page(NONE, {"holder": 200, "representative": 200, "*": 403}),
    "record_looks": page(PERSON, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "*": 403},
    }),
    # The data protection officer's audit trails: anyone's, and no one else may.
    "audit_trail:person": page(NONE, {"dpo": 200, "*": 403}),
    "audit_trail:staff": page(NONE, {"dpo": 200, "*": 403}),
    "audit_trail:person_csv": page(PERSON, {
        "own": {"dpo": 200, "*": 403},
        "other": {"dpo": 200, "*": 403},
        "unrelated": {"dpo": 200, "*": 403},
    }),
    "audit_trail:person_record": page(PERSON, {
        "own": {"dpo": 200, "*": 403},
        "other": {"dpo": 200, "*": 403},
        "unrelated": {"dpo": 200, "*": 403},
    }),
    "audit_trail:staff_csv": page(USER, {"dpo": 200, "*": 403}),
    # The same exports started as background jobs: on to the job's page.
    "audit_trail:person_csv_start": action(PERSON, {
        "own": {"dpo": 302, "*": 403},
        "other": {"dpo": 302, "*": 403},
        "unrelated": {"dpo": 302, "*": 403},
    }),
    "audit_trail:person_record_start": action(PERSON, {
        "own": {"dpo": 302, "*": 403},
        "other": {"dpo": 302, "*": 403},
        "unrelated": {"dpo": 302, "*": 403},
    }),
    "audit_trail:staff_csv_start": action(USER, {"dpo": 302, "*": 403}),
    # Background jobs: everyone has a list of their own; a job is its starter's only
    # (anyone else, the administrator too: 404, as if it did not exist).
    "jobs:list": page(NONE, {"*": 200}),
    "jobs:detail": page(JOB, {"dpo": 200, "*": 404}),
    "jobs:download": page(JOB, {"dpo": 200, "*": 404}),
    "access:team_new": form(NONE, ADMIN_ONLY),
    "access:team": form(TEAM, ADMIN_ONLY),
    "assessment_admin:list": page(NONE, ADMIN_ONLY),
    "assessment_admin:version": page(DRAFT, ADMIN_ONLY),
    "assessment_admin:section_new": form(DRAFT, ADMIN_ONLY),
    "assessment_admin:section": form(DRAFT_SECTION, ADMIN_ONLY),
    "assessment_admin:section_remove": action(DRAFT_SECTION, {"admin": 302, "*": 403}, on_get={"admin": 302, "*": 403}),
    "assessment_admin:preview": page(PREVIEW, ADMIN_ONLY),
    "assessment_admin:export": page(DRAFT, ADMIN_ONLY),
    "assessment_admin:import": form(DRAFT, ADMIN_ONLY),
    "ras_admin:list": page(NONE, ADMIN_ONLY),
    # Versions dated in the past: a second administrator confirms or declines.
    "assessment_admin:publications": page(NONE, ADMIN_ONLY),
    "assessment_admin:publication_confirm": action(Q_REQUEST, {"admin": 302, "*": 403}),
    "assessment_admin:publication_decline": action(Q_REQUEST, {"admin": 302, "*": 403}),
    "ras_admin:publications": page(NONE, ADMIN_ONLY),
    "ras_admin:publication_confirm": action(RAS_REQUEST, {"admin": 302, "*": 403}),
    "ras_admin:publication_decline": action(RAS_REQUEST, {"admin": 302, "*": 403}),
    "ras_admin:version": page(RAS, ADMIN_ONLY),
    "ras_admin:export": page(RAS, ADMIN_ONLY),
    # The directory of services: anyone searches and reads it (signed out too: ANONYMOUS);
    # a provider changes its own organisation's listings only (another's: 404); a
    # commissioner decides the changes waiting for the council.
    "directory:search": page(NONE, {"*": 200}),
    "directory:service": page(DIRECTORY_SERVICE, {"own": {"*": 200}, "other": {"*": 200}}),
    "directory:listing": page(NONE, {"provider": 200, "*": 403}),
    "directory:listing_edit": form(DIRECTORY_SERVICE, {
        "own": {"provider": 200, "*": 403},
        "other": {"provider": 404, "*": 403},
    }),
    # Reviews: the person or their representative reviews a service of a provider that
    # supports them (another's: told they cannot, 200); a commissioner checks reviews
    # before they are published; the provider replies to those of its own services.
    "directory:review_new": form(DIRECTORY_SERVICE, {
        "own": {"holder": 200, "representative": 200, "*": 403},
        "other": {"holder": 200, "representative": 200, "*": 403},
    }),
    "directory:reviews": page(NONE, {"commissioner": 200, "*": 403}),
    "directory:review_decide": action(WAITING_REVIEW, {
        "own": {"commissioner": 302, "*": 403},
        "other": {"commissioner": 302, "*": 403},
    }),
    "directory:review_reply": form(SERVICE_REVIEW, {
        "own": {"provider": 200, "*": 403},
        "other": {"provider": 404, "*": 403},
    }),
    # Staff choose a directory service for a line of a draft plan (as planning:line_edit).
    "directory:choose_for_line": form(LINE, {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    "directory:registration": form(DIRECTORY_LOCATION, {
        "own": {"commissioner": 200, "*": 403},
        "other": {"commissioner": 200, "*": 403},
    }),
    "directory:changes": page(NONE, {"commissioner": 200, "*": 403}),
    "directory:change_decide": action(LISTING_CHANGE, {
        "own": {"commissioner": 302, "*": 403},
        "other": {"commissioner": 302, "*": 403},
    }),
    # Council staff keep the directory: practitioners read the staff list and the terms;
    # managers and commissioners add, change and remove services and terms (no one's data).
    "directory:staff_list": page(NONE, {
        "practitioner": 200, "manager": 200, "commissioner": 200, "*": 403,
    }),
    "directory:service_new": form(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "directory:service_edit": form(DIRECTORY_SERVICE, {
        "own": {"manager": 200, "commissioner": 200, "*": 403},
        "other": {"manager": 200, "commissioner": 200, "*": 403},
    }),
    "directory:service_remove": action(DIRECTORY_SERVICE, {
        "own": {"manager": 302, "commissioner": 302, "*": 403},
        "other": {"manager": 302, "commissioner": 302, "*": 403},
    }),
    "directory:terms": page(NONE, {
        "practitioner": 200, "manager": 200, "commissioner": 200, "*": 403,
    }),
    "directory:term_new": form(NONE, {"manager": 200, "commissioner": 200, "*": 403}),
    "directory:term_edit": form(DIRECTORY_TERM, {
        "own": {"manager": 200, "commissioner": 200, "*": 403},
        "other": {"manager": 200, "commissioner": 200, "*": 403},
    }),
    "directory:term_remove": action(DIRECTORY_TERM, {
        "own": {"manager": 302, "commissioner": 302, "*": 403},
        "other": {"manager": 302, "commissioner": 302, "*": 403},
    }),
}

# Signed out: every route sends you to sign in, except these (GET answer, POST answer).
ANONYMOUS: dict[str, tuple[int, int]] = {
    "start": (200, 200),
    "accessibility": (200, 200),
    "healthz": (200, 405),  # GET and HEAD only
    "cookies": (200, 200),
    "carers_information": (200, 200),
    "help": (200, 200),
    "help_topic": (200, 200),
    "guide": (200, 200),
    "privacy": (200, 200),
    "login": (200, 200),  # an empty sign-in form is shown again with its errors
    "logout": (405, 302),
    "two_factor_off": (405, 302),
    # Asking for a new password, and an expired link, need no sign-in.
    "password_reset": (200, 200),
    "password_reset_done": (200, 200),
    "password_reset_confirm": (200, 200),
    "password_reset_complete": (200, 200),
    # The directory: no one's personal data, for anyone choosing support.
    "directory:search": (200, 200),
    "directory:service": (200, 200),
    # A PA's own timesheet link: the link is the key (decision 0054).
    "employers:pa_timesheet": (200, 200),
}
# fmt: on

ROLES = [str(role) for role in Role]
RELATIONS = ("own", "other", "unrelated")
REFUSED = {401, 403, 404, 405}


def relations_of(route: Route) -> list[str]:
    """The relations a route's table names (none: a route not about one person's record)."""
    return [r for r in RELATIONS if r in route.expect] or [""]


def expected(table: Table, relation: str, role: str) -> int:
    answers = table.get(relation, table)
    return int(answers.get(role, answers["*"]))


def _answers(table: Table) -> list[Table]:
    return [table[r] for r in RELATIONS if r in table] or [table]


def test_every_answer_has_a_default() -> None:
    """Each table has "*", so a role added later is checked too, and names known roles."""
    tables = [t for route in MATRIX.values() for t in (route.expect, route.on_get, route.on_post)]
    tables = [t for t in tables if t is not None]
    tables += [route.expect for route in API.values()]
    for table in tables:
        for answers in _answers(table):
            assert "*" in answers, f"no '*' answer in {answers}"
            assert set(answers) - {"*"} <= set(ROLES), f"unknown roles in {answers}"


# The routes of the pages (not the API, whose table is below).


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "api" or str(p.pattern).startswith("api/"):
                    continue  # the API's routes are checked against API below
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_route_is_in_the_matrix() -> None:
    routes = _route_names()
    assert not routes - set(MATRIX), f"Add these routes to MATRIX: {sorted(routes - set(MATRIX))}"
    assert not set(MATRIX) - routes, f"No such routes: {sorted(set(MATRIX) - routes)}"


# The council and its records are built once for this module, in a transaction rolled back
# at the end; each request runs in a savepoint rolled back after it, so one test's POST
# cannot change what the next one sees.


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Council]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            council = council_build()
            records_build(council)
            yield council
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _fingerprint() -> tuple[Any, ...]:
    """How many rows each of the project's tables holds (one query). A refusal is itself
    recorded in the audit log as "Access refused", so those events are not counted: a
    refused request may write that and nothing else."""
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models()
            if m._meta.managed and m.__module__.startswith(("selfdirect.", "django.contrib.auth"))
        }
    )
    quote = connection.ops.quote_name
    audit = Event._meta.db_table

    def count(table: str) -> str:
        refusals = f" WHERE action <> '{Action.DENIED}'" if table == audit else ""
        return f"(SELECT COUNT(*) FROM {quote(table)}{refusals})"  # noqa: S608 - model tables

    counts = ", ".join(count(t) for t in tables)
    sql = f"SELECT {counts}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(zip(tables, row, strict=True))


def _send(
    client: Any, method: str, url: str, before: tuple[Any, ...], *, api: bool = False
) -> tuple[int, str, bool]:
    """The status, where it sends you, and whether a refused request changed the database
    from ``before`` (each request is undone after it, so every one starts from there)."""
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        elif method == "post" and not api:
            response = client.post(url, {})
        else:
            response = getattr(client, method)(url, {}, content_type="application/json")
        changed = response.status_code in REFUSED and _fingerprint() != before
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", ""), changed


def _address(name: str, world: Council, relation: str) -> str:
    records = world.records  # type: ignore[attr-defined]
    return reverse(name, kwargs=MATRIX[name].args(records.get(relation), records["config"]))


CASES = [
    pytest.param(name, relation, role, id=f"{name}-{relation or 'any'}-{role}")
    for name, route in MATRIX.items()
    for relation in relations_of(route)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "relation", "role"), CASES)
def test_role_against_route(
    client: Any, world: Council, name: str, relation: str, role: str
) -> None:
    route = MATRIX[name]
    url = _address(name, world, relation)
    client.force_login(world.users[role])
    before = _fingerprint()
    want = expected(route.expect, relation, role)
    where = f"{role} on {name} ({relation or 'no record'}) {url}"
    checks: list[tuple[str, int]] = []
    if route.method == "action":
        checks = [("post", want), ("get", expected(route.on_get, relation, role))]
    elif route.method == "form":
        posting = want if route.on_post is None else expected(route.on_post, relation, role)
        checks = [("get", want), ("post", posting)]
    else:
        checks = [("get", want)]
    for method, status in checks:
        got, location, changed = _send(client, method, url, before)
        what = f"{method.upper()} by {where}: expected {status}, got {got}"
        if method == "post" and route.method == "form" and status not in REFUSED:
            # Allowed to post: the form is shown again with its errors, or it worked.
            assert got not in REFUSED and got < 500, what
        else:
            assert got == status, what
        if got in REFUSED:
            assert not changed, f"{what}: a refused request changed the database"
        if name not in ("start", "logout") and got == 302:
            assert not location.startswith("/accounts/login/"), f"{what}: sent to sign in"


@pytest.mark.parametrize("name", list(MATRIX))
def test_signed_out_visitors_are_sent_to_sign_in(client: Any, world: Council, name: str) -> None:
    route = MATRIX[name]
    url = _address(name, world, relations_of(route)[0])
    methods = {"page": ["get"], "form": ["get", "post"], "action": ["get", "post"]}
    before = _fingerprint()
    for method in methods[route.method]:
        got, location, changed = _send(client, method, url, before)
        if name in ANONYMOUS:
            want = ANONYMOUS[name][0 if method == "get" else 1]
            assert got == want, f"{method.upper()} {url} signed out: expected {want}, got {got}"
        else:
            assert got == 302, f"{method.upper()} {url} signed out: expected 302, got {got}"
            assert location.startswith("/accounts/login/"), f"{url} sent to {location}"
            assert not changed, f"{method.upper()} {url} signed out changed the database"


# The API at /api/v1/. Bodies are empty: an allowed change is answered without a refusal
# (422, the body is not valid), a refused one with 403 or 404. Signed out: 401.

API_NONE = "none"


@dataclass(frozen=True)
class ApiRoute:
    record: str  # which record its {ids} are from: "person", "plan" (the draft), "approved"
    expect: Table


# fmt: off
API: dict[tuple[str, str], ApiRoute] = {
    ("get", "/api/v1/people"): ApiRoute(API_NONE, {"practitioner": 200, "manager": 200, "planner": 200, "provider": 200, "finance": 200, "*": 403}),
    ("post", "/api/v1/people"): ApiRoute(API_NONE, {"practitioner": 200, "manager": 200, "*": 403}),
    ("get", "/api/v1/people/{person_id}"): ApiRoute("person", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    ("patch", "/api/v1/people/{person_id}"): ApiRoute("person", {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    ("get", "/api/v1/people/{person_id}/relationships"): ApiRoute("person", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
        "unrelated": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
    }),
    ("post", "/api/v1/people/{person_id}/relationships"): ApiRoute("person", {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
        "unrelated": {"practitioner": 200, "manager": 200, "*": 403},
    }),
    ("get", "/api/v1/plans"): ApiRoute(API_NONE, {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403}),
    ("post", "/api/v1/plans"): ApiRoute(API_NONE, {"practitioner": 200, "manager": 200, "planner": 200, "*": 403}),
    ("get", "/api/v1/plans/{plan_id}"): ApiRoute("plan", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    ("get", "/api/v1/plans/{plan_id}/lines"): ApiRoute("plan", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    ("post", "/api/v1/plans/{plan_id}/lines"): ApiRoute("plan", {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    ("post", "/api/v1/plans/{plan_id}/outcomes"): ApiRoute("plan", {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    ("post", "/api/v1/plans/{plan_id}/submit"): ApiRoute("plan", {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    ("post", "/api/v1/plans/{plan_id}/approve"): ApiRoute("plan", {
        "own": {"practitioner": 200, "manager": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "*": 403},
    }),
    ("get", "/api/v1/plans/{plan_id}/deployment"): ApiRoute("plan", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    ("post", "/api/v1/plans/{plan_id}/lines/{line_id}/switches"): ApiRoute("approved", {
        "own": {"practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    ("get", "/api/v1/plans/{plan_id}/reviews"): ApiRoute("plan", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
    ("post", "/api/v1/plans/{plan_id}/reviews"): ApiRoute("approved", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "*": 403},
    }),
    ("get", "/api/v1/reviews"): ApiRoute(API_NONE, {"practitioner": 200, "manager": 200, "planner": 200, "*": 403}),
    ("get", "/api/v1/invoices"): ApiRoute(API_NONE, {"provider": 200, "finance": 200, "*": 403}),
    ("post", "/api/v1/invoices"): ApiRoute(API_NONE, {"provider": 422, "*": 403}),
    ("get", "/api/v1/invoices/{invoice_id}"): ApiRoute("invoice", {
        "own": {"provider": 200, "finance": 200, "*": 403},
        "other": {"provider": 404, "finance": 200, "*": 403},
    }),
    # The directory as an Open Referral UK feed: no one's personal data, open to all,
    # signed in or not (API_OPEN below).
    ("get", "/api/v1/oruk/services"): ApiRoute(API_NONE, {"*": 200}),
    ("get", "/api/v1/oruk/services/{service_id}"): ApiRoute(API_NONE, {"*": 200}),
    ("get", "/api/v1/plans/{plan_id}/pdf"): ApiRoute("approved", {
        "own": {"holder": 200, "representative": 200, "carer": 200, "practitioner": 200, "manager": 200, "planner": 200, "finance": 200, "*": 403},
        "other": {"holder": 404, "representative": 404, "carer": 404, "practitioner": 404, "manager": 404, "planner": 404, "finance": 200, "*": 403},
    }),
}
# fmt: on


# API routes open to anyone (GET answer signed out).
API_OPEN: dict[tuple[str, str], int] = {
    ("get", "/api/v1/oruk/services"): 200,
    ("get", "/api/v1/oruk/services/{service_id}"): 200,
}


def _api_address(path: str, world: Council, route: ApiRoute, relation: str) -> str:
    records = world.records  # type: ignore[attr-defined]
    r = records.get(relation)
    path = path.replace("{service_id}", str(records["own"].directory_service.pk))
    if route.record == "person":
        path = path.replace("{person_id}", str(r.person.pk))
    if route.record == "invoice":
        path = path.replace("{invoice_id}", str(r.invoice.pk))
    plan = r.approved if route.record == "approved" else getattr(r, "plan", None)
    if plan is not None and "{plan_id}" in path:
        path = path.replace("{plan_id}", str(plan.pk))
        path = path.replace("{line_id}", str(r.approved_line.pk))
    return path


def test_every_api_route_is_in_the_matrix(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    published = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert not published - set(API), f"Add these API routes: {sorted(published - set(API))}"
    assert not set(API) - published, f"No such API routes: {sorted(set(API) - published)}"


API_CASES = [
    pytest.param(method, path, relation, role, id=f"{method}:{path}-{relation or 'any'}-{role}")
    for (method, path), route in API.items()
    for relation in (
        [r for r in RELATIONS if r in route.expect] if route.record != API_NONE else [""]
    )
    for role in ROLES
]


@pytest.mark.parametrize(("method", "path", "relation", "role"), API_CASES)
def test_role_against_api_route(
    client: Any, world: Council, method: str, path: str, relation: str, role: str
) -> None:
    route = API[(method, path)]
    url = _api_address(path, world, route, relation)
    client.force_login(world.users[role])
    before = _fingerprint()
    want = expected(route.expect, relation, role)
    got, _location, changed = _send(client, method, url, before, api=True)
    what = f"{method.upper()} by {role} on {path} ({relation or 'no record'}) {url}"
    if method != "get" and want not in REFUSED:
        assert got not in REFUSED and got < 500, f"{what}: expected not refused, got {got}"
    else:
        assert got == want, f"{what}: expected {want}, got {got}"
    if got in REFUSED:
        assert not changed, f"{what}: a refused request changed the database"


@pytest.mark.parametrize(("method", "path"), list(API))
def test_signed_out_api_calls_are_unauthorised(
    client: Any, world: Council, method: str, path: str
) -> None:
    route = API[(method, path)]
    relation = "own" if route.record != API_NONE else ""
    url = _api_address(path, world, route, relation)
    got, _location, changed = _send(client, method, url, _fingerprint(), api=True)
    want = API_OPEN.get((method, path), 401)
    assert got == want, f"{method.upper()} {url} signed out: expected {want}, got {got}"
    assert not changed


# Lists: whose records each role finds in a list it may open. A list that leaks another
# team's record answers 200 like one that does not, so the status table cannot catch it.
# Written by hand: route or API path → role → the relations of the people listed.

# fmt: off
LISTS: dict[str, dict[str, set[str]]] = {
    "people:list": {"practitioner": {"own", "unrelated"}, "manager": {"own", "unrelated"}, "planner": {"own", "unrelated"}, "provider": {"own"}, "finance": {"own", "other", "unrelated"}},
    "planning:reviews": {"practitioner": {"own"}, "manager": {"own"}, "planner": {"own"}},
    "casework:queue": {"practitioner": {"own"}, "manager": {"own"}},
    "changes:queue": {"practitioner": {"own"}, "manager": {"own"}},
    "budgets:pools": {"holder": {"own"}, "representative": {"own"}, "practitioner": {"own"}, "manager": {"own"}, "planner": {"own"}},
    "/api/v1/people": {"practitioner": {"own", "unrelated"}, "manager": {"own", "unrelated"}, "planner": {"own", "unrelated"}, "provider": {"own"}, "finance": {"own", "other", "unrelated"}},
    "/api/v1/plans": {"holder": {"own"}, "representative": {"own"}, "carer": {"own"}, "practitioner": {"own"}, "manager": {"own"}, "planner": {"own"}, "finance": {"own", "other"}},
    "/api/v1/reviews": {"practitioner": {"own"}, "manager": {"own"}, "planner": {"own"}},
    "invoices:list": {"provider": {"own"}, "finance": {"own", "other"}},
    "provider:home": {"provider": {"own"}},
    "/api/v1/invoices": {"provider": {"own"}, "finance": {"own", "other"}},
}
# fmt: on


def _listed(name: str, content: bytes, world: Council) -> set[str]:
    """The relations whose records the list shows: on a page, a link to the record."""
    records = world.records  # type: ignore[attr-defined]
    if name.startswith("/api/"):
        items = json.loads(content)["items"]
        ids = {item.get("person_id", item["id"]) for item in items}
        return {r for r in RELATIONS if records[r].person.pk in ids}
    text = content.decode()
    links = {
        "people:list": lambda r: reverse("people:detail", args=[r.person.pk]),
        "planning:reviews": lambda r: reverse("planning:review", args=[r.review.pk]),
        "budgets:pools": lambda r: reverse("budgets:pool", args=[r.pool.pk]),
        "casework:queue": lambda r: reverse("casework:contact", args=[r.contact.pk]),
        "changes:queue": lambda r: reverse("changes:request", args=[r.change_request.pk]),
        "invoices:list": lambda r: reverse("invoices:detail", args=[r.invoice.pk]),
        "provider:home": lambda r: reverse("provider:person", args=[r.person.pk]),
    }[name]
    return {
        r
        for r in RELATIONS
        if hasattr(records[r], "pool") or name in ("people:list", "provider:home")
        if f'href="{links(records[r])}"' in text
    }


@pytest.mark.parametrize(
    ("name", "role"), [(name, role) for name, roles in LISTS.items() for role in roles]
)
def test_lists_show_only_the_records_the_role_may_see(
    client: Any, world: Council, name: str, role: str
) -> None:
    client.force_login(world.users[role])
    response = client.get(name if name.startswith("/api/") else reverse(name))
    assert response.status_code == 200, f"{role} on {name}: {response.status_code}"
    listed = _listed(name, response.content, world)
    assert listed == LISTS[name][role], f"{role} on {name}: lists {listed}"


def test_a_planner_cannot_answer_or_send_in_an_assessment(client: Any, world: Council) -> None:
    """A planner sees the holder's self-assessment but is not one of those who answer it
    (docs/access.md: the person's side, or a practitioner or manager)."""
    from selfdirect.assessment.models import Answer

    assessment = world.holder_assessment
    section = assessment.version.parsed.sections_for(assessment.user_group)[0]
    client.force_login(world.users["planner"])
    url = reverse("assessment:question", args=[assessment.pk, section.id])
    response = client.post(url, {"option": section.options[0].id})
    assert response.status_code == 403
    assert not Answer.objects.filter(assessment=assessment).exists()
    response = client.post(reverse("assessment:check", args=[assessment.pk]))
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"
