"""Forms for how a budget is held: a direct payment agreement, an ISF or third-party
agreement, and an organisation's statement. The checks the law expects are made by the
services; these forms only read the answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement
from selfdirect.forms_gov import GovDateField, pounds_to_pence, required_message
from selfdirect.people.models import Person, relationship_current_on
from selfdirect.planning.models import SupportPlan
from selfdirect.providers.models import Provider

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, missing: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": missing},
    )


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of member of staff, shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class DirectPaymentForm(forms.Form):
    recipient_type = forms.ChoiceField(
        label="Who receives the payment?",
        choices=DirectPaymentAgreement.Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who receives the payment"},
    )
    recipient = forms.ModelChoiceField(
        label="The nominated or authorised person (not needed if paid to the person)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="No one: it is paid to the person",
    )
    has_capacity = _yes_no(
        "Does the person have capacity to request a direct payment?",
        "Select whether the person has capacity to request a direct payment",
        "Under the Mental Capacity Act 2005.",
    )
    recipient_agrees = forms.BooleanField(
        label="The nominated or authorised person agrees to receive the payment", required=False
    )
    best_interests = forms.BooleanField(
        label="The authorised person will act in the person's best interests", required=False
    )
    deputy_or_attorney = forms.BooleanField(
        label="The authorised person is a deputy or attorney with the relevant powers",
        required=False,
    )
    close_family_or_friend = forms.BooleanField(
        label="The authorised person is close family, or a friend involved in the person's care",
        required=False,
    )
    dbs_reference = forms.CharField(
        label="Enhanced DBS certificate number (optional)",
        required=False,
        max_length=20,
        help_text="Needed for an authorised person who is neither of the above.",
    )
    dbs_checked_on = GovDateField(label="Date of the enhanced DBS check (optional)", required=False)
    capable_of_managing = _yes_no(
        "Can the payment be managed, alone or with the help available?",
        "Select whether the payment can be managed",
    )
    appropriate = _yes_no(
        "Is a direct payment an appropriate way to meet the needs?",
        "Select whether a direct payment is an appropriate way to meet the needs",
    )
    not_excluded = _yes_no(
        "Is the person free of any exclusion in the regulations?",
        "Select whether the person is free of any exclusion in the regulations",
        "For example a drug or alcohol treatment requirement from a court.",
    )
    account_type = forms.ChoiceField(
        label="Where is the payment paid?",
        choices=DirectPaymentAgreement.Account.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the account the payment goes into"},
    )
    sort_code = forms.CharField(
        label="Sort code (bank accounts)", required=False, max_length=8, help_text="6 digits."
    )
    account_number = forms.CharField(
        label="Account number (bank accounts)",
        required=False,
        max_length=10,
        help_text="8 digits. Only the last four are shown once saved.",
    )
    second_account_holder = forms.CharField(
        label="Name of the second account holder (joint accounts)", required=False, max_length=120
    )
    card_reference = forms.CharField(
        label="Prepaid card reference (prepaid cards)", required=False, max_length=30
    )
    pays_close_relative_in_household = forms.BooleanField(
        label="The payment will pay a close relative who lives in the same household",
        required=False,
        help_text="Allowed only if the council decides it is necessary; a team manager records the decision.",
    )
    necessity_reason = forms.CharField(
        label="Why it is necessary (if paying a close relative in the household)",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
    )
    starts_on = GovDateField(label="Start date", error_messages=required_message("The start date"))
    link_officer = StaffChoiceField(
        label="Link person in the direct payments team (optional)",
        help_text="The person is told their name, with the team's phone number and email.",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one named yet",
    )

    def __init__(self, *args: Any, plan: SupportPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["link_officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        # Finance officers (roles are a JSON list: the service checks the role exactly).
        officer.queryset = User.objects.filter(
            is_active=True, profile__roles__icontains='"finance"'
        ).order_by("first_name", "last_name", "username")
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ModelChoiceField)
        today = timezone.localdate()
        recipient.queryset = Person.objects.filter(
            relationship_current_on(today, "related_to__"),
            related_to__person=plan.person,
        ).distinct()

    def agreement_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class FundAgreementForm(forms.Form):
    kind = forms.ChoiceField(
        label="How the budget is held",
        choices=FundAgreement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the budget is held"},
    )
    organisation = forms.ModelChoiceField(
        label="The provider or support organisation holding it",
        queryset=Provider.objects.all(),
        empty_label="Select an organisation",
        error_messages={"required": "Select the organisation holding the budget"},
    )
    surplus_rule = forms.ChoiceField(
        label="What happens to any surplus",
        choices=FundAgreement.Surplus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happens to any surplus"},
    )
    carry_limit_weeks = forms.CharField(
        label="Weeks of surplus that may be carried forward (if carried)",
        required=False,
        max_length=3,
        help_text="Surplus above this many weeks of each stream's weekly amount goes back to the funder.",
    )
    fee_weekly = forms.CharField(
        label="Fee for holding the budget, a week (£, optional)", required=False, max_length=12
    )
    starts_on = GovDateField(label="Start date", error_messages=required_message("The start date"))

    def clean_carry_limit_weeks(self) -> int:
        text = (self.cleaned_data.get("carry_limit_weeks") or "").strip()
        if not text:
            return 0
        if not text.isdigit():
            raise forms.ValidationError(
                "Enter how many weeks of surplus may be carried forward, from 1 to 52"
            )
        return int(text)

    def clean_fee_weekly(self) -> int:
        return pounds_to_pence(self.cleaned_data.get("fee_weekly", ""), "fee") or 0


class StatementForm(forms.Form):
    period_start = GovDateField(
        label="Start of the period", error_messages=required_message("The start of the period")
    )
    period_end = GovDateField(
        label="End of the period",
        help_text="Today or earlier: a statement is for a period that is over",
        error_messages=required_message("The end of the period"),
    )
    note = forms.CharField(
        label="Anything to explain (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=4000,
    )

    def __init__(self, *args: Any, stream_names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream_names = stream_names
        for code, name in stream_names.items():
            self.fields[f"received_{code}"] = forms.CharField(
                label=f"{name}: received (£)",
                max_length=12,
                error_messages={"required": f"Enter what was received from {name}"},
            )
            self.fields[f"spent_{code}"] = forms.CharField(
                label=f"{name}: spent (£)",
                max_length=12,
                error_messages={"required": f"Enter what was spent from {name}"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code in self.stream_names:
            for part in ("received", "spent"):
                name = f"{part}_{code}"
                if name in cleaned:
                    try:
                        cleaned[name] = pounds_to_pence(cleaned[name], part)
                    except forms.ValidationError as bad:
                        self.add_error(name, bad)
        return cleaned

    def stream_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (name, self[f"received_{code}"], self[f"spent_{code}"])
            for code, name in self.stream_names.items()
        ]

    def error_field(self, name: str) -> str | None:
        """The form field a service's refusal is about (a stream's code names its row)."""
        if name in self.fields:
            return name
        return f"received_{name}" if f"received_{name}" in self.fields else None

    def lines(self) -> dict[str, tuple[int, int]]:
        d = self.cleaned_data
        return {
            code: (d[f"received_{code}"] or 0, d[f"spent_{code}"] or 0)
            for code in self.stream_names
        }
