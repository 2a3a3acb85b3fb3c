"""The wording tags (docs/accessibility.md): "your"/"you" to the person, the person's
name to anyone reading for them (issue 13: a representative read "you pay" and "Your
self-assessment for Donald")."""

from __future__ import annotations

import html
from types import SimpleNamespace

from django.template import Context, Template

DONALD = SimpleNamespace(pk=7, given_name="Donald")
JAMES = SimpleNamespace(pk=8, given_name="James")


def _reader(person_id: int | None) -> SimpleNamespace:
    return SimpleNamespace(profile=SimpleNamespace(person_id=person_id))


def _render(source: str, reader: object, person: object = DONALD) -> str:
    """The text as a browser shows it (a name is escaped in the HTML: Donald&#x27;s)."""
    return html.unescape(Template(source).render(Context({"user": reader, "person": person})))


def test_the_person_reads_you_and_your() -> None:
    donald = _reader(7)
    assert _render("{% your person capital=True %} budget", donald) == "Your budget"
    assert _render("the cost of {% your person %} needs", donald) == "the cost of your needs"
    assert _render('{% you person "pay" "pays" %} £10', donald) == "you pay £10"
    assert _render("{% titled_for 'Your self-assessment' person %}", donald) == (
        "Your self-assessment"
    )


def test_someone_reading_for_the_person_reads_their_name() -> None:
    representative = _reader(99)
    assert _render("{% your person capital=True %} budget", representative) == "Donald's budget"
    assert _render('{% you person "pay" "pays" %} £10', representative) == "Donald pays £10"
    assert _render("{% you person %}", representative) == "Donald"
    assert _render("{% titled_for 'Your self-assessment' person %}", representative) == (
        "Donald's self-assessment"
    )
    assert _render("{% your person %} plan", representative, JAMES) == "James' plan"


def test_a_reader_with_no_record_of_their_own_reads_the_name() -> None:
    """Staff (no person linked), or a user with no profile at all."""
    assert _render("{% your person %} plan", _reader(None)) == "Donald's plan"
    assert _render("{% your person %} plan", SimpleNamespace()) == "Donald's plan"
    assert _render("{% titled_for 'Support plan' person %}", _reader(None)) == "Support plan"
