"""The demo carer's own journey (issue 13, "Carers count"): the demo carer, whom the demo
holder consents to share their record with, has a carer's assessment they answered
themselves, agreed with the practitioner and found eligible; and they have asked, in their
own words, for a review of the holder's plan. A few other carers in the holder's team whose
person consents have a carer's assessment too. (A carer's budget needs a Resource
Allocation System for the carers' questionnaire, which the council publishes; none is
shipped, so the demo makes no carer's budget or plan.)

Everything goes through the apps' own services, the same for a seed; a handful of records,
so the build stays fast at any size (docs/demo-data.md)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from selfdirect.assessment import eligibility
from selfdirect.assessment.models import Assessment, Questionnaire
from selfdirect.people import codes
from selfdirect.people.models import Person, Relationship

# The demo carer's answers: caring 50 hours or more a week, with an effect on their health,
# their friendships and their time to themselves; willing to carry on, with help.
DEMO_CARER_ANSWERS = {
    "caring_time": "h50_plus",
    "health": "some",
    "relationships": "yes",
    "community": "some",
    "breaks": "no",
    "willing": "with_help",
}
# Other carers with a carer's assessment: at most this many (a handful).
OTHER_CARERS = 4


def _assessed_carer(
    *,
    carer: Person,
    cared_for: Person,
    carer_user: User | None,
    practitioner: User,
    answers: dict[str, str],
    today: dt.date,
) -> Assessment:
    """A carer's assessment answered (by the carer when they sign in, else with the
    practitioner), agreed and found eligible."""
    from selfdirect.assessment import services as assessing

    questionnaire = Questionnaire.objects.get(code="carers-assessment")
    assessment = assessing.assessment_start(
        actor=carer_user or practitioner,
        person=carer,
        questionnaire=questionnaire,
        mode="self" if carer_user else "practitioner",
        cared_for=cared_for,
    )
    sections = assessment.version.parsed.sections_for(assessment.user_group)
    views = (
        (("person", carer_user), ("agreed", practitioner))
        if carer_user
        else (("agreed", practitioner),)
    )
    for view, actor in views:
        assert actor is not None
        for section in sections:
            assessing.answer_record(
                actor=actor,
                assessment=assessment,
                section_id=section.id,
                option_id=answers.get(section.id, section.options[0].id),
                view=view,
            )
        if view == "person":
            assessing.assessment_submit(actor=actor, assessment=assessment)
    assessing.assessment_agree(actor=practitioner, assessment=assessment)
    unable = frozenset({eligibility.Unable.WITHOUT_ASSISTANCE})
    assessing.eligibility_decide(
        actor=practitioner,
        assessment=assessment,
        findings=eligibility.Findings(
            True, {"CE": unable, "CH": unable}, True, carer_health_deteriorating=True
        ),
        decided_on=today - dt.timedelta(days=40),
    )
    return assessment


def demo_carers_build(
    *,
    holder: Person,
    carer: Person,
    carer_user: User,
    practitioner: User,
    today: dt.date,
) -> dict[str, int]:
    """The demo carer's journey and a few other carers' assessments."""
    from selfdirect.planning import services as planning
    from selfdirect.planning.models import SupportPlan

    made = {"carers' assessments": 1}
    _assessed_carer(
        carer=carer,
        cared_for=holder,
        carer_user=carer_user,
        practitioner=practitioner,
        answers=DEMO_CARER_ANSWERS,
        today=today,
    )
    # The carer asks, in their words, for a review of the holder's plan.
    holder_plan = SupportPlan.objects.filter(person=holder, status="approved").first()
    if holder_plan is not None:
        planning.review_request(
            actor=carer_user,
            plan=holder_plan,
            asked_reason="carer_cannot_help",
            reason="My back has got worse and I cannot help with the evening routine any more.",
        )
    # A few other carers in the holder's team whose person shares their record with them.
    others = (
        Relationship.objects.filter(
            kind=codes.RelationshipKind.UNPAID_CARER,
            can_see_record=True,
            person__team=holder.team,
        )
        .exclude(person=holder)
        .select_related("person", "related_person")
        .order_by("id")[:OTHER_CARERS]
    )
    for link in others:
        _assessed_carer(
            carer=link.related_person,
            cared_for=link.person,
            carer_user=None,
            practitioner=practitioner,
            answers={"caring_time": "h20_to_49", "breaks": "some", "willing": "yes"},
            today=today,
        )
        made["carers' assessments"] += 1
    return made
