"""Template tags and filters available in every template: GOV.UK form fields, error
summaries and formatting (money in pence as pounds)."""

from __future__ import annotations

import re
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


# Second person for the person, their name for anyone reading for them (a representative,
# a carer, a worker): issue 13, "on behalf of" for a representative. See docs/accessibility.md.


def _reads_own(context: template.Context, person: Any) -> bool:
    """Whether the signed-in reader is ``person`` (their own record, not someone else's)."""
    user = context.get("user")
    profile = getattr(user, "profile", None)
    person_id = getattr(person, "pk", None)
    return profile is not None and person_id is not None and profile.person_id == person_id


def _capital(text: str, capital: bool) -> str:
    return text[:1].upper() + text[1:] if capital else text


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@register.simple_tag(takes_context=True)
def your(context: template.Context, person: Any, capital: bool = False) -> str:
    """'your' to the person; their given name, possessive ('Donald's'), to anyone else."""
    if _reads_own(context, person):
        return _capital("your", capital)
    return _possessive(str(person.given_name))


@register.simple_tag(takes_context=True)
def you(
    context: template.Context,
    person: Any,
    verb: str = "",
    verb_for_others: str = "",
    capital: bool = False,
) -> str:
    """'you' to the person; their given name to anyone else. With a verb, both agree:
    {% you person "pay" "pays" %} is "you pay" to the person, "Donald pays" to others."""
    if _reads_own(context, person):
        return _capital(f"you {verb}".strip(), capital)
    return f"{person.given_name} {verb_for_others or verb}".strip()


@register.simple_tag(takes_context=True)
def titled_for(context: template.Context, title: str, person: Any) -> str:
    """A title written to the person ('Your self-assessment') as someone else reads it:
    "Donald's self-assessment"."""
    if _reads_own(context, person) or not title.startswith("Your "):
        return title
    return f"{_possessive(str(person.given_name))} {title[len('Your ') :]}"


_CONTENT_HASH = re.compile(r"[0-9a-f]{64}")


@register.filter
def is_content_hash(value: Any) -> bool:
    """Whether ``value`` is a SHA-256 content hash: staff and auditors check documents by
    it; a person's pages do not show it (docs/glossary.md)."""
    return bool(_CONTENT_HASH.fullmatch(str(value)))


# Easy read (issue 13, docs/easy-read.md, decision 0041): one block per page, short
# sentences with the key figure first. A person whose communication needs ask for easy read
# (or who asks with ?version=easy-read) reads it FIRST, open, before the rest of the page;
# anyone else can open it ("Read this in easy read"). No warning about the person themselves.

EASY_READ_FIRST = (
    '<section class="govuk-inset-text sd-easy-read" id="easy-read" '
    'aria-labelledby="easy-read-title">'
    '<h2 class="govuk-heading-m" id="easy-read-title">In easy read</h2>{body}'
    '<p class="govuk-body"><a class="govuk-link" href="?version=standard">'
    "Show the full page without easy read first</a></p></section>"
)
EASY_READ_OPENABLE = (
    '<details class="govuk-details sd-easy-read" id="easy-read">'
    '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
    "Read this in easy read</span></summary>"
    '<div class="govuk-details__text">{body}</div></details>'
)


def easy_read_first(context: template.Context, subject: Any) -> bool:
    """Whether the easy-read block comes first, open: asked for with ?version=easy-read, or
    the person the page is about needs easy read (``subject`` a Person, a list of them, or a
    bool), unless the reader asked for the standard page (?version=standard). Staff read the
    page as written, with the easy-read block to open."""
    request = context.get("request")
    version = request.GET.get("version", "") if request is not None else ""
    if version == "easy-read":
        return True
    if version == "standard" or context.get("staff_words"):
        return False
    if isinstance(subject, bool):
        return subject
    people = subject if isinstance(subject, list | tuple) else [subject]
    return any(getattr(p, "needs_easy_read", False) for p in people)


class EasyReadNode(template.Node):
    def __init__(self, nodelist: template.NodeList, subject: template.base.FilterExpression):
        self.nodelist = nodelist
        self.subject = subject

    def render(self, context: template.Context) -> str:
        body = self.nodelist.render(context)
        first = easy_read_first(context, self.subject.resolve(context, ignore_failures=True))
        return SafeString((EASY_READ_FIRST if first else EASY_READ_OPENABLE).format(body=body))


@register.tag("easyread")
def easyread(parser: template.base.Parser, token: template.base.Token) -> EasyReadNode:
    """{% easyread person %}<p class="govuk-body-l">…</p>{% endeasyread %}: the page's
    easy-read block, first for a person who needs it, to open for everyone else."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% easyread %} takes the person the page is about")
    nodelist = parser.parse(("endeasyread",))
    parser.delete_first_token()
    return EasyReadNode(nodelist, parser.compile_filter(bits[1]))
