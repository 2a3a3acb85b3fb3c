"""Form pieces that follow GOV.UK Design System patterns: the three-box date input,
error wording that names the field, and amounts typed in pounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms


class GovDateInput(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes. Also accepts one ISO date value
    (from imports and the API) under the field's own name."""

    template_name = "gov/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                d = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [d.day, d.month, d.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:
            return data.get(name)
        parts = [
            str(data.get(f"{name}_{part}", "") or "").strip() for part in ("day", "month", "year")
        ]
        if not any(parts):
            return ""
        return parts

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}_{p}" in data for p in ("day", "month", "year"))


class GovDateField(forms.DateField):
    widget = GovDateInput

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        label = str(self.label or "date")
        if value in (None, "", [], ["", "", ""]):
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, list | tuple):
            day, month, year = (str(v).strip() for v in value)
            missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
            if missing:
                raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
            if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
                raise forms.ValidationError(f"{label} must be a real date")
            try:
                return dt.date(int(year), int(month), int(day))
            except ValueError as bad:
                raise forms.ValidationError(f"{label} must be a real date") from bad
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError as bad:
            raise forms.ValidationError(
                f"{label} must be a real date in the form YYYY-MM-DD"
            ) from bad

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and self.past_only and value > dt.date.today():
            raise forms.ValidationError(f"{self.label} must be in the past")
        if value and value.year < 1880:
            raise forms.ValidationError(f"{self.label} must be after 1880")


def required_message(label: str, verb: str = "Enter") -> dict[str, str]:
    return {"required": f"{verb} {label[0].lower() + label[1:]}"}


def posted(request: Any) -> Any:
    """The submitted data on a POST, or None so a form on a GET page is unbound (an empty
    POST must still bind, so its required fields show their errors)."""
    return request.POST if request.method == "POST" else None


AMOUNT_FORMAT = "Enter an amount in pounds, like 125.50"


def pounds_to_pence(value: str, field_label: str) -> int | None:
    text = (value or "").strip().replace("£", "").replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as bad:
        raise forms.ValidationError(AMOUNT_FORMAT) from bad
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > Decimal("100000"):
        raise forms.ValidationError(AMOUNT_FORMAT)
    return int(amount * 100)
