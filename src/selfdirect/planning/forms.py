"""Forms for writing a support plan."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from selfdirect.assessment.eligibility import ADULT_OUTCOMES, CARER_OUTCOMES
from selfdirect.forms_gov import GovDateField, pounds_to_pence, required_message
from selfdirect.planning.models import PlanLine, PlanOutcome, Review, SupportPlan
from selfdirect.planning.streams import CATEGORIES, DEPLOYMENTS, SHIPPED, SWITCH_REASONS
from selfdirect.providers.models import Provider

OFFER_EVERY_WAY = "Explain every way of holding the budget to the person before starting the plan"


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of plan",
        choices=SupportPlan.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of plan"},
    )
    led_by = forms.ChoiceField(
        label="Who is leading the plan?",
        choices=SupportPlan.LedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is leading the plan"},
    )
    starts_on = GovDateField(label="Start date", error_messages=required_message("The start date"))
    ends_on = GovDateField(label="End date (fast-track and temporary plans)", required=False)
    contingency = forms.CharField(
        label="What happens if support falls through (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text="For example if a personal assistant is ill or a provider fails.",
    )
    risks_to_person = forms.CharField(
        label="Risks agreed with the person (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text="Including risks they choose to take to be more independent.",
    )
    financial_risks = forms.CharField(
        label="Risks to the council's money (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
    )
    holding_options_offered = forms.MultipleChoiceField(
        label="Which ways of holding the budget have been explained to the person?",
        help_text="Offer every way, so the person can choose; a mix is always possible.",
        choices=list(DEPLOYMENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": OFFER_EVERY_WAY},
    )

    def plan_fields(self) -> dict[str, Any]:
        """The answers as ``services.plan_create`` takes them (pages and API alike)."""
        d = self.cleaned_data
        return {
            name: d[name]
            for name in (
                "led_by",
                "kind",
                "starts_on",
                "ends_on",
                "contingency",
                "risks_to_person",
                "financial_risks",
                "holding_options_offered",
            )
        }

    def clean_holding_options_offered(self) -> list[str]:
        offered = list(self.cleaned_data["holding_options_offered"])
        missing = [DEPLOYMENTS[k] for k in DEPLOYMENTS if k not in offered]
        if missing:
            raise forms.ValidationError(
                f"{OFFER_EVERY_WAY}: not yet offered: {', '.join(m.lower() for m in missing)}"
            )
        return offered


class SafeguardingForm(forms.Form):
    note = forms.CharField(
        label="What is the concern?",
        help_text="The practitioner's team manager is told straight away.",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Say what the safeguarding concern is"},
    )


class SafeguardingClearForm(forms.Form):
    note = forms.CharField(
        label="What was done about the concern?",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Say what was done about the concern"},
    )


class OwnOutcomeForm(forms.ModelForm[PlanOutcome]):
    """The person (or their representative) writing an outcome in their own words."""

    class Meta:
        model = PlanOutcome
        fields = ["in_their_words", "how_met", "informal_support"]
        labels = {
            "in_their_words": "What do you want to achieve?",
            "how_met": "How could this happen? (optional)",
            "informal_support": "Who already helps you with this without being paid? (optional)",
        }
        help_texts = {
            "in_their_words": "Use your own words. For example: I want to get to my lunch club on Tuesdays.",
        }
        widgets = {
            "in_their_words": forms.Textarea,
            "how_met": forms.Textarea,
            "informal_support": forms.Textarea,
        }
        error_messages = {"in_their_words": required_message("What you want to achieve")}


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


# The eligibility outcomes in the 2015 Regulations' words, never their letters: the list's
# options are the form field's own choices (the {% field %} tag reads those, so a choice
# list on the widget alone showed an empty list).
ELIGIBILITY_OUTCOME_CHOICES = [
    ("", "None"),
    *[(code, _sentence(words)) for code, words in ADULT_OUTCOMES.items()],
    *[(code, f"As a carer: {words}") for code, words in CARER_OUTCOMES.items()],
]


class OutcomeForm(forms.ModelForm[PlanOutcome]):
    eligibility_outcome = forms.ChoiceField(
        label="The eligibility outcome it relates to (optional)",
        choices=ELIGIBILITY_OUTCOME_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Select one of the eligibility outcomes, or None"},
    )

    class Meta:
        model = PlanOutcome
        fields = ["in_their_words", "eligibility_outcome", "how_met", "informal_support"]
        labels = {
            "in_their_words": "What the person wants to achieve, in their own words",
            "how_met": "How it will be met (optional)",
            "informal_support": "Support from family, friends or the community that costs nothing (optional)",
        }
        widgets = {
            "in_their_words": forms.Textarea,
            "how_met": forms.Textarea,
            "informal_support": forms.Textarea,
        }
        error_messages = {"in_their_words": required_message("What the person wants to achieve")}


class LineForm(forms.Form):
    description = forms.CharField(
        label="What it is", max_length=200, error_messages=required_message("What it is")
    )
    category = forms.ChoiceField(
        label="Kind of support",
        choices=[("", "Select a kind of support"), *CATEGORIES.items()],
        error_messages={"required": "Select the kind of support"},
    )
    outcome = forms.ModelChoiceField(
        label="The outcome it meets (optional)",
        queryset=PlanOutcome.objects.none(),
        required=False,
        empty_label="None",
    )
    provider = forms.ModelChoiceField(
        label="Provider (optional)",
        queryset=Provider.objects.all(),
        required=False,
        empty_label="Not a provider in the directory",
    )
    provided_by = forms.CharField(
        label="Or who provides it (optional)",
        required=False,
        max_length=120,
        help_text="For example a personal assistant's name, or a universal service.",
    )
    unit = forms.ChoiceField(
        label="Paid by",
        choices=PlanLine.Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it is paid for"},
    )
    unit_cost = forms.CharField(
        label="Cost of each unit (£)",
        max_length=12,
        error_messages=required_message("The cost of each unit"),
    )
    quantity = forms.CharField(
        label="How many units a week (or how many items, for a one-off)",
        max_length=8,
        error_messages=required_message("How many units"),
        help_text="For example 7.5 hours a week.",
    )
    funding_stream = forms.ChoiceField(
        label="Paid for by",
        choices=[("", "Select a funding stream"), *[(r.code, r.name) for r in SHIPPED]],
        error_messages={"required": "Select the funding stream"},
    )
    provisional = forms.BooleanField(label="Provisional: waiting for an award", required=False)
    deployment = forms.ChoiceField(
        label="How this part of the budget is held",
        choices=list(DEPLOYMENTS.items()),
        widget=forms.RadioSelect,
        initial="council_commissioned",
        error_messages={"required": "Select how this part of the budget is held"},
    )

    def __init__(self, *args: Any, plan: SupportPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome_field = self.fields["outcome"]
        assert isinstance(outcome_field, forms.ModelChoiceField)
        outcome_field.queryset = plan.outcomes.all()

    def clean_unit_cost(self) -> int:
        value = pounds_to_pence(self.cleaned_data.get("unit_cost", ""), "unit cost")
        if value is None:
            raise forms.ValidationError("Enter the cost of each unit")
        return value

    def clean_quantity(self) -> int:
        try:
            amount = Decimal(self.cleaned_data.get("quantity", "").strip())
        except InvalidOperation as bad:
            raise forms.ValidationError("Enter how many units as a number, like 7.5") from bad
        if amount <= 0 or amount > 1000 or amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError("Enter how many units as a number, like 7.5")
        return int(amount * 100)

    def line_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "description": d["description"],
            "category": d["category"],
            "outcome": d["outcome"],
            "provider": d["provider"],
            "provided_by": d["provided_by"],
            "unit": d["unit"],
            "unit_cost_pence": d["unit_cost"],
            "quantity_hundredths": d["quantity"],
            "funding_stream": d["funding_stream"],
            "provisional": d["provisional"],
            "deployment": d["deployment"],
        }


class SwitchForm(forms.Form):
    effective_date = GovDateField(
        label="From when", error_messages=required_message("The date the switch takes effect")
    )
    deployment = forms.ChoiceField(
        label="How it will be held",
        choices=list(DEPLOYMENTS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it will be held"},
    )
    provider = forms.ModelChoiceField(
        label="New provider (optional)",
        queryset=Provider.objects.all(),
        required=False,
        empty_label="Not a provider in the directory",
    )
    provided_by = forms.CharField(
        label="Or who will provide it (optional)", required=False, max_length=120
    )
    new_unit_cost = forms.CharField(
        label="New cost of each unit (£), if it changes (optional)",
        required=False,
        max_length=12,
        help_text="A new provider may charge a different rate. Leave blank if the cost stays the same.",
    )
    reasons = forms.MultipleChoiceField(
        label="Why the person wants to switch",
        choices=list(SWITCH_REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    note = forms.CharField(
        label="Anything else (optional)", required=False, widget=forms.Textarea, max_length=2000
    )

    def switch_fields(self) -> dict[str, Any]:
        """The answers as ``services.line_switch`` takes them (pages and API alike)."""
        d = self.cleaned_data
        return {
            "effective_date": d["effective_date"],
            "deployment": d["deployment"],
            "provider": d["provider"],
            "provided_by": d["provided_by"],
            "reasons": list(d["reasons"]),
            "note": d["note"],
            "unit_cost_pence": d["new_unit_cost"],
        }

    def clean_new_unit_cost(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("new_unit_cost", ""), "new unit cost")


class ReviewRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Why is a review needed?",
        widget=forms.RadioSelect,
        choices=[
            ("requested", "The person asks for one"),
            ("change", "Their circumstances have changed"),
            ("safeguarding", "A safeguarding concern"),
            ("monitoring", "Monitoring shows an under- or over-spend"),
        ],
        error_messages={"required": "Select why a review is needed"},
    )
    reason = forms.CharField(
        label="Tell us more",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say why a review is needed"},
    )


class ReviewForm(forms.Form):
    method = forms.ChoiceField(
        label="How was the review held?",
        choices=Review.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the review was held"},
    )
    attendees = forms.CharField(
        label="Who took part",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="One person a line: their name, a comma, then their role. For example: "
        "Ada Holder, the person; Carl Carer, her husband and carer.",
        error_messages={"required": "Enter who took part in the review, with their role"},
    )
    person_views = forms.CharField(
        label="The person's views, in their own words",
        widget=forms.Textarea,
        max_length=8000,
        error_messages={"required": "Enter the person's views, in their own words"},
    )
    carer_views = forms.CharField(
        label="The carer's views, in their own words (optional)",
        widget=forms.Textarea,
        max_length=8000,
        required=False,
    )
    changes = forms.CharField(
        label="Changes needed (optional)", required=False, widget=forms.Textarea, max_length=4000
    )
    reassessment_needed = forms.BooleanField(
        label="The person needs a new assessment and RAS run", required=False
    )
    new_budget = forms.CharField(
        label="New personal budget a week, if the review changes it (optional)",
        required=False,
        max_length=12,
        help_text="In pounds. A new version of the plan is started, written against it.",
    )
    budget_change_reason = forms.CharField(
        label="Why the personal budget changes (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text="Needed if you enter a new personal budget. The person reads this.",
    )
    completed_on = GovDateField(
        label="Date of the review",
        past_only=True,
        error_messages=required_message("The date of the review"),
    )
    next_review_on = GovDateField(
        label="Date of the next review",
        error_messages=required_message("The date of the next review"),
        help_text="Set to the council's annual review timescale; change it if the review "
        "agreed an earlier one.",
    )

    def __init__(self, *args: Any, outcomes: list[PlanOutcome], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        for outcome in outcomes:
            self.fields[f"outcome_{outcome.pk}"] = forms.ChoiceField(
                label=f"“{outcome.in_their_words}”: was it met?",
                widget=forms.RadioSelect,
                choices=[("met", "Met"), ("partly", "Partly met"), ("not_met", "Not met")],
                error_messages={"required": "Say whether this outcome was met"},
            )
            self.fields[f"outcome_comment_{outcome.pk}"] = forms.CharField(
                label="What was said about it (optional)",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=4000,
                required=False,
            )

    def clean_new_budget(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("new_budget", ""), "new personal budget")

    def attendee_list(self) -> list[Any]:
        """Each line, "name, role"; a line without a comma has a name and no role (the
        service refuses it, naming the field)."""
        from selfdirect.planning.services import Attendee

        people = []
        for line in self.cleaned_data["attendees"].splitlines():
            name, _, role = line.partition(",")
            people.append(Attendee(name.strip(), role.strip()))
        return people

    def comment_fields(self) -> list[forms.BoundField]:
        return [self[f"outcome_comment_{o.pk}"] for o in self.outcomes]

    def outcome_pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"outcome_{o.pk}"], self[f"outcome_comment_{o.pk}"]) for o in self.outcomes]

    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[f"outcome_{o.pk}"] for o in self.outcomes]


def seen_field() -> forms.CharField:
    """What the record held when the form was shown (services.edit_fingerprint): an edit
    from an older look is refused rather than silently overwriting someone else's."""
    return forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class LineEditForm(LineForm):
    seen = seen_field()

    @staticmethod
    def initial_for(line: PlanLine, seen: str) -> dict[str, Any]:
        return {
            "description": line.description,
            "category": line.category,
            "outcome": line.outcome_id,
            "provider": line.provider_id,
            "provided_by": line.provided_by,
            "unit": line.unit,
            "unit_cost": f"{Decimal(line.unit_cost_pence) / 100:.2f}",
            "quantity": f"{Decimal(line.quantity_hundredths) / 100:f}".rstrip("0").rstrip("."),
            "funding_stream": line.funding_stream,
            "provisional": line.provisional,
            "deployment": line.deployment,
            "seen": seen,
        }


