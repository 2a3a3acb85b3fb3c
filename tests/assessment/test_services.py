"""Questionnaire versions, three-valued answers, triggers, submission and eligibility."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.assessment import services
from selfdirect.assessment.eligibility import Findings, Unable
from selfdirect.assessment.models import Answer, QuestionnaireVersion, Referral
from selfdirect.assessment.questionnaire import (
    DefinitionError,
    default_definition,
    definition_parse,
)
from selfdirect.assessment.selectors import assessments_of, assessments_visible_to
from selfdirect.audit.models import Event

pytestmark = pytest.mark.django_db


def test_defaults_install_once_and_parse(questionnaires: Any) -> None:
    assert services.questionnaires_install_defaults() == []
    self_version = services.version_in_force(questionnaires["self"])
    definition = self_version.parsed
    outcomes = {s.outcome for s in definition.sections if s.outcome}
    assert outcomes == set("ABCDEFGHIJ")
    ids = {s.id for s in definition.sections}
    assert {"night_care", "two_workers", "fluctuating", "carer"} <= ids
    assert {s.id for s in definition.sections_for("learning_disability")} - {
        s.id for s in definition.sections_for("older_people")
    } == {"ld_risk"}
    carer = services.version_in_force(questionnaires["carer"]).parsed
    assert {s.outcome for s in carer.sections if s.outcome} == {
        "CA",
        "CB",
        "CC",
        "CD",
        "CE",
        "CF",
        "CG",
        "CH",
    }


def test_published_versions_are_immutable_and_drafts_take_changes(
    questionnaires: Any, council: Any
) -> None:
    admin = council.users[Role.ADMIN]
    published = services.version_in_force(questionnaires["self"])
    changed = copy.deepcopy(published.definition)
    changed["sections"][0]["options"][1]["points"] = 5
    with pytest.raises(services.AssessmentError, match="A published version cannot be changed"):
        services.questionnaire_version_update(actor=admin, version=published, definition=changed)
    draft = services.questionnaire_version_draft(actor=admin, source=published)
    assert draft.number == 2
    services.questionnaire_version_update(actor=admin, version=draft, definition=changed)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert published.definition["sections"][0]["options"][1]["points"] == 4
    assert draft.content_hash != published.content_hash
    services.questionnaire_version_publish(
        actor=admin, version=draft, effective_from=dt.date.today() + dt.timedelta(days=30)
    )
    # Published for a future date: today's version is still the old one.
    assert services.version_in_force(questionnaires["self"]).pk == published.pk
    assert (
        services.version_in_force(
            questionnaires["self"], dt.date.today() + dt.timedelta(days=30)
        ).pk
        == draft.pk
    )
    assert Event.objects.filter(
        object_type="questionnaire_version", summary__startswith="Published version 2"
    ).exists()


def test_bad_definitions_name_the_place() -> None:
    data = default_definition("self-assessment")
    data["sections"][2]["options"][1]["points"] = -1
    with pytest.raises(
        DefinitionError,
        match=r"sections\[2\]\.options\[1\]\.points must be a whole number from 0 to 1000",
    ):
        definition_parse(data)
    data = default_definition("self-assessment")
    data["sections"][1]["id"] = data["sections"][0]["id"]
    with pytest.raises(
        DefinitionError, match=r"sections\[1\]\.id 'nutrition' is used by another section"
    ):
        definition_parse(data)


def _answer_all(assessment: Any, actor: Any, view: str, option_index: int = 1) -> None:
    for section in assessment.version.parsed.sections_for(assessment.user_group):
        option = section.options[min(option_index, len(section.options) - 1)]
        services.answer_record(
            actor=actor,
            assessment=assessment,
            section_id=section.id,
            option_id=option.id,
            view=view,
        )


def test_three_values_discrepancies_and_agreement(questionnaires: Any, council: Any) -> None:
    holder, practitioner = council.users[Role.HOLDER], council.users[Role.PRACTITIONER]
    assessment = services.assessment_start(
        actor=holder,
        person=council.holder_person,
        questionnaire=questionnaires["self"],
        mode="self",
    )
    with pytest.raises(services.AssessmentError, match="Answer every question before you submit"):
        services.assessment_submit(actor=holder, assessment=assessment)
    _answer_all(assessment, holder, "person", 1)
    services.assessment_submit(actor=holder, assessment=assessment)
    services.answer_record(
        actor=practitioner,
        assessment=assessment,
        section_id="nutrition",
        option_id="most",
        view="worker",
    )
    answer = Answer.objects.get(assessment=assessment, section_id="nutrition")
    assert (answer.person_option, answer.worker_option, answer.differs) == ("some", "most", True)
    assert answer.person_answered_by == holder and answer.worker_answered_by == practitioner
    with pytest.raises(
        services.AssessmentError, match="Record the agreed answer to every question first"
    ):
        services.assessment_agree(actor=practitioner, assessment=assessment)
    _answer_all(assessment, practitioner, "agreed", 1)
    services.assessment_agree(actor=practitioner, assessment=assessment)
    with pytest.raises(services.AssessmentError, match="This assessment has been agreed"):
        services.answer_record(
            actor=practitioner,
            assessment=assessment,
            section_id="nutrition",
            option_id="all",
            view="agreed",
        )
    history = Event.objects.filter(
        person=council.holder_person,
        object_type="answer",
        summary__startswith="The worker's answer",
    )
    assert history.get().changes == {
        "Eating and drinking (worker)": [None, "I need help with most meals"]
    }


def test_unknown_option_is_refused(questionnaires: Any, council: Any) -> None:
    assessment = services.assessment_start(
        actor=council.users[Role.HOLDER],
        person=council.holder_person,
        questionnaire=questionnaires["self"],
        mode="self",
    )
    with pytest.raises(services.AssessmentError, match="Select one of the answers"):
        services.answer_record(
            actor=council.users[Role.HOLDER],
            assessment=assessment,
            section_id="nutrition",
            option_id="lots",
            view="person",
        )


def test_trigger_answers_raise_one_referral_each(questionnaires: Any, council: Any) -> None:
    holder = council.users[Role.HOLDER]
    assessment = services.assessment_start(
        actor=holder,
        person=council.holder_person,
        questionnaire=questionnaires["self"],
        mode="self",
    )
    services.answer_record(
        actor=holder,
        assessment=assessment,
        section_id="home_safety",
        option_id="some",
        view="person",
    )
    services.answer_record(
        actor=holder, assessment=assessment, section_id="equipment", option_id="need", view="person"
    )
    services.answer_record(
        actor=holder, assessment=assessment, section_id="equipment", option_id="have", view="person"
    )
    services.answer_record(
        actor=holder, assessment=assessment, section_id="equipment", option_id="need", view="person"
    )
    assert sorted(
        Referral.objects.filter(assessment=assessment).values_list("trigger", flat=True)
    ) == ["adaptations", "equipment"]


def test_carers_answers_are_hidden_from_the_cared_for_person(
    questionnaires: Any, council: Any
) -> None:
    carer_user = council.users[Role.CARER]
    carer_person = carer_user.profile.person
    carers = services.assessment_start(
        actor=carer_user,
        person=carer_person,
        questionnaire=questionnaires["carer"],
        mode="self",
        cared_for=council.holder_person,
    )
    assert carers in assessments_visible_to(carer_user)
    assert carers in assessments_of(council.users[Role.PRACTITIONER], council.holder_person.pk)
    for role in (Role.HOLDER, Role.REPRESENTATIVE, Role.PROVIDER, Role.FINANCE, Role.ADMIN):
        assert carers not in assessments_visible_to(council.users[role]), role
    with pytest.raises(services.AssessmentError, match="Choose the person being cared for"):
        services.assessment_start(
            actor=carer_user,
            person=carer_person,
            questionnaire=questionnaires["carer"],
            mode="self",
        )


def test_eligibility_decision_records_criteria_and_reasons(
    questionnaires: Any, council: Any
) -> None:
    practitioner = council.users[Role.PRACTITIONER]
    assessment = services.assessment_start(
        actor=practitioner,
        person=council.holder_person,
        questionnaire=questionnaires["self"],
        mode="practitioner",
    )
    findings = Findings(
        True,
        {
            "A": frozenset({Unable.WITHOUT_ASSISTANCE}),
            "B": frozenset({Unable.SIGNIFICANTLY_LONGER}),
        },
        True,
    )
    decision = services.eligibility_decide(
        actor=practitioner, assessment=assessment, findings=findings, decided_on=dt.date.today()
    )
    assert decision.eligible
    assert decision.criteria_code == "care-act-2015-adult"
    assert decision.findings["unable"] == {
        "A": ["without_assistance"],
        "B": ["significantly_longer"],
    }
    assert any("maintaining personal hygiene" in r for r in decision.reasons)
    with pytest.raises(services.AssessmentError, match="already been decided"):
        services.eligibility_decide(
            actor=practitioner, assessment=assessment, findings=findings, decided_on=dt.date.today()
        )


def test_no_version_in_force(questionnaires: Any, council: Any) -> None:
    QuestionnaireVersion.objects.filter(questionnaire=questionnaires["self"]).update(
        effective_from=dt.date.today() + dt.timedelta(days=1)
    )
    with pytest.raises(
        services.AssessmentError,
        match="There is no published version of this questionnaire in force today",
    ):
        services.assessment_start(
            actor=council.users[Role.HOLDER],
            person=council.holder_person,
            questionnaire=questionnaires["self"],
            mode="self",
        )
