"""Forms administrators use to build questionnaire versions."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from selfdirect.access.second_administrator import backdated_reason_field
from selfdirect.assessment.questionnaire import TRIGGER_NAMES, USER_GROUPS
from selfdirect.forms_gov import GovDateField, required_message

OPTIONS_HELP = "One answer a line: an id, the words the person sees, and the points, separated by |. For example: some | I need help sometimes | 4"
_OPTION_LINE = re.compile(
    r"^\s*([a-z][a-z0-9_]{0,39})\s*\|\s*(.+?)\s*\|\s*(\d{1,4})\s*(\|\s*referral\s*)?$"
)


class SectionForm(forms.Form):
    id = forms.RegexField(
        label="Section id",
        regex=r"^[a-z][a-z0-9_]{0,39}$",
        max_length=40,
        help_text="Lower-case letters, digits and _ . It links answers and RAS points, so keep it once published.",
        error_messages={
            "required": "Enter a section id",
            "invalid": "The id can only contain lower-case letters, digits and _, starting with a letter",
        },
    )
    title = forms.CharField(
        label="Title", max_length=120, error_messages=required_message("A title")
    )
    question = forms.CharField(
        label="Question", max_length=300, error_messages=required_message("The question")
    )
    hint = forms.CharField(label="Hint (optional)", max_length=2000, required=False)
    guidance = forms.CharField(
        label="Guidance for practitioners (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )
    outcome = forms.CharField(
        label="Care Act outcome code (optional)",
        max_length=4,
        required=False,
        help_text="A to J for adults, CA to CH for carers.",
    )
    bolt_on_for = forms.ChoiceField(
        label="Only ask people in this user group (optional)",
        required=False,
        choices=[("", "Everyone"), *[(g, g.replace("_", " ").capitalize()) for g in USER_GROUPS]],
    )
    trigger = forms.ChoiceField(
        label="Referral this question can raise (optional)",
        required=False,
        choices=[("", "None"), *TRIGGER_NAMES.items()],
    )
    options = forms.CharField(
        label="Answers",
        widget=forms.Textarea,
        help_text=OPTIONS_HELP + ". Add | referral to an answer that raises the referral.",
        error_messages=required_message("The answers"),
    )

    def clean_options(self) -> list[dict[str, Any]]:
        options = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _OPTION_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    f"Line {number} of the answers must be: id | words | points"
                )
            option: dict[str, Any] = {
                "id": match.group(1),
                "text": match.group(2),
                "points": int(match.group(3)),
            }
            if match.group(4):
                option["triggers_referral"] = True
            options.append(option)
        if len(options) < 2:
            raise forms.ValidationError("Enter at least two answers")
        return options

    def section(self) -> dict[str, Any]:
        data = self.cleaned_data
        section: dict[str, Any] = {
            "id": data["id"],
            "title": data["title"],
            "question": data["question"],
            "options": data["options"],
        }
        for key in ("hint", "guidance", "outcome", "bolt_on_for", "trigger"):
            if data.get(key):
                section[key] = data[key]
        return section


def section_initial(section: dict[str, Any]) -> dict[str, Any]:
    lines = [
        f"{o['id']} | {o['text']} | {o['points']}{' | referral' if o.get('triggers_referral') else ''}"
        for o in section["options"]
    ]
    return {
        **{
            k: section.get(k, "")
            for k in (
                "id",
                "title",
                "question",
                "hint",
                "guidance",
                "outcome",
                "bolt_on_for",
                "trigger",
            )
        },
        "options": "\n".join(lines),
    }


class PublishForm(forms.Form):
    effective_from = GovDateField(
        label="Date it takes effect", error_messages=required_message("The date it takes effect")
    )
    reason = backdated_reason_field()


class ImportForm(forms.Form):
    definition = forms.FileField(
        label="Upload a questionnaire file (JSON)",
        error_messages={"required": "Select a JSON file"},
    )
