"""Finance reaches the payment runs from the menu and from the home page (not only by
typing the address); no one else is shown them."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.payments import services
from tests.payments.helpers import dp_schedule, finance_officers, paid_plan

pytestmark = pytest.mark.django_db

MENU_ITEM = '<a class="govuk-service-navigation__link" href="/payments/runs/"'


def test_finance_has_payments_in_the_menu_and_on_the_home_page(client: Any, council: Any) -> None:
    paid_plan(council)
    dp_schedule(council)
    first, _ = finance_officers(council)
    run = services.run_prepare(actor=first, period="2026-04", frequency="four_weekly")
    client.force_login(first)
    home = client.get("/home/").content.decode()
    assert MENU_ITEM in home
    assert '<a class="govuk-link" href="/payments/runs/">Payment runs</a>' in home
    assert (
        f'<a class="govuk-link" href="/payments/runs/{run.pk}/reconciliation/">'
        "Reconciliation: Payment run 2026-04 (every four weeks)</a>" in home
    )
    # On the runs page the item is the current one.
    runs = client.get("/payments/runs/").content.decode()
    assert f'{MENU_ITEM} aria-current="page">Payments</a>' in runs


def test_finance_without_runs_gets_the_runs_link_only(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.FINANCE])
    home = client.get("/home/").content.decode()
    assert MENU_ITEM in home and "Payment runs" in home and "Reconciliation:" not in home


@pytest.mark.parametrize(
    "role", [Role.PRACTITIONER, Role.HOLDER, Role.PROVIDER, Role.MANAGER, Role.REPRESENTATIVE]
)
def test_others_are_not_shown_payments(client: Any, council: Any, role: Role) -> None:
    client.force_login(council.users[role])
    home = client.get("/home/").content.decode()
    assert "/payments/runs/" not in home
