"""The financial assessment's forms: amounts in pounds typed, pence kept."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from selfdirect.charging import rules
from selfdirect.charging.models import AssessmentItem, FinancialAssessment
from selfdirect.charging.services import RATE_FIELDS
from selfdirect.forms_gov import AMOUNT_FORMAT, GovDateField, required_message
from selfdirect.money import pounds_field

CAPITAL_FORMAT = "Enter an amount in pounds, like 15250.00"
CHILDREN_FORMAT = "Enter the number of dependent children, like 0 or 2"


def pence_from(text: str, *, most_pounds: int = 100_000, message: str = AMOUNT_FORMAT) -> int:
    """Pounds as typed ('£1,250.50') to pence; blank is nothing. Capital may run to
    millions, so its fields allow more than the £100,000 of a weekly amount."""
    cleaned = (text or "").strip().replace("£", "").replace(",", "")
    if not cleaned:
        return 0
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as bad:
        raise forms.ValidationError(message) from bad
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > most_pounds:
        raise forms.ValidationError(message)
    return int(amount * 100)


SECTION_WORDS: dict[str, tuple[str, str, Mapping[str, Any]]] = {
    AssessmentItem.Section.CAPITAL: (
        "Capital",
        "What each is worth now, in pounds. Leave blank what the person does not have.",
        rules.CAPITAL_KINDS,
    ),
    AssessmentItem.Section.INCOME: (
        "Income a week",
        "In pounds a week. Amounts marked 'not counted' are recorded but left out.",
        rules.INCOME_KINDS,
    ),
    AssessmentItem.Section.DRE: (
        "Disability-related expenditure a week",
        "Extra costs the person has because of their disability, in pounds a week.",
        rules.DRE_KINDS,
    ),
    AssessmentItem.Section.HOUSING: (
        "Housing costs a week",
        "What the person pays themselves, after Housing Benefit and Council Tax Support.",
        rules.HOUSING_KINDS,
    ),
}

PREMIUMS = [
    ("disability_premium", "Disability premium"),
    ("enhanced_disability_premium", "Enhanced disability premium"),
    ("carer_premium", "Carer premium"),
]


def _kind_words(section: str, kind: str) -> str:
    words = SECTION_WORDS[AssessmentItem.Section(section)][2][kind]
    if isinstance(words, tuple):
        label, disregarded = words
        return f"{label} (not counted)" if disregarded else str(label)
    return str(words)


class FillForm(forms.Form):
    band = forms.ChoiceField(
        label="The person's age and circumstance",
        choices=list(rules.BANDS.items()),
        widget=forms.RadioSelect,
        error_messages=required_message("the person's age and circumstance", "Choose"),
    )
    premiums = forms.MultipleChoiceField(
        label="Premiums that apply",
        help_text="As the person gets, or would get, them with Income Support.",
        choices=PREMIUMS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dependent_children = forms.CharField(
        label="Dependent children in the household",
        max_length=2,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section, (_heading, _hint, kinds) in SECTION_WORDS.items():
            for kind in kinds:
                self.fields[f"{section}__{kind}"] = forms.CharField(
                    label=_kind_words(section, kind) + " (£)",
                    max_length=14,
                    required=False,
                )

    @classmethod
    def initial_from(cls, assessment: FinancialAssessment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "band": assessment.band,
            "premiums": [name for name, _ in PREMIUMS if getattr(assessment, name)],
            "dependent_children": str(assessment.dependent_children),
        }
        for item in assessment.items.all():
            initial[f"{item.section}__{item.kind}"] = pounds_field(item.amount_pence)
        return initial

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (heading, hint, [self[f"{section}__{kind}"] for kind in kinds])
            for section, (heading, hint, kinds) in SECTION_WORDS.items()
        ]

    def clean_dependent_children(self) -> int:
        text = (self.cleaned_data.get("dependent_children") or "").strip()
        if not text:
            return 0
        if not text.isdigit():
            raise forms.ValidationError(CHILDREN_FORMAT)
        return int(text)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in list(self.fields):
            if "__" not in name or name in self.errors:
                continue
            capital = name.startswith("capital__")
            try:
                cleaned[name] = pence_from(
                    self.data.get(name, "") if self.is_bound else "",
                    most_pounds=100_000_000 if capital else 100_000,
                    message=CAPITAL_FORMAT if capital else AMOUNT_FORMAT,
                )
            except forms.ValidationError as wrong:
                self.add_error(name, wrong)
        return cleaned

    def amounts(self) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {section: {} for section in SECTION_WORDS}
        for name, value in self.cleaned_data.items():
            if "__" in name:
                section, kind = name.split("__", 1)
                found[section][kind] = value
        return found


class DecisionForm(forms.Form):
    """The weekly cost of care and the date the charge starts (complete and light-touch)."""

    weekly_cost = forms.CharField(
        label="Weekly cost of the person's care (£)",
        max_length=12,
        help_text="The cost of meeting their eligible needs: the charge is never above it.",
        error_messages=required_message("The weekly cost of the person's care"),
    )
    charge_from = GovDateField(
        label="The charge starts on",
        error_messages=required_message("The date the charge starts"),
    )

    def clean_weekly_cost(self) -> int:
        return pence_from(self.cleaned_data.get("weekly_cost", ""))


class LightTouchForm(DecisionForm):
    choice = forms.ChoiceField(
        label="Why a light-touch assessment is right",
        choices=FinancialAssessment.LightTouch.choices,
        widget=forms.RadioSelect,
        error_messages=required_message("why a light-touch assessment is right", "Choose"),
    )
    field_order = ["choice", "weekly_cost", "charge_from"]


class DeferForm(forms.Form):
    reason = forms.CharField(
        label="Why the assessment is deferred",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages=required_message("Why the assessment is deferred"),
    )
    until = GovDateField(
        label="Come back to it on",
        error_messages=required_message("The date to come back to the assessment"),
    )


RATE_LABELS = {
    "upper_capital_pence": "Upper capital limit (£)",
    "lower_capital_pence": "Lower capital limit (£)",
    "tariff_step_pence": "Tariff step: each part of capital above the lower limit (£)",
    "tariff_weekly_pence": "Tariff income for each step, a week (£)",
    **{
        f"mig_{band}_pence": f"Minimum income guarantee: {words} (£ a week)"
        for band, words in rules.BANDS.items()
    },
    "disability_premium_single_pence": "Disability premium, single (£ a week)",
    "disability_premium_couple_pence": "Disability premium, member of a couple (£ a week)",
    "enhanced_disability_single_pence": "Enhanced disability premium, single (£ a week)",
    "enhanced_disability_couple_pence": "Enhanced disability premium, member of a couple (£ a week)",
    "carer_premium_pence": "Carer premium (£ a week)",
    "dependent_child_pence": "Each dependent child (£ a week)",
}


class RatesForm(forms.Form):
    effective_from = GovDateField(
        label="The rates start on",
        help_text="Today or later. Rates already in force never change.",
        error_messages=required_message("The date the rates start"),
    )
    source = forms.CharField(
        label="Where the figures come from",
        help_text="The circular or the council's decision.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        error_messages=required_message("Where the figures come from"),
    )
    source_url = forms.URLField(
        label="A link to the source (optional)", required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in RATE_FIELDS:
            self.fields[name] = forms.CharField(
                label=RATE_LABELS[name],
                max_length=14,
                error_messages=required_message(RATE_LABELS[name].split(" (")[0]),
            )

    def rate_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in RATE_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in RATE_FIELDS:
            if name in self.errors:
                continue
            try:
                cleaned[name] = pence_from(str(self.data.get(name, "")), most_pounds=100_000_000)
            except forms.ValidationError as wrong:
                self.add_error(name, wrong)
        return cleaned

    def figures(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in RATE_FIELDS}
