"""The question pages of an instrument, as GOV.UK patterns say: one question per page,
except a run of items in one part of the survey that share a scale (the outcome areas,
the process steps), which is one page of radio groups with one heading. Wording is the
instrument's, or its easy-read wording where it has one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from selfdirect.surveys.models import Instrument, Item

# Headings for a page of items sharing a scale, by (part of the survey, scale code):
# (standard wording, easy-read wording).
GROUP_HEADINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("outcomes", "impact"): (
        "Has the personal budget made a difference to these parts of life?",
        "Has the money made things better or worse?",
    ),
    ("process", "ease"): (
        "Did the council or NHS make each of these steps easy or difficult?",
        "Was each step easy or hard?",
    ),
    ("process", "views"): (
        "Were your views included?",
        "Did people listen to you?",
    ),
    ("budget", "views"): (
        "Were your views included?",
        "Did people listen to you?",
    ),
}
ANSWER_TOO_LONG = "Use 1,000 characters or fewer"


@dataclass(frozen=True)
class QuestionPage:
    number: int
    items: tuple[Item, ...]
    heading: str
    easy_heading: str

    @property
    def grouped(self) -> bool:
        return len(self.items) > 1


def question_pages(instrument: Instrument) -> list[QuestionPage]:
    items = list(instrument.items.select_related("scale").order_by("position"))
    runs: list[list[Item]] = []
    for item in items:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and item.kind == Item.Kind.CHOICE
            and last.kind == Item.Kind.CHOICE
            and item.group == last.group
            and item.scale_id == last.scale_id
            and (item.group, item.scale.code if item.scale else "") in GROUP_HEADINGS
        ):
            runs[-1].append(item)
        else:
            runs.append([item])
    pages: list[QuestionPage] = []
    for number, run in enumerate(runs, start=1):
        if len(run) > 1:
            assert run[0].scale is not None
            heading, easy = GROUP_HEADINGS[(run[0].group, run[0].scale.code)]
        else:
            heading, easy = run[0].text, run[0].easy_read_text or run[0].text
        pages.append(QuestionPage(number, tuple(run), heading, easy))
    return pages


def _label(item: Item, easy_read: bool) -> str:
    return item.easy_read_text if easy_read and item.easy_read_text else item.text


def _options(item: Item, easy_read: bool) -> list[tuple[str, str]]:
    assert item.scale is not None
    return [
        (str(o["code"]), str(o.get("easy_read") or o["label"]) if easy_read else str(o["label"]))
        for o in item.scale.options
    ]


def page_form(
    page: QuestionPage, *, data: Any = None, initial: dict[str, Any], easy_read: bool
) -> forms.Form:
    """The page's form: every question may be left blank (a skipped question)."""
    form = forms.Form(data=data, initial=initial)
    for item in page.items:
        label = _label(item, easy_read)
        field: forms.Field
        if item.kind == Item.Kind.CHOICE:
            field = forms.ChoiceField(
                label=label,
                required=False,
                choices=_options(item, easy_read),
                widget=forms.RadioSelect,
            )
        elif item.kind == Item.Kind.MULTI:
            field = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=_options(item, easy_read),
                widget=forms.CheckboxSelectMultiple,
                help_text="Select all that apply.",
            )
        elif item.kind == Item.Kind.NUMBER:
            field = forms.IntegerField(
                label=label, required=False, min_value=item.minimum, max_value=item.maximum
            )
        else:
            field = forms.CharField(
                label=label,
                required=False,
                max_length=1000,
                widget=forms.Textarea,
                error_messages={"max_length": ANSWER_TOO_LONG},
            )
        form.fields[item.code] = field
    return form


def answers_of(page: QuestionPage, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The page's answers as the services take them (text, or a list for ticked boxes)."""
    answers: dict[str, Any] = {}
    for item in page.items:
        value = cleaned.get(item.code)
        if item.kind == Item.Kind.MULTI:
            answers[item.code] = list(value or [])
        else:
            answers[item.code] = "" if value is None else str(value)
    return answers


def answer_text(item: Item, value: Any, *, easy_read: bool = False) -> str:
    """How an answer reads on the check-your-answers page."""
    values = [value] if isinstance(value, str) else list(value or [])
    values = [v for v in values if v]
    if not values:
        return "Not answered"
    if item.scale is not None:
        labels = dict(_options(item, easy_read))
        return ", ".join(labels.get(v, v) for v in values)
    return values[0]
