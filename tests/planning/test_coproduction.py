"""Co-producing the plan and asking for a review in the person's words (issue 13; decision
0039). The person or their representative suggests outcomes and support with costs while the
plan is a draft; the worker sees the suggestion beside what went into the plan, and adds it
(as written or changed, through the plan's own services) or answers it with a reason.

Requirements met: holders-experience REQ-18 (plans built around the person's outcomes),
REQ-20 (who helped write it), REQ-31 (every action recorded against who did it), REQ-7 and
REQ-39 (a request with the person's reasons and who asked); SCIE-16 (the person's views, in
their words, in a plan that is theirs), SCIE-21 (support not tied to a catalogue), SCIE-33
(carers involved, with consent)."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.notify.models import Message
from selfdirect.planning import proposals, services
from selfdirect.planning.models import PlanLine, PlanOutcome, PlanProposal, Review, SupportPlan
from tests.planning.test_plans import _approved_plan, _draft_plan

pytestmark = pytest.mark.django_db

LINE_POST = {
    "description": "A personal assistant to take me swimming",
    "category": "personal_assistant",
    "outcome": "",
    "provider": "",
    "provided_by": "Sam",
    "unit": "hour",
    "unit_cost": "15.00",
    "quantity": "2",
    "funding_stream": "adult_social_care",
    "deployment": "direct_payment",
}


def _text(response: Any) -> str:
    return str(response.content.decode())


def test_req18_a_representative_suggests_an_outcome_and_support_with_a_cost(
    client: Any, council: Any
) -> None:
    """REQ-18, REQ-31: the representative writes in the person's plan; each suggestion is
    kept as written, with who wrote it and as whom, and audited."""
    plan = _draft_plan(council)
    rep = council.users[Role.REPRESENTATIVE]
    client.force_login(rep)
    page = _text(client.get(f"/plans/{plan.pk}/"))
    assert "Suggest what Ada wants to achieve, in your own words" in page
    assert "Suggest support and what it costs" in page
    # Asked about Ada, on her behalf (decision 0034), not "What do you want".
    form = _text(client.get(f"/plans/{plan.pk}/my-outcomes/new/"))
    assert "What does Ada want to achieve?" in form and "What do you want" not in form
    client.post(f"/plans/{plan.pk}/my-outcomes/new/", {"in_their_words": "Swim on Fridays again"})
    empty = _text(client.post(f"/plans/{plan.pk}/my-support/new/", {}))
    assert "Enter what support you would like" in empty
    half = _text(
        client.post(
            f"/plans/{plan.pk}/my-support/new/",
            {"description": "Swimming with a PA", "unit_cost": "15"},
        )
    )
    assert "Select how it is paid for, or leave the cost blank" in half
    client.post(
        f"/plans/{plan.pk}/my-support/new/",
        {
            "description": "Swimming with a PA",
            "provided_by": "Sam",
            "unit": "hour",
            "unit_cost": "15",
            "quantity": "2",
        },
    )
    outcome, support = plan.proposals.order_by("id")
    assert (outcome.kind, outcome.proposed_as, outcome.proposed_by) == (
        "outcome",
        "representative",
        rep,
    )
    assert (support.kind, support.unit_cost_pence, support.quantity_hundredths) == (
        "support",
        1500,
        200,
    )
    assert support.cost_pence == 3000
    assert not plan.outcomes.exists() and not plan.lines.exists()
    events = Event.objects.filter(object_type="plan_proposal", person_id=plan.person_id)
    assert events.count() == 2
    assert events.get(object_id=support.pk).changes["Cost"] == [None, "£30.00 a week"]
    assert events.get(object_id=outcome.pk).actor == rep
    # The person sees what their representative suggested, waiting for the worker.
    client.force_login(council.users[Role.HOLDER])
    mine = _text(client.get(f"/plans/{plan.pk}/"))
    assert "Swimming with a PA" in mine and "Waiting for the worker" in mine
    assert "Rita Rep" in mine or "representative" in mine


def _proposed(council: Any, plan: SupportPlan, kind: str, **fields: Any) -> PlanProposal:
    return proposals.proposal_make(
        actor=council.users[Role.REPRESENTATIVE], plan=plan, kind=kind, fields=fields
    )


def test_req18_the_worker_sees_it_beside_the_plan_and_adds_it_as_written_or_changed(
    client: Any, council: Any
) -> None:
    """SCIE-16: the worker adds the outcome as written (accepted) and the support with a
    different cost (changed); both go in through outcome_add and line_add, and the person is
    told, in their messages, with the plan's version beside their own."""
    plan = _draft_plan(council)
    outcome = _proposed(council, plan, "outcome", in_their_words="Swim on Fridays again")
    support = _proposed(
        council,
        plan,
        "support",
        description="A personal assistant to take me swimming",
        provided_by="Sam",
        unit="hour",
        unit_cost_pence=1500,
        quantity_hundredths=200,
    )
    client.force_login(council.users[Role.PRACTITIONER])
    page = _text(client.get(f"/plans/{plan.pk}/"))
    assert "Suggestions and what the plan says" in page
    assert page.count("Add to the plan") == 2
    form = _text(client.get(f"/plans/{plan.pk}/suggestions/{outcome.pk}/add/"))
    assert "Swim on Fridays again</textarea>" in form  # filled in with their words
    client.post(
        f"/plans/{plan.pk}/suggestions/{outcome.pk}/add/",
        {"in_their_words": "Swim on Fridays again", "eligibility_outcome": ""},
    )
    outcome.refresh_from_db()
    assert outcome.status == "accepted"
    made = plan.outcomes.get()
    assert outcome.made_outcome == made and made.added_by == council.users[Role.PRACTITIONER]
    line_form = _text(client.get(f"/plans/{plan.pk}/suggestions/{support.pk}/add/"))
    assert 'value="15.00"' in line_form and 'value="Sam"' in line_form
    client.post(
        f"/plans/{plan.pk}/suggestions/{support.pk}/add/",
        {**LINE_POST, "outcome": str(made.pk), "unit_cost": "16.50"},
    )
    support.refresh_from_db()
    line = plan.lines.get()
    assert support.status == "changed" and support.made_line == line
    assert (line.unit_cost_pence, line.outcome) == (1650, made)
    assert support.unit_cost_pence == 1500  # what they wrote is kept as written
    assert Event.objects.filter(object_type="plan_line", object_id=line.pk).exists()
    assert Event.objects.filter(object_type="plan_outcome", object_id=made.pk).exists()
    # Side by side for the person: their words, and what the plan says.
    client.force_login(council.users[Role.HOLDER])
    mine = _text(client.get(f"/plans/{plan.pk}/"))
    assert "Added to the plan with changes" in mine and "£33.00 a week" in mine
    assert "Added to the plan as suggested" in mine
    told = Message.objects.filter(recipient=council.users[Role.HOLDER], kind="plan")
    assert told.count() == 2
    assert any("with changes" in m.body and "£33.00 a week" in m.body for m in told)