class OutcomeEditForm(OutcomeForm):
    seen = seen_field()


class RemoveForm(forms.Form):
    """Confirm a removal; an outcome that lines meet asks which outcome they meet instead."""

    seen = seen_field()
    move_lines_to = forms.ModelChoiceField(
        label="Which outcome will these lines meet instead?",
        queryset=PlanOutcome.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, others: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["move_lines_to"]
        assert isinstance(field, forms.ModelChoiceField)
        if others is None:
            del self.fields["move_lines_to"]
        else:
            field.queryset = others
            field.label_from_instance = lambda o: o.in_their_words  # type: ignore[method-assign,assignment]


class ContributionForm(forms.Form):
    weekly = forms.CharField(
        label="What the person pays a week (£)",
        max_length=12,
        help_text="From the council's financial assessment. Enter 0 if they pay nothing.",
        error_messages=required_message("What the person pays a week"),
    )
    effective_from = GovDateField(
        label="From when",
        error_messages=required_message("The date the contribution starts"),
    )
    source_reference = forms.CharField(
        label="The financial assessment's reference",
        max_length=120,
        help_text="As the council's finance system gives it, for example FA-2026-0042.",
        error_messages=required_message("The financial assessment's reference"),
    )

    def clean_weekly(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("weekly", ""), "weekly contribution")


def _quantity_words(hundredths: int) -> str:
    return f"{Decimal(hundredths) / 100:f}".rstrip("0").rstrip(".")


class OwnSupportForm(forms.Form):
    """The person (or their representative) suggesting support for their draft plan, and
    what they think it costs, in their own words (issue 13, co-producing the plan)."""

    description = forms.CharField(
        label="What support would you like?",
        max_length=200,
        help_text="For example: a personal assistant to help me get to the lunch club.",
        error_messages=required_message("What support you would like"),
    )
    outcome = forms.ModelChoiceField(
        label="What it would help you achieve (optional)",
        queryset=PlanOutcome.objects.none(),
        required=False,
        empty_label="Not sure",
    )
    provided_by = forms.CharField(
        label="Who would give it? (optional)",
        required=False,
        max_length=120,
        help_text="A person's name, an organisation, or a place such as a gym.",
    )
    unit = forms.ChoiceField(
        label="How is it paid for? (optional)",
        choices=PlanLine.Unit.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    unit_cost = forms.CharField(
        label="What does each one cost, in pounds? (optional)", required=False, max_length=12
    )
    quantity = forms.CharField(
        label="How many a week? (optional)",
        required=False,
        max_length=8,
        help_text="For example 4 hours a week. For something bought once, how many.",
    )

    def __init__(self, *args: Any, plan: SupportPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome_field = self.fields["outcome"]
        assert isinstance(outcome_field, forms.ModelChoiceField)
        outcome_field.queryset = plan.outcomes.all()

    def clean_unit_cost(self) -> int | None:
        return pounds_to_pence(self.cleaned_data.get("unit_cost", ""), "cost of each one")

    def clean_quantity(self) -> int | None:
        words = self.cleaned_data.get("quantity", "").strip()
        if not words:
            return None
        try:
            amount = Decimal(words)
        except InvalidOperation as bad:
            raise forms.ValidationError("Enter how many as a number, like 4 or 7.5") from bad
        if amount <= 0 or amount > 1000 or amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError("Enter how many as a number, like 4 or 7.5")
        return int(amount * 100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unit_cost") is not None and not data.get("unit"):
            self.add_error("unit", "Select how it is paid for, or leave the cost blank")
        return data

    def proposal_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "description": d["description"],
            "outcome": d["outcome"],
            "provided_by": d["provided_by"],
            "unit": d["unit"],
            "unit_cost_pence": d["unit_cost"],
            "quantity_hundredths": d["quantity"],
        }


def line_initial_from(proposal: Any) -> dict[str, Any]:
    """The worker's line form, filled in with what the person suggested."""
    initial: dict[str, Any] = {
        "description": proposal.description,
        "outcome": proposal.outcome_id,
        "provided_by": proposal.provided_by,
        "unit": proposal.unit or None,
        "deployment": "council_commissioned",
    }
    if proposal.unit_cost_pence is not None:
        initial["unit_cost"] = f"{Decimal(proposal.unit_cost_pence) / 100:.2f}"
    if proposal.quantity_hundredths is not None:
        initial["quantity"] = _quantity_words(proposal.quantity_hundredths)
    return initial


class ProposalAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Why it is not being added to the plan",
        widget=forms.Textarea,
        max_length=4000,
        help_text="The person reads this. Use plain words, and say what could happen instead.",
        error_messages=required_message("Why it is not being added to the plan"),
    )


class PersonReviewRequestForm(forms.Form):
    """Asking for a review in the person's words (issue 13): the reasons a holder,
    representative or carer gives, worded for whoever asks, and their own words."""

    asked_reason = forms.ChoiceField(
        label="Why are you asking for a review?",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Select why you are asking for a review"},
    )
    reason = forms.CharField(
        label="Tell us more, in your own words",
        widget=forms.Textarea,
        max_length=2000,
        help_text="What has happened, and what would help. Your worker reads this.",
        error_messages={"required": "Tell us more, in your own words"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["asked_reason"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
