"""Loading licensed wording (manage.py survey_wording_load): ASCOT and GHQ-12 ship with codes
only; a council loads the wording it holds a licence for from CSV. That publishes a NEW
version with the same codes (the version in use is never edited), records the licence and
is audited; a bad file is refused whole, every error naming its row and column. Only then
can a campaign ask the survey, and its pages show the loaded wording. The wording here is
made up: no licensed wording is shipped or tested."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from selfdirect.audit.models import Event
from selfdirect.surveys import campaigns, wording
from selfdirect.surveys.forms import CampaignForm
from selfdirect.surveys.frame import responses_frame
from selfdirect.surveys.models import Instrument
from selfdirect.surveys.selectors import instruments_open
from selfdirect.surveys.services import SurveyRefused, response_record
from tests.surveys.helpers import campaign_make, plan_with_review

pytestmark = pytest.mark.django_db

HEADER = (
    "instrument,item_code,question_text,question_easy_read,option_code,option_text,option_easy_read"
)
LICENCE = "Made-up licence 123 for tests"


def _ascot() -> Instrument:
    return Instrument.objects.get(code="ascot", status=Instrument.Status.PUBLISHED)


def _rows(instrument: Instrument) -> list[str]:
    """One row per item and answer, with made-up wording that differs for every item."""
    rows = [HEADER]
    for item in instrument.items.select_related("scale").order_by("position"):
        assert item.scale is not None
        for n, code in enumerate(item.scale.codes):
            question = f"Pretend question about {item.code}?" if n == 0 else ""
            easy = f"Easy {item.code}?" if n == 0 else ""
            rows.append(f"ascot,{item.code},{question},{easy},{code},Pretend {item.code} {code},")
    return rows


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "wording.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _load(path: Path, licence: str = LICENCE) -> None:
    call_command("survey_wording_load", "--instrument", "ascot", str(path), "--licence", licence)


def test_loading_publishes_a_new_version_with_the_wording_and_the_same_codes(
    tmp_path: Path,
) -> None:
    old = _ascot()
    old_items = {i.code: (i.text, tuple(i.scale.codes)) for i in old.items.select_related("scale")}
    _load(_write(tmp_path, _rows(old)))

    new = _ascot()
    assert (new.version, new.wording_loaded, new.wording_licence) == (2, True, LICENCE)
    old.refresh_from_db()
    assert old.status == Instrument.Status.RETIRED and not old.wording_loaded
    # The old version is untouched: its codes-only text stays.
    assert {
        i.code: (i.text, tuple(i.scale.codes)) for i in old.items.select_related("scale")
    } == old_items
    new_items = {i.code: i for i in new.items.select_related("scale")}
    assert set(new_items) == set(old_items)
    control = new_items["current_control"]
    assert control.text == "Pretend question about current_control?"
    assert control.easy_read_text == "Easy current_control?"
    assert control.scale is not None and control.scale.codes == list(
        old_items["current_control"][1]
    )
    assert control.scale.options[0]["label"] == "Pretend current_control no_needs"
    assert new.licence_note == old.licence_note
    event = Event.objects.get(object_type="survey_instrument", object_id=new.pk, action="create")
    assert "Loaded wording" in event.summary and event.changes["Licence"] == [None, LICENCE]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda rows: [*rows[:2], "ascot,no_such_item,Q?,,no_needs,A,", *rows[2:]],
            "Row 3, column item_code: "
            + wording.WORDING_UNKNOWN_ITEM.format(item="no_such_item", code="ascot"),
        ),
        (
            lambda rows: [r for r in rows if not r.endswith("current_safety high_needs,")],
            "Row 5, column option_code: "
            + wording.WORDING_MISSING_OPTION.format(item="current_safety", option="high_needs"),
        ),
        (
            lambda rows: (
                [rows[0], rows[1].replace("Pretend question about current_control?", ""), *rows[2:]]
            ),
            "Row 2, column question_text: "
            + wording.WORDING_EMPTY_TEXT.format(what="question text"),
        ),
        (
            lambda rows: (
                [*rows[:3], rows[3].replace("Pretend current_control high_needs", ""), *rows[4:]]
            ),
            "Row 4, column option_text: " + wording.WORDING_EMPTY_TEXT.format(what="answer text"),
        ),
        (
            lambda rows: [rows[0], rows[1].replace("ascot,", "ghq-12,", 1), *rows[2:]],
            "Row 2, column instrument: "
            + wording.WORDING_WRONG_INSTRUMENT.format(found="ghq-12", code="ascot"),
        ),
        (
            lambda rows: [rows[0].replace(",option_text", ""), *rows[1:]],
            "Row 1, column option_text: "
            + wording.WORDING_MISSING_COLUMN.format(column="option_text"),
        ),
    ],
    ids=[
        "unknown item",
        "missing option",
        "empty question",
        "empty answer",
        "wrong instrument",
        "no column",
    ],
)
def test_a_bad_file_is_refused_naming_row_and_column_and_changes_nothing(
    tmp_path: Path, change: Any, expected: str
) -> None:
    before = (Instrument.objects.count(), Event.objects.count())
    path = _write(tmp_path, change(_rows(_ascot())))
    with pytest.raises(CommandError) as refused:
        _load(path)
    assert "Nothing was loaded" in str(refused.value)
    assert expected in str(refused.value).splitlines()
    assert (Instrument.objects.count(), Event.objects.count()) == before
    assert _ascot().version == 1


def test_an_item_with_no_rows_is_named(tmp_path: Path) -> None:
    rows = [r for r in _rows(_ascot()) if ",expected_food," not in r]
    with pytest.raises(CommandError) as refused:
        _load(_write(tmp_path, rows))
    assert "Column item_code: " + wording.WORDING_MISSING_ITEM.format(item="expected_food") in (
        str(refused.value).splitlines()
    )
    assert _ascot().version == 1


def test_a_campaign_can_ask_ascot_only_once_its_wording_is_loaded(
    client: Any, council: Any, tmp_path: Path
) -> None:
    plan_with_review(council, council.holder_person)
    assert _ascot() not in instruments_open()
    with pytest.raises(SurveyRefused, match=campaigns.CAMPAIGN_INSTRUMENT_NO_WORDING):
        campaign_make(council, instrument=_ascot())
    assert not campaigns.Campaign.objects.exists()

    _load(_write(tmp_path, _rows(_ascot())))
    loaded = _ascot()
    assert loaded in instruments_open()
    assert loaded in CampaignForm().fields["instrument"].queryset
    # GHQ-12, whose wording is not loaded, is still not offered.
    assert not instruments_open().filter(code="ghq-12").exists()
    invitation = campaign_make(council, instrument=loaded).invitations.get()
    client.force_login(council.users["holder"])
    base = f"/surveys/invitations/{invitation.pk}/"
    client.post(f"{base}who/", {"answered_by": "self"})
    page = client.get(f"{base}questions/1/").content.decode()
    assert "Pretend question about current_control?" in page
    assert "Pretend current_control low_needs" in page


def test_responses_to_the_old_version_are_unaffected_and_analyse_by_the_same_codes(
    council: Any, tmp_path: Path
) -> None:
    from selfdirect.evaluation.cohort import _latest

    old = _ascot()
    when = timezone.now() - dt.timedelta(days=1)
    response_record(
        actor=None,
        instrument=old,
        person=council.holder_person,
        answered_by="self",
        channel="paper",
        submitted_at=when,
        answers={"current_control": "low_needs"},
    )
    _load(_write(tmp_path, _rows(old)))
    new = _ascot()
    response_record(
        actor=None,
        instrument=new,
        person=council.other_person,
        answered_by="self",
        channel="paper",
        submitted_at=when,
        answers={"current_control": "high_needs"},
    )
    # The old response still answers version 1, with its items as they were.
    assert responses_frame(old).items["current_control"] == ["low_needs"]
    assert responses_frame(new).items["current_control"] == ["high_needs"]
    assert set(responses_frame(old).items) == set(responses_frame(new).items)
    people, _anonymous = _latest("ascot")
    assert people[council.holder_person.pk][1]["current_control"] == "low_needs"
    assert people[council.other_person.pk][1]["current_control"] == "high_needs"


def test_a_later_version_drafted_from_the_loaded_one_keeps_its_wording_and_licence(
    council: Any, tmp_path: Path
) -> None:
    from selfdirect.surveys.services import instrument_version_new

    _load(_write(tmp_path, _rows(_ascot())))
    draft = instrument_version_new(actor=council.users["admin"], source=_ascot())
    assert (draft.version, draft.wording_loaded, draft.wording_licence) == (3, True, LICENCE)
    assert draft.items.get(code="expected_food").text == "Pretend question about expected_food?"