def test_the_worker_answers_with_a_reason_the_person_reads(client: Any, council: Any) -> None:
    plan = _draft_plan(council)
    proposal = _proposed(council, plan, "support", description="A {cruise} to Madeira")
    client.force_login(council.users[Role.PRACTITIONER])
    empty = _text(client.post(f"/plans/{plan.pk}/suggestions/{proposal.pk}/answer/", {}))
    assert "Enter why it is not being added to the plan" in empty
    with pytest.raises(proposals.ProposalError, match=proposals.ANSWER_NEEDED):
        proposals.proposal_answer(
            actor=council.users[Role.PRACTITIONER], proposal=proposal, answer="  "
        )
    client.post(
        f"/plans/{plan.pk}/suggestions/{proposal.pk}/answer/",
        {"answer": "The budget cannot pay for a holiday abroad; a short break nearby can."},
    )
    proposal.refresh_from_db()
    assert proposal.status == "answered" and proposal.answered_by is not None
    assert not plan.lines.exists()
    event = Event.objects.get(object_type="plan_proposal", object_id=proposal.pk, action="update")
    assert event.changes["Answer"][1].startswith("The budget cannot pay")
    # Answered once: adding it afterwards, or answering again, is refused.
    with pytest.raises(proposals.ProposalError, match=proposals.ALREADY_ANSWERED):
        proposals.proposal_answer(
            actor=council.users[Role.PRACTITIONER], proposal=proposal, answer="Again"
        )
    again = _text(client.post(f"/plans/{plan.pk}/suggestions/{proposal.pk}/add/", LINE_POST))
    assert proposals.ALREADY_ANSWERED in again and not plan.lines.exists()
    client.force_login(council.users[Role.REPRESENTATIVE])
    page = _text(client.get(f"/plans/{plan.pk}/"))
    assert "Not added: the worker answered" in page and "a short break nearby can" in page
    # The person's braces are words, not placeholders.
    message = Message.objects.get(recipient=council.users[Role.REPRESENTATIVE], kind="plan")
    assert "A {cruise} to Madeira" in message.body and "Ada's suggestion" in message.subject


