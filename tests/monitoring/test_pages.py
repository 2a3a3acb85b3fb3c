"""The monitoring pages: the holder's statements with the balance and flags in plain words,
explaining a flag, finance's list, the sample button, deciding a flag; refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.monitoring.models import Flag, QuarterSample
from tests.factories import make_user
from tests.monitoring.test_services import _csv, _d, _flagged, _upload

pytestmark = pytest.mark.django_db


def test_the_holder_sees_the_balance_and_what_to_explain(client: Any, council: Any) -> None:
    flag = _flagged(client, council)
    client.force_login(council.users[Role.HOLDER])
    page = client.get(
        reverse("monitoring:statements", kwargs={"person_id": council.holder_person.pk})
    ).content.decode()
    assert "Your statements" in page and "£10.00" in page and "1 thing to look at" in page
    detail = client.get(
        reverse("monitoring:statement", kwargs={"statement_id": flag.statement_id})
    ).content.decode()
    assert "We could not match this payment of £90.00 to your support plan" in detail
    assert reverse("monitoring:explain", kwargs={"flag_id": flag.pk}) in detail
    assert "Record the decision" not in detail  # finance's form only


def test_explaining_with_nothing_written_shows_the_error(client: Any, council: Any) -> None:
    flag = _flagged(client, council)
    client.force_login(council.users[Role.HOLDER])
    url = reverse("monitoring:explain", kwargs={"flag_id": flag.pk})
    page = client.post(url, {"explanation": ""}).content.decode()
    assert "<title>Error: " in page and "Enter what the payment or balance was for" in page
    response = client.post(url, {"explanation": "A chair for my shower"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.explanation == "A chair for my shower"


def test_finance_lists_who_is_due_draws_the_sample_and_decides(client: Any, council: Any) -> None:
    flag = _flagged(client, council)
    finance = council.users[Role.FINANCE]
    client.force_login(finance)
    page = client.get(reverse("monitoring:list")).content.decode()
    assert council.holder_person.full_name in page and "Light touch" in page
    assert "Draw the random sample" in page
    client.post(reverse("monitoring:sample"))
    client.post(reverse("monitoring:sample"))
    assert QuarterSample.objects.count() == 1
    assert "with the seed" in client.get(reverse("monitoring:list")).content.decode()
    decide = reverse("monitoring:decide", kwargs={"flag_id": flag.pk})
    statement = reverse("monitoring:statement", kwargs={"statement_id": flag.statement_id})
    response = client.post(decide, {"decision": "clear", "note": ""}, follow=True)
    assert "Enter the reason for the decision" in response.content.decode()
    client.post(decide, {"decision": "clear", "note": "Bought a shower chair, in the plan"})
    flag.refresh_from_db()
    assert flag.status == Flag.Status.CLEARED
    assert "Cleared" in client.get(statement).content.decode()


def test_the_support_organisation_uploads_for_the_people_it_supports(
    client: Any, council: Any
) -> None:
    job = _upload(client, council, _csv(f"{_d(0)},SHOP,-1.00,5.00"), role=Role.PROVIDER)
    assert job.status == "done"
    outsider = make_user("elsewhere", [Role.PROVIDER])
    client.force_login(outsider)
    url = reverse("monitoring:upload", kwargs={"person_id": council.holder_person.pk})
    assert client.get(url).status_code == 404


def test_the_practitioner_records_a_risk_and_the_tier_changes(client: Any, council: Any) -> None:
    from tests.budgets.test_holding import _plan

    _plan(council)
    client.force_login(council.users[Role.PRACTITIONER])
    person_id = council.holder_person.pk
    url = reverse("monitoring:risk", kwargs={"person_id": person_id})
    assert "Error: " in client.post(url, {}).content.decode()
    client.post(url, {"high_risk": "yes", "reason": "Bills unpaid for three months"})
    page = client.get(
        reverse("monitoring:person", kwargs={"person_id": person_id})
    ).content.decode()
    assert "Full audit" in page and "Recorded as high risk" in page


def test_the_job_page_leads_back_to_the_statements(client: Any, council: Any) -> None:
    job = _upload(client, council, _csv(f"{_d(0)},SHOP,-1.00,5.00"))
    page = client.get(reverse("jobs:detail", kwargs={"job_id": job.pk})).content.decode()
    assert reverse("monitoring:statements", kwargs={"person_id": council.holder_person.pk}) in page


def test_the_person_page_links_to_statements_and_monitoring(client: Any, council: Any) -> None:
    _flagged(client, council)
    url = reverse("people:detail", kwargs={"person_id": council.holder_person.pk})
    client.force_login(council.users[Role.REPRESENTATIVE])
    page = client.get(url).content.decode()
    assert "1 statement uploaded; 1 thing to look at" in page
    assert reverse("monitoring:statements", kwargs={"person_id": council.holder_person.pk}) in page
    monitoring = (
        f'href="{reverse("monitoring:person", kwargs={"person_id": council.holder_person.pk})}"'
    )
    assert monitoring not in page
    client.force_login(council.users[Role.PRACTITIONER])
    assert monitoring in client.get(url).content.decode()
    client.force_login(council.users[Role.CARER])  # a carer sees the record, not the money
    assert "Statements of the direct payment account" not in client.get(url).content.decode()
