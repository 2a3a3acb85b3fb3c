"""The eligibility-outcome list on a plan outcome: it offered nothing (the choices were on
the widget, the {% field %} tag reads the field's), and its options named letters."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.planning.forms import OutcomeForm
from tests.planning.test_plans import _draft_plan


def test_the_list_offers_every_eligibility_outcome_in_words(client: Any, council: Any) -> None:
    plan = _draft_plan(council)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(reverse("planning:outcome_new", args=[plan.pk])).content.decode()
    select = re.search(r'<select[^>]*name="eligibility_outcome".*?</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))
    assert ("", "None") in options
    assert ("A", "Managing and maintaining nutrition") in options
    assert ("CB", "As a carer: providing care to other people they care for") in options
    assert len(options) == 1 + 10 + 8  # None, regulation 2 (A-J), regulation 3 (carers)
    # Words, never a code: no label starts with the regulation's letter.
    assert not [label for _v, label in options if re.match(r"^[A-J]{1,2}:", label)]


def test_a_chosen_outcome_is_kept_and_shown_in_words(client: Any, council: Any) -> None:
    plan = _draft_plan(council)
    client.force_login(council.users[Role.PRACTITIONER])
    response = client.post(
        reverse("planning:outcome_new", args=[plan.pk]),
        {"in_their_words": "I want to cook my own dinner", "eligibility_outcome": "A"},
    )
    assert response.status_code == 302
    outcome = plan.outcomes.get()
    assert outcome.eligibility_outcome == "A"
    detail = client.get(reverse("planning:detail", args=[plan.pk])).content.decode()
    assert "Eligible need it meets: managing and maintaining nutrition" in detail


def test_an_outcome_not_in_the_regulations_is_refused_by_name() -> None:
    form = OutcomeForm(data={"in_their_words": "To go out", "eligibility_outcome": "Z"})
    assert not form.is_valid()
    assert form.errors["eligibility_outcome"] == ["Select one of the eligibility outcomes, or None"]