def test_a_plan_sent_for_sign_off_or_approved_takes_no_suggestions(
    client: Any, council: Any
) -> None:
    approved = _approved_plan(council)
    with pytest.raises(proposals.ProposalError, match=proposals.PROPOSAL_CLOSED):
        _proposed(council, approved, "outcome", in_their_words="More")
    client.force_login(council.users[Role.HOLDER])
    page = _text(client.get(f"/plans/{approved.pk}/"))
    assert "Suggest support" not in page
    closed = _text(client.post(f"/plans/{approved.pk}/my-support/new/", {"description": "A gym"}))
    assert "cannot take suggestions now" in closed
    assert not PlanProposal.objects.exists()


def test_a_suggestion_open_when_the_plan_is_sent_cannot_be_added_afterwards(
    council: Any,
) -> None:
    """Adding goes through outcome_add, so the plan's own rule (a draft only) refuses it,
    and the suggestion stays open, unanswered."""
    plan = _draft_plan(council)
    proposal = _proposed(council, plan, "outcome", in_their_words="Swim")
    SupportPlan.objects.filter(pk=plan.pk).update(status="awaiting_sign_off")
    with pytest.raises(services.PlanError, match=services.PLAN_CLOSED):
        proposals.proposal_accept(
            actor=council.users[Role.PRACTITIONER],
            proposal=proposal,
            fields={"in_their_words": "Swim"},
        )
    proposal.refresh_from_db()
    assert proposal.status == "open" and not PlanOutcome.objects.exists()


def test_adding_support_keeps_the_streams_rules(client: Any, council: Any) -> None:
    """A suggestion added as a line a stream may not pay for is refused with the reason,
    on the form, and nothing changes."""
    plan = _draft_plan(council)
    proposal = _proposed(council, plan, "support", description="A PA")
    client.force_login(council.users[Role.PRACTITIONER])
    refused = _text(
        client.post(
            f"/plans/{plan.pk}/suggestions/{proposal.pk}/add/",
            {**LINE_POST, "funding_stream": "dfg"},
        )
    )
    assert "Disabled Facilities Grant cannot pay for personal assistant" in refused
    proposal.refresh_from_db()
    assert proposal.status == "open" and not PlanLine.objects.exists()


def test_only_the_person_or_their_representative_suggests(client: Any, council: Any) -> None:
    """A carer reads the plan but does not write it; staff write it directly; a
    suggestion on another plan's address is not found (and the look is refused)."""
    plan = _draft_plan(council)
    client.force_login(council.users[Role.CARER])
    assert client.get(f"/plans/{plan.pk}/my-support/new/").status_code == 403
    with pytest.raises(proposals.ProposalError, match=proposals.NOT_YOURS_TO_PROPOSE):
        proposals.proposal_make(
            actor=council.users[Role.CARER],
            plan=plan,
            kind="outcome",
            fields={"in_their_words": "x"},
        )
    with pytest.raises(proposals.ProposalError, match=proposals.NOT_YOURS_TO_PROPOSE):
        proposals.proposal_make(
            actor=council.users[Role.PRACTITIONER],
            plan=plan,
            kind="outcome",
            fields={"in_their_words": "x"},
        )
    proposal = _proposed(council, plan, "outcome", in_their_words="Swim")
    other = services.plan_create(  # a second version's address, for the same person
        actor=council.users[Role.PRACTITIONER],
        allocation=plan.allocation,
        led_by="person",
        kind="standard",
        starts_on=plan.starts_on,
    )
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get(f"/plans/{other.pk}/suggestions/{proposal.pk}/add/").status_code == 404
    client.force_login(council.users[Role.HOLDER])
    assert client.get(f"/plans/{plan.pk}/suggestions/{proposal.pk}/add/").status_code == 403


# Asking for a review in the person's words.


