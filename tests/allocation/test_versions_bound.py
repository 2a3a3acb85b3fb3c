"""A RAS version is bound to the questionnaire version it prices, and neither can be
published while a section of the questionnaire would score nothing (issue 11)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from selfdirect.allocation import services
from selfdirect.allocation.models import RasVersion
from selfdirect.allocation.pricing import Person, price_one
from selfdirect.assessment import services as assessment_services
from selfdirect.assessment.models import QuestionnaireVersion
from selfdirect.assessment.services import AssessmentError

pytestmark = pytest.mark.django_db
DEFAULT_RAS = services.DEFAULT_RAS

PETS = {
    "id": "pets",
    "title": "Looking after pets",
    "question": "How much help do you need looking after your pets?",
    "options": [
        {"id": "none", "text": "None", "points": 0},
        {"id": "some", "text": "Some", "points": 10},
    ],
}


def _draft_with_pets(admin: Any) -> QuestionnaireVersion:
    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    draft = assessment_services.questionnaire_version_draft(actor=admin, source=published)
    definition = copy.deepcopy(draft.definition)
    definition["sections"].append(PETS)
    return assessment_services.questionnaire_version_update(
        actor=admin, version=draft, definition=definition
    )


def _ras_pricing_pets() -> dict[str, Any]:
    data = json.loads(DEFAULT_RAS.read_text())
    data["sections"].append({"id": "pets", "points": {"none": 0, "some": 10}})
    return data


def test_existing_ras_is_bound_to_the_questionnaire_version_it_prices(council: Any) -> None:
    ras = RasVersion.objects.get(code="default-ras")
    assert ras.questionnaire_version == QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )


def test_an_answer_to_a_section_the_ras_does_not_price_scores_nothing(council: Any) -> None:
    """Why the rule exists: the engine gives an unpriced section's answer no points at all."""
    ras = services.ras_definition(RasVersion.objects.get(code="default-ras"))
    alone = price_one(ras, Person({}, "older_people", {}))
    with_pets = price_one(ras, Person({"pets": "some"}, "older_people", {}))
    assert with_pets["weekly_pence"] == alone["weekly_pence"]


