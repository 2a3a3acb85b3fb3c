"""The demo council's IBSEN questionnaire answers (issue 15): named, consenting answers from
people with approved plans, the same from the same seed, so that the IBSEN outcomes page
and the cost-effectiveness page show figures to a commissioner on the demo."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.demo.generator import demo_council_build
from selfdirect.demo.ibsen import PEOPLE, demo_ibsen_build
from selfdirect.evaluation import cohort, ibsen_report
from selfdirect.surveys.models import Answer, Response

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[int | None, str, str, str]]:
    return sorted(
        Answer.objects.filter(response__instrument__code__in=cohort.INSTRUMENTS).values_list(
            "response__person_id", "response__instrument__code", "item__code", "value"
        )
    )


def test_after_the_demo_the_ibsen_pages_show_figures() -> None:
    today = timezone.localdate()  # the pages cost plans in force today
    summary = demo_council_build(people=400, seed=7, today=today, money_people=0)
    responses = Response.objects.filter(instrument__code__in=cohort.INSTRUMENTS)
    assert summary.counts["IBSEN responses"] == responses.count() > 0
    assert not responses.filter(person__isnull=True).exists()
    assert not responses.filter(consent_to_report=False).exists()
    assert not responses.filter(person_id=summary.holder_person_id).exists()
    gathered = cohort.cohort_from_records(on=today)
    c = gathered.cohort
    assert gathered.anonymous == 0 and gathered.without_cost == 0
    assert 50 <= c.size <= PEOPLE and set(c.group.tolist()) == set(c.groups)
    # Each group answers as its synthetic IBSEN people do: a direct payment goes with more
    # control over daily life and more satisfaction (1 is "extremely satisfied").
    assert c.satisfaction is not None
    direct, council = (c.group == g for g in c.groups)
    control = c.ascot_levels[:, 0] == 0
    assert control[direct].mean() > control[council].mean() + 0.05
    assert c.satisfaction[direct].mean() < c.satisfaction[council].mean()
    client = Client()
    client.force_login(User.objects.get(username=Role.COMMISSIONER))
    outcomes = client.get(reverse("ibsen:outcomes")).content.decode()
    assert ibsen_report.NO_ANSWERS not in outcomes
    assert "Direct payment" in outcomes and "Council-arranged" in outcomes
    ce = client.get(reverse("ibsen:cost_effectiveness")).content.decode()
    assert ibsen_report.NO_ANSWERS not in ce
    assert "Cost per point of effect (ICER, £ a week)" in ce


def _clear() -> None:
    """Take the IBSEN answers away by id: a delete through the joins to the instrument got
    a plan on PostgreSQL, with the statistics other tests left, that ran for minutes."""
    ids = list(
        Response.objects.filter(instrument__code__in=cohort.INSTRUMENTS).values_list(
            "pk", flat=True
        )
    )
    Answer.objects.filter(response_id__in=ids).delete()
    Response.objects.filter(pk__in=ids).delete()


def test_the_same_seed_gives_the_same_answers_quickly() -> None:
    today = timezone.localdate()
    summary = demo_council_build(people=200, seed=3, today=today, money_people=0)
    first = _snapshot()
    assert first
    with transaction.atomic():
        _clear()
        started = time.perf_counter()
        demo_ibsen_build(seed=3, today=today, leave_out=summary.holder_person_id)
        seconds = time.perf_counter() - started
    assert seconds < 5  # well under 1 s on a quiet machine; a fixed few hundred people
    again = _snapshot()
    assert again == first  # the same people, the same answers
    with transaction.atomic():
        _clear()
        demo_ibsen_build(seed=4, today=today, leave_out=summary.holder_person_id)
    assert _snapshot() != first  # another seed, other people and answers
