"""The self-assessment journey through the pages, and the practitioner's review."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.assessment.models import Answer, Assessment, EligibilityDecision

pytestmark = pytest.mark.django_db


def _sections(assessment: Assessment) -> list[Any]:
    return list(assessment.version.parsed.sections_for(assessment.user_group))


def test_holder_answers_one_question_a_page_checks_and_sends(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    page = client.get("/assessments/start/").content.decode()
    assert "A self-assessment for me" in page
    response = client.post("/assessments/start/", {"choice": f"self:{council.holder_person.pk}"})
    assessment = Assessment.objects.filter(person=council.holder_person).latest("id")
    sections = _sections(assessment)
    assert response["Location"] == f"/assessments/{assessment.pk}/questions/{sections[0].id}/"
    question = client.get(response["Location"]).content.decode()
    assert f'<h1 class="govuk-fieldset__heading">{sections[0].question}</h1>' in question
    assert f"Question 1 of {len(sections)}" in question
    # No answer: a clear error and nothing saved.
    error = client.post(response["Location"], {}).content.decode()
    assert "<title>Error: " in error and "Select an answer" in error
    assert not Answer.objects.filter(assessment=assessment).exists()
    # Answer everything but the last, then "come back later": answers are kept.
    for i, section in enumerate(sections[:-1]):
        nxt = client.post(
            f"/assessments/{assessment.pk}/questions/{section.id}/",
            {"option": section.options[1].id},
        )
        assert nxt["Location"] == f"/assessments/{assessment.pk}/questions/{sections[i + 1].id}/"
    check = client.get(f"/assessments/{assessment.pk}/check/").content.decode()
    assert "Not answered" in check
    refused = client.post(f"/assessments/{assessment.pk}/check/").content.decode()
    assert "Answer every question before you submit" in refused
    last = sections[-1]
    done = client.post(
        f"/assessments/{assessment.pk}/questions/{last.id}/", {"option": last.options[0].id}
    )
    assert done["Location"] == f"/assessments/{assessment.pk}/check/"
    # Change an answer from the check page and come back to it.
    change = client.post(
        f"/assessments/{assessment.pk}/questions/{sections[0].id}/",
        {"option": sections[0].options[2].id, "then": "check"},
    )
    assert change["Location"] == f"/assessments/{assessment.pk}/check/"
    sent = client.post(f"/assessments/{assessment.pk}/check/")
    assert sent["Location"] == f"/assessments/{assessment.pk}/submitted/"
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert (
        Answer.objects.get(assessment=assessment, section_id=sections[0].id).person_option
        == sections[0].options[2].id
    )
    confirmation = client.get(sent["Location"]).content.decode()
    assert f"A{assessment.pk:06d}" in confirmation


def test_practitioner_reviews_agrees_and_decides_eligibility(client: Any, council: Any) -> None:
    assessment = council.holder_assessment
    client.force_login(council.users[Role.HOLDER])
    for section in _sections(assessment):
        client.post(
            f"/assessments/{assessment.pk}/questions/{section.id}/",
            {"option": section.options[1].id},
        )
    client.post(f"/assessments/{assessment.pk}/check/")
    practitioner = council.users[Role.PRACTITIONER]
    client.force_login(practitioner)
    first = _sections(assessment)[0]
    response = client.post(
        f"/assessments/{assessment.pk}/review/{first.id}/", {"worker": first.options[2].id}
    )
    assert response.status_code == 302
    detail = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "The person's and the worker's answers differ on 1 question." in detail
    refused = client.post(f"/assessments/{assessment.pk}/agree/", follow=True).content.decode()
    assert "Record the agreed answer to every question first" in refused
    for section in _sections(assessment):
        client.post(
            f"/assessments/{assessment.pk}/review/{section.id}/",
            {"worker": section.options[1].id, "agreed": section.options[1].id},
        )
    client.post(f"/assessments/{assessment.pk}/agree/")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AGREED
    form = client.get(f"/assessments/{assessment.pk}/eligibility/").content.decode()
    assert "Managing and maintaining nutrition" in form
    empty = client.post(f"/assessments/{assessment.pk}/eligibility/", {}).content.decode()
    assert "Select whether there is a significant impact on wellbeing" in empty
    data = {
        "needs_from_condition": "yes",
        "facs_band": "substantial",
        "significant_impact": "yes",
        "unable_A": ["without_assistance"],
        "unable_C": ["endangers_safety", "significantly_longer"],
        "decided_on_day": "1",
        "decided_on_month": "6",
        "decided_on_year": "2025",
    }
    assert client.post(f"/assessments/{assessment.pk}/eligibility/", data).status_code == 302
    decision = EligibilityDecision.objects.get(assessment=assessment)
    assert decision.eligible and decision.decided_by == practitioner
    assert decision.facs_band == "substantial"
    shown = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Unable to achieve managing toilet needs:" in shown
    assert "(C)" not in shown and "care-act-2015" not in shown
    assert (
        "under the Care and Support (Eligibility Criteria) Regulations 2015, regulation 2 (adults)"
        in shown
    )


def test_carer_starts_own_assessment_which_the_holder_cannot_open(
    client: Any, council: Any
) -> None:
    client.force_login(council.users[Role.CARER])
    page = client.get("/assessments/start/").content.decode()
    assert "A carer&#x27;s assessment for me, as carer of Ada Holder" in page
    response = client.post("/assessments/start/", {"choice": f"carer:{council.holder_person.pk}"})
    carers = Assessment.objects.get(cared_for=council.holder_person)
    assert response["Location"].startswith(f"/assessments/{carers.pk}/questions/")
    client.force_login(council.users[Role.HOLDER])
    assert client.get(f"/assessments/{carers.pk}/").status_code == 404
    client.force_login(council.users[Role.REPRESENTATIVE])
    assert client.get(f"/assessments/{carers.pk}/").status_code == 404
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get(f"/assessments/{carers.pk}/").status_code == 200


def test_start_refuses_a_choice_not_offered(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    page = client.post(
        "/assessments/start/", {"choice": f"self:{council.other_person.pk}"}
    ).content.decode()
    assert "Select which assessment to start" in page
    assert (
        not Assessment.objects.filter(person=council.other_person)
        .exclude(pk=council.other_assessment.pk)
        .exists()
    )


def test_the_answers_table_scrolls_in_its_own_region_at_320px(client: Any, council: Any) -> None:
    """Four columns do not fit 320 px: the table scrolls inside a labelled, focusable region
    instead of the whole page scrolling sideways (found by the casework journey, issue 11)."""
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/assessments/{council.holder_assessment.pk}/").content.decode()
    region = page.index(
        '<div class="sd-table-scroll" role="region" aria-label="Answers" tabindex="0">'
    )
    assert region < page.index("<caption") < page.index("</table>") < page.index("</div>", region)
