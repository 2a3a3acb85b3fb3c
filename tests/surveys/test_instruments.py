"""The shipped instruments: loaded by the data migration, published, and never edited in
place; a change is a new version that retires the old one on publication."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.audit.models import Event
from selfdirect.surveys import services
from selfdirect.surveys.definitions import (
    INSTRUMENTS_DIR,
    DefinitionError,
    definition_check,
    definition_read,
)
from selfdirect.surveys.models import (
    PUBLISHED_INSTRUMENT_IS_FROZEN,
    Instrument,
    InstrumentFrozen,
    Item,
)

pytestmark = pytest.mark.django_db


def _published(code: str) -> Instrument:
    return Instrument.objects.get(code=code, status=Instrument.Status.PUBLISHED)


def _codes(instrument: Instrument, group: str) -> list[str]:
    return list(instrument.items.filter(group=group).values_list("code", flat=True))


def test_every_shipped_instrument_is_published_version_one() -> None:
    assert sorted(Instrument.objects.values_list("code", "version", "status")) == [
        (code, 1, "published")
        for code in sorted(
            [
                "ascot",
                "ghq-12",
                "poet-carer",
                "poet-holder",
                "quality-of-life",
                "satisfaction",
                "self-perceived-health",
            ]
        )
    ]


def test_poet_holder_has_15_outcomes_and_9_process_steps_on_their_scales() -> None:
    poet = _published("poet-holder")
    outcomes = poet.items.filter(group="outcomes").select_related("scale")
    assert outcomes.count() == 15
    assert {i.scale.codes == ["5", "4", "3", "2", "1", "NR"] for i in outcomes} == {True}
    dignity = outcomes.get(code="dignity")
    assert dignity.text == "Being supported with dignity and respect"
    assert dignity.label == "Dignity" and dignity.easy_read_text
    process = poet.items.filter(group="process").select_related("scale")
    assert process.count() == 9
    assert {i.scale.codes == ["easy", "neither", "difficult", "na"] for i in process} == {True}
    assert process.first().text == "Information and advice"  # type: ignore[union-attr]
    assert {"holding", "duration", "plan_help", "spend", "views_plan"} <= set(
        _codes(poet, "budget")
    )
    assert {"gender", "age_band", "ethnicity", "main_reason", "general_health"} <= set(
        _codes(poet, "factors")
    )
    assert poet.items.get(code="plan_help").kind == Item.Kind.MULTI


def test_poet_carer_has_8_outcomes_and_its_factors() -> None:
    carer = _published("poet-carer")
    assert _codes(carer, "outcomes") == [
        "carer_control",
        "carer_rel_family_friends",
        "carer_rel_person",
        "carer_work_volunteer",
        "carer_stress",
        "qol_person",
        "qol_carer",
        "continue_caring",
    ]
    assert len(_codes(carer, "process")) == 4
    assert {"gender", "age_band", "ethnicity", "disability", "general_health"} == set(
        _codes(carer, "factors")
    )


def test_ibsen_instruments_have_their_items_and_scales() -> None:
    ghq = _published("ghq-12")
    assert ghq.items.count() == 12
    assert {i.scale.codes == ["0", "1", "2", "3"] for i in ghq.items.select_related("scale")} == {
        True
    }
    ascot = _published("ascot")
    current, expected = _codes(ascot, "current"), _codes(ascot, "expected")
    assert len(current) == len(expected) == 7
    assert [c.removeprefix("current_") for c in current] == [
        e.removeprefix("expected_") for e in expected
    ]
    assert {tuple(i.scale.codes) for i in ascot.items.select_related("scale")} == {
        ("no_needs", "low_needs", "high_needs")
    }
    assert "University of Kent" in ascot.licence_note
    quality = _published("quality-of-life").items.get()
    assert len(quality.scale.codes) == 7  # type: ignore[union-attr]
    health = _published("self-perceived-health").items.get()
    assert len(health.scale.codes) == 5  # type: ignore[union-attr]
    satisfaction = _published("satisfaction").items.select_related("scale")
    assert {len(i.scale.codes) for i in satisfaction} == {7, 8}  # planning adds "unaware"


def test_every_shipped_file_passes_the_definition_check() -> None:
    for path in INSTRUMENTS_DIR.glob("*.json"):
        data = definition_read(path)
        assert path.name == f"{data['code']}.v{data['version']}.json"


def test_a_definition_with_an_item_on_an_unknown_scale_is_refused() -> None:
    data = definition_read(INSTRUMENTS_DIR / "ghq-12.v1.json")
    data["items"][0]["scale"] = "nowhere"
    with pytest.raises(DefinitionError, match="Item ghq01 needs one of the instrument's scales"):
        definition_check(data)


def test_a_published_instrument_cannot_be_edited(council: Any) -> None:
    item = _published("poet-holder").items.get(code="dignity")
    with pytest.raises(services.SurveyRefused, match=PUBLISHED_INSTRUMENT_IS_FROZEN) as refused:
        services.item_wording_update(actor=council.users["admin"], item=item, text="X")
    assert refused.value.field == "text"
    item.refresh_from_db()
    assert item.text == "Being supported with dignity and respect"
    # Not even by going round the service.
    item.text = "Changed behind its back"
    with pytest.raises(InstrumentFrozen):
        item.save()
    scale = item.scale
    assert scale is not None
    scale.options = []
    with pytest.raises(InstrumentFrozen):
        scale.save()
    assert Item.objects.get(pk=item.pk).text == "Being supported with dignity and respect"


def test_a_new_version_is_a_draft_copy_that_can_change_and_then_replaces_the_old(
    council: Any,
) -> None:
    admin = council.users["admin"]
    v1 = _published("poet-holder")
    v2 = services.instrument_version_new(actor=admin, source=v1)
    assert (v2.version, v2.status) == (2, Instrument.Status.DRAFT)
    assert v2.items.count() == v1.items.count() == 43
    item = v2.items.get(code="dignity")
    services.item_wording_update(actor=admin, item=item, text="Being treated with dignity")

    services.instrument_publish(actor=admin, instrument=v2)

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Instrument.Status.RETIRED, Instrument.Status.PUBLISHED)
    assert v1.items.get(code="dignity").text == "Being supported with dignity and respect"
    assert v2.items.get(code="dignity").text == "Being treated with dignity"
    assert Event.objects.filter(object_type="survey_instrument", object_id=str(v2.pk)).count() == 2
    with pytest.raises(services.SurveyRefused, match=services.ONLY_DRAFTS_PUBLISH):
        services.instrument_publish(actor=admin, instrument=v2)


def test_the_loader_refills_an_emptied_database_with_published_instruments() -> None:
    """What a transactional test's flush leaves: no instruments. The migration's loader,
    run with the real models (their save guards included), puts all seven back."""
    from django.apps import apps

    from tests.surveys.conftest import LOAD

    Instrument.objects.all().delete()
    LOAD(apps, None)
    assert Instrument.objects.filter(status=Instrument.Status.PUBLISHED).count() == 7
    assert _published("poet-holder").items.count() == 43
    LOAD(apps, None)  # and again changes nothing
    assert Instrument.objects.count() == 7
