"""The person's ledger page: finance and the person's team see the accounts, balances and
each transaction with its postings; the look is audited; others are refused."""

from __future__ import annotations

from typing import Any

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.ledger import services as ledger
from tests.ledger.test_services import APRIL, MAY, _pay


def _books(council: Any) -> Any:
    finance = council.users[Role.FINANCE]
    wrong = _pay(council, amount=90_000)
    ledger.transaction_reverse(actor=finance, original=wrong, effective_date=MAY, reason="typo")
    _pay(council, amount=100_000)
    return wrong


def test_finance_sees_balances_and_postings(client: Any, council: Any) -> None:
    wrong = _books(council)
    client.force_login(council.users[Role.FINANCE])
    response = client.get(f"/ledger/people/{council.holder_person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    budget = ledger.budget_account(council.holder_person, "direct_payment")
    assert f'id="account-{budget.pk}"' in html and "£1,000.00" in html
    assert f'id="transaction-{wrong.pk}"' in html and "Reversed" in html
    assert f"reversing payment of a budget {wrong.pk}" in html
    assert "-£900.00" in html and "£900.00" in html  # the reversal's postings
    assert "Council funding: Adult social care" in html
    assert APRIL.strftime("%-d %B %Y") in html
    look = Event.objects.filter(action=Action.VIEW, person=council.holder_person).latest("pk")
    assert look.summary == "Ledger accounts and transactions"


def test_another_persons_ledger_is_not_in_the_page(client: Any, council: Any) -> None:
    _books(council)
    client.force_login(council.users[Role.FINANCE])
    html = client.get(f"/ledger/people/{council.other_person.pk}/").content.decode()
    assert "No money has been paid for" in html and "transaction-" not in html


def test_staff_of_another_team_are_refused_and_it_is_recorded(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.PRACTITIONER])
    response = client.get(f"/ledger/people/{council.other_person.pk}/")
    assert response.status_code == 404
    assert Event.objects.filter(action=Action.DENIED, person=council.other_person).exists()


def test_the_person_page_shows_balances_and_links_the_ledger_to_those_who_may_see_it(
    client: Any, council: Any
) -> None:
    _books(council)
    url = f"/people/{council.holder_person.pk}/"
    for role in (Role.FINANCE, Role.PRACTITIONER):
        client.force_login(council.users[role])
        html = client.get(url).content.decode()
        assert f'href="/ledger/people/{council.holder_person.pk}/"' in html, role
        assert "Budget, direct payment: £1,000.00" in html, role
    client.force_login(council.users[Role.HOLDER])
    html = client.get(url).content.decode()
    assert "/ledger/people/" not in html and "£1,000.00" not in html