def test_req39_the_portal_form_offers_the_persons_reasons_worded_for_who_asks(
    client: Any, council: Any
) -> None:
    """REQ-7, REQ-39: the reasons a holder, representative or carer gives, in their words,
    never staff categories (monitoring, safeguarding)."""
    plan = _approved_plan(council)
    url = f"/plans/{plan.pk}/reviews/new/"
    client.force_login(council.users[Role.HOLDER])
    holder = _text(client.get(url))
    assert "My needs have changed" in holder and "My carer can no longer help" in holder
    assert "I want to change how I use my budget" in holder
    for staff_words in ("Monitoring shows", "safeguarding concern", "circumstances have changed"):
        assert staff_words not in holder
    client.force_login(council.users[Role.REPRESENTATIVE])
    assert "Ada&#x27;s needs have changed" in _text(client.get(url))
    client.force_login(council.users[Role.CARER])
    carer = _text(client.get(url))
    assert "I can no longer help as I did" in carer and "Ada&#x27;s needs have changed" in carer
    client.force_login(council.users[Role.PRACTITIONER])
    assert "Monitoring shows an under- or over-spend" in _text(client.get(url))


def test_req39_staff_see_who_asked_their_reason_and_their_words(client: Any, council: Any) -> None:
    plan = _approved_plan(council)
    url = f"/plans/{plan.pk}/reviews/new/"
    client.force_login(council.users[Role.CARER])
    empty = _text(client.post(url, {}))
    assert "Select why you are asking for a review" in empty
    client.post(
        url,
        {"asked_reason": "carer_cannot_help", "reason": "My back is bad; evenings are hard"},
    )
    review = Review.objects.get(plan=plan, asked_reason="carer_cannot_help")
    assert (review.kind, review.asked_as) == ("change", "carer")
    assert review.asked_reason_words == "I can no longer help as I did"
    event = Event.objects.get(object_type="review", object_id=review.pk)
    assert event.changes["Why"] == [None, "I can no longer help as I did"]
    client.force_login(council.users[Role.PRACTITIONER])
    record = _text(client.get(f"/plans/reviews/{review.pk}/"))
    assert "Carl Carer, their carer, because: “I can no longer help as I did”" in record
    assert "In their words: “My back is bad; evenings are hard”" in record
    plan_page = _text(client.get(f"/plans/{plan.pk}/"))
    assert "(asked for by their carer: “I can no longer help as I did”)" in plan_page


def test_an_unknown_reason_is_refused_and_changes_nothing(council: Any) -> None:
    plan = _approved_plan(council)
    before = plan.reviews.count()
    with pytest.raises(services.PlanError, match=services.REVIEW_REASON_NEEDED):
        services.review_request(
            actor=council.users[Role.HOLDER], plan=plan, asked_reason="budget_cut", reason="x"
        )
    assert plan.reviews.count() == before
    review = services.review_request(
        actor=council.users[Role.HOLDER], plan=plan, asked_reason="use_differently", reason="x"
    )
    assert (review.kind, review.asked_reason_words) == (
        "requested",
        "I want to change how I use my budget",
    )


def test_the_persons_suggestions_are_in_their_whole_record(council: Any) -> None:
    from selfdirect.portal.record_export import person_record

    plan = _draft_plan(council)
    proposal = _proposed(council, plan, "outcome", in_their_words="Swim on Fridays again")
    record = person_record(council.holder_person)
    (exported,) = [p for p in record["support_plans"] if p["id"] == plan.pk]
    assert [p["in_their_words"] for p in exported["proposals"]] == ["Swim on Fridays again"]
    assert exported["proposals"][0]["id"] == proposal.pk


def test_the_named_worker_has_one_task_until_every_suggestion_is_answered(council: Any) -> None:
    from selfdirect.access.models import WorkItem

    plan = _draft_plan(council)
    first = _proposed(council, plan, "outcome", in_their_words="Swim")
    second = _proposed(council, plan, "support", description="A gym pass")
    (task,) = WorkItem.objects.filter(kind=proposals.WORK_KIND, person=plan.person)
    assert task.status == "open" and task.for_role == Role.PRACTITIONER
    assert task.title == "Answer the suggestions for Ada's support plan"
    proposals.proposal_answer(
        actor=council.users[Role.PRACTITIONER], proposal=first, answer="Already in the plan"
    )
    task.refresh_from_db()
    assert task.status == "open"  # the gym pass still waits
    proposals.proposal_accept(
        actor=council.users[Role.PRACTITIONER],
        proposal=second,
        fields={
            "description": "A gym pass",
            "category": "leisure",
            "outcome": None,
            "provider": None,
            "provided_by": "",
            "unit": "week",
            "unit_cost_pence": 600,
            "quantity_hundredths": 100,
            "funding_stream": "adult_social_care",
            "provisional": False,
            "deployment": "direct_payment",
        },
    )
    task.refresh_from_db()
    assert task.status == "done"