def test_publishing_a_questionnaire_with_an_unpriced_section_is_refused(council: Any) -> None:
    admin = council.users["admin"]
    draft = _draft_with_pets(admin)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(AssessmentError) as refused:
        assessment_services.questionnaire_version_publish(
            actor=admin, version=draft, effective_from=tomorrow
        )
    assert str(refused.value) == services.QUESTIONNAIRE_UNPRICED.format(
        ras="Default Resource Allocation System version 1",
        on="1 April 2015",
        sections="the section ‘Looking after pets’",
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_draft_ras_that_prices_it_then_both_can_go(council: Any) -> None:
    admin = council.users["admin"]
    draft = _draft_with_pets(admin)
    ras_draft = services.ras_version_create(actor=admin, data=_ras_pricing_pets())
    assert ras_draft.questionnaire_version == draft  # the newest version, by default
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(AssessmentError) as refused:
        assessment_services.questionnaire_version_publish(
            actor=admin, version=draft, effective_from=tomorrow
        )
    assert str(refused.value).endswith(
        services.QUESTIONNAIRE_UNPRICED_DRAFT.format(draft=str(ras_draft))
    )
    services.ras_version_publish(actor=admin, version=ras_draft, effective_from=tomorrow)
    published = assessment_services.questionnaire_version_publish(
        actor=admin, version=draft, effective_from=tomorrow
    )
    assert published.status == "published"
    ras = services.ras_definition(services.ras_version_in_force(draft.questionnaire, tomorrow))
    assert (
        price_one(ras, Person({"pets": "some"}, "older_people", {}))["weekly_pence"]
        > price_one(ras, Person({"pets": "none"}, "older_people", {}))["weekly_pence"]
    )


def test_publishing_a_ras_that_drops_a_section_is_refused(council: Any) -> None:
    admin = council.users["admin"]
    data = json.loads(DEFAULT_RAS.read_text())
    data["sections"] = [s for s in data["sections"] if s["id"] != "community"]
    draft = services.ras_version_create(actor=admin, data=data)
    with pytest.raises(services.AllocationError) as refused:
        services.ras_version_publish(
            actor=admin, version=draft, effective_from=dt.date.today() + dt.timedelta(days=1)
        )
    assert str(refused.value) == services.RAS_UNPRICED.format(
        sections="the section ‘Getting out and about’",
        questionnaire="Your self-assessment version 1",
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_ras_bound_to_another_questionnaires_version_is_refused(council: Any) -> None:
    carers = QuestionnaireVersion.objects.get(questionnaire__code="carers-assessment")
    with pytest.raises(services.AllocationError) as refused:
        services.ras_version_create(
            actor=council.users["admin"],
            data=json.loads(DEFAULT_RAS.read_text()),
            questionnaire_version=carers,
        )
    assert refused.value.field == "questionnaire_version"
    assert RasVersion.objects.count() == 1


def test_every_shipped_questionnaire_section_is_priced_by_the_shipped_ras(council: Any) -> None:
    ras = RasVersion.objects.get(code="default-ras")
    assert services.questionnaire_publish_refusal(ras.questionnaire_version, dt.date.today()) == ""


@pytest.mark.django_db(transaction=True)
def test_the_binding_migration_binds_the_version_in_force_and_reverses() -> None:
    """Historical models only (no audit events), so the test database empties after."""
    before = [("allocation", "0006_challenge_channel_and_who_asked")]
    after = [("allocation", "0007_ras_bound_to_questionnaire_version")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    questionnaire = old.get_model("assessment", "Questionnaire").objects.create(
        code="self-assessment", title="Self-assessment", kind="self"
    )
    versions = old.get_model("assessment", "QuestionnaireVersion").objects
    in_force = versions.create(
        questionnaire=questionnaire,
        number=1,
        definition={},
        content_hash="a",
        status="published",
        effective_from=dt.date(2015, 4, 1),
    )
    versions.create(questionnaire=questionnaire, number=2, definition={}, content_hash="b")
    ras = old.get_model("allocation", "RasVersion").objects.create(
        code="ras",
        number=1,
        title="RAS",
        questionnaire=questionnaire,
        definition={},
        content_hash="c",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    bound = new.get_model("allocation", "RasVersion").objects.get(pk=ras.pk)
    assert bound.questionnaire_version_id == in_force.pk  # in force, not the newer draft
    executor = MigrationExecutor(connection)
    executor.migrate(before)  # and back again
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_new_answer_the_ras_gives_no_points_is_refused_on_the_page(
    client: Any, council: Any
) -> None:
    admin = council.users["admin"]
    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    draft = assessment_services.questionnaire_version_draft(actor=admin, source=published)
    definition = copy.deepcopy(draft.definition)
    community = next(s for s in definition["sections"] if s["id"] == "community")
    community["options"].append({"id": "weekends", "text": "Only at weekends", "points": 2})
    assessment_services.questionnaire_version_update(
        actor=admin, version=draft, definition=definition
    )
    client.force_login(admin)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    page = client.post(
        f"/admin/questionnaires/versions/{draft.pk}/",
        {
            "action": "publish",
            "effective_from_day": tomorrow.day,
            "effective_from_month": tomorrow.month,
            "effective_from_year": tomorrow.year,
        },
    ).content.decode()
    assert "does not price the section ‘Getting out and about’" in page
    assert "<title>Error: " in page
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_administrator_chooses_the_questionnaire_version_on_upload(
    client: Any, council: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = council.users["admin"]
    published = QuestionnaireVersion.objects.get(
        questionnaire__code="self-assessment", status="published"
    )
    _draft_with_pets(admin)  # the newest version now, which the RAS file does not price
    carers = QuestionnaireVersion.objects.get(questionnaire__code="carers-assessment")
    client.force_login(admin)

    def upload(chosen: int) -> Any:
        data = DEFAULT_RAS.read_bytes()
        return client.post(
            "/admin/ras/",
            {"ras": SimpleUploadedFile("r.json", data), "questionnaire_version": chosen},
        )

    page = upload(carers.pk).content.decode()
    assert services.RAS_OTHER_QUESTIONNAIRE.format(questionnaire="Your self-assessment") in page
    assert RasVersion.objects.count() == 1
    response = upload(published.pk)
    added = RasVersion.objects.get(status="draft")
    assert response["Location"] == f"/admin/ras/{added.pk}/"
    assert added.questionnaire_version == published
