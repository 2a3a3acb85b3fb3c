"""selfdirect.refusals.run_on_form: a service's refusal lands on the field it names, or on
the form's own field where the names differ (the charging forms' ``section__kind``)."""

from __future__ import annotations

from django import forms

from selfdirect.refusals import Refused, run_on_form


class _Form(forms.Form):
    income__pension = forms.CharField(required=False)


def _refuse() -> None:
    raise Refused("Enter the pension in pounds", field="pension")


def _field_of(form: forms.Form, name: str) -> str | None:
    return next((f for f in form.fields if f.endswith(f"__{name}")), None)


def test_a_refusal_goes_on_the_mapped_field_and_says_not_done() -> None:
    form = _Form({})
    assert form.is_valid()
    assert run_on_form(form, _refuse, field_of=_field_of) is False
    assert form.errors == {"income__pension": ["Enter the pension in pounds"]}


def test_a_service_that_runs_says_done_and_leaves_the_form_clean() -> None:
    form = _Form({})
    assert form.is_valid()
    assert run_on_form(form, lambda: None, field_of=_field_of) is True
    assert form.errors == {}


def test_a_name_the_form_does_not_have_goes_on_the_whole_form() -> None:
    form = _Form({})
    assert form.is_valid()
    assert run_on_form(form, _refuse, field_of=lambda f, n: None) is False
    assert form.non_field_errors() == ["Enter the pension in pounds"]
