"""Template tags and filters available in every template: GOV.UK form fields, error
summaries and formatting (money in pence as pounds)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from selfdirect import money

register = template.Library()


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


@register.simple_tag
def field(
    bound: forms.BoundField, width: str = "", heading: bool = False, autocomplete: str = ""
) -> SafeString:
    """One GOV.UK form group for ``bound``: label, hint, error message and control."""
    kind = _kind(bound)
    value = bound.value()
    context: dict[str, Any] = {
        "f": bound,
        "kind": kind,
        "id": bound.id_for_label or bound.auto_id,
        "width": width,
        "heading": heading,
        "autocomplete": autocomplete,
        "value": "" if value is None else value,
        "errors": bound.errors,
    }
    if kind == "date":
        parts = value if isinstance(value, list | tuple) else bound.field.widget.decompress(value)
        context["date_parts"] = [
            ("day", "Day", parts[0] or "", "2"),
            ("month", "Month", parts[1] or "", "2"),
            ("year", "Year", parts[2] or "", "4"),
        ]
    if kind == "checkboxes":
        chosen = {str(v) for v in (value or [])}
        context["options"] = [
            (str(getattr(c, "value", c)), str(label), str(getattr(c, "value", c)) in chosen)
            for c, label in getattr(bound.field, "choices", [])
        ]
    if kind in ("select", "radios"):
        current = "" if value is None else str(value)
        options = []
        for choice, label in getattr(bound.field, "choices", []):
            key = str(getattr(choice, "value", choice))
            if key == "" and kind == "radios":
                continue  # radios need no empty choice: none checked means none chosen
            if key == "" and str(label).startswith("---"):
                label = "Select an option" if bound.field.required else "Not recorded"
            options.append((key, str(label), key == current))
        context["options"] = options
    return render_to_string("gov/field.html", context)


@register.inclusion_tag("gov/error_summary.html")
def error_summary(*forms_: forms.BaseForm) -> dict[str, Any]:
    """The GOV.UK error summary: every error, linked to its field."""
    items: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            items.append(("", str(message)))
        # In the order the questions are on the page, whichever check found the problem.
        order = {name: i for i, name in enumerate(form.fields)}
        for name, errors in sorted(form.errors.items(), key=lambda e: order.get(e[0], -1)):
            if name == "__all__":
                continue
            bound = form[name]
            anchor = bound.id_for_label or bound.auto_id
            if isinstance(bound.field.widget, forms.MultiWidget):
                anchor = f"{bound.auto_id}_day"
            for message in errors:
                items.append((anchor, str(message)))
    return {"items": items}


@register.filter
def pounds(pence: int | Decimal | None) -> str:
    """Integer pence as pounds: 123456 -> '£1,234.56'."""
    return money.pounds(pence)


@register.filter
def yes_no(value: Any) -> str:
    return "Yes" if value else "No"


@register.simple_tag
def council_contact() -> dict[str, str]:
    """How people reach the council (settings ``SELFDIRECT_COUNCIL_*``), for letters, which
    are made without a request's context."""
    from django.conf import settings

    return {
        "team": settings.SELFDIRECT_COUNCIL_TEAM,
        "phone": settings.SELFDIRECT_COUNCIL_PHONE,
        "hours": settings.SELFDIRECT_COUNCIL_HOURS,
        "email": settings.SELFDIRECT_COUNCIL_EMAIL,
    }
