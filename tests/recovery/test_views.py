"""The recovery pages: finance opens and works a case, the holder explains and appeals,
letters say what the law and fairness need, refusals show on the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.recovery import services as S
from selfdirect.recovery.models import RecoveryCase
from selfdirect.recovery.views import letter_html
from tests.recovery.cases import TODAY, with_surplus

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: Any) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _opened(client: Any, council: Any) -> RecoveryCase:
    with_surplus(council)
    client.force_login(council.finance)
    page = client.get(reverse("people:detail", args=[council.holder_person.pk]))
    assert reverse("recovery:case_new", args=[council.holder_person.pk]) in page.content.decode()
    response = client.post(
        reverse("recovery:case_new", args=[council.holder_person.pk]),
        {"source": "ledger", **_date("balance_on", TODAY)},
    )
    case = RecoveryCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("recovery:case", args=[case.pk])
    return case


def test_finance_opens_a_case_from_the_ledger_and_sends_the_letter(
    client: Any, council: Any
) -> None:
    case = _opened(client, council)
    assert case.surplus_pence == 16000 and case.opened_by == council.finance
    assert reverse("recovery:cases") in client.get(reverse("home")).content.decode()
    listed = client.get(reverse("recovery:cases")).content.decode()
    assert reverse("recovery:case", args=[case.pk]) in listed
    page = client.get(reverse("recovery:case", args=[case.pk])).content.decode()
    assert "£160.00" in page and case.rule_wording in page.replace("&#x27;", "'")
    client.post(reverse("recovery:letter_send", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "letter_sent"
    letter = client.get(reverse("recovery:letter", args=[case.pk, "opening"]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert Event.objects.filter(
        action=Action.VIEW, actor=council.finance, summary="Recovery letter PDF"
    ).exists()
    assert client.get(reverse("recovery:letter", args=[case.pk, "decision"])).status_code == 404


def test_no_surplus_is_shown_on_the_form_and_opens_nothing(client: Any, council: Any) -> None:
    with_surplus(council, paid_pence=20000)
    client.force_login(council.finance)
    response = client.post(
        reverse("recovery:case_new", args=[council.holder_person.pk]),
        {"source": "ledger", **_date("balance_on", TODAY)},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in body
    assert "there is no surplus to recover" in body
    assert not RecoveryCase.objects.exists()


def test_the_opening_letter_has_the_amount_working_rule_deadline_worker_and_appeal(
    client: Any, council: Any
) -> None:
    case = _opened(client, council)
    S.recovery_letter_send(actor=council.finance, case=case)
    request = RequestFactory().get("/")
    request.user = council.finance
    html = letter_html(request, case, "opening").replace("&#x27;", "'")
    assert "£160.00" in html and "£400.00" in html and "£240.00" in html
    assert "Less what may be kept for the unexpected: 8 weeks of £30.00" in html
    assert case.rule_wording in html
    assert f"{case.explain_by:%-d %B %Y}" in html
    assert "We are not taking any money back now" in html
    assert "Who to contact" in html and "appeal within 28 days" in html
    assert "Ombudsman" in html
    assert "A copy goes to" in html and "who acts for you" in html


def test_the_holder_explains_in_their_words_and_the_opener_cannot_decide(
    client: Any, council: Any
) -> None:
    case = _opened(client, council)
    S.recovery_letter_send(actor=council.finance, case=case)
    client.force_login(council.users[Role.HOLDER])
    home = client.get(reverse("home")).content.decode()
    assert reverse("recovery:yours", args=[case.pk]) in home
    response = client.post(
        reverse("recovery:your_explanation", args=[case.pk]),
        {"kind": "holiday", "explanation": "A week in Whitby with my PA in June"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.explanation == "A week in Whitby with my PA in June"
    assert case.explained_by == council.users[Role.HOLDER]
    client.force_login(council.finance)
    response = client.post(
        reverse("recovery:decide", args=[case.pk]), {"decision": "all", "reasons": "Not needed"}
    )
    assert response.status_code == 200 and S.OWN_CASE in response.content.decode()
    case.refresh_from_db()
    assert case.decided_on is None
    client.force_login(council.finance2)
    response = client.post(
        reverse("recovery:decide", args=[case.pk]),
        {"decision": "part", "amount": "60", "reasons": "£100 kept for the holiday"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.decision, case.decided_pence) == ("part", 6000)
    response = client.post(
        reverse("recovery:plan", args=[case.pk]),
        {"kind": "reduced_payments", "count": "4", **_date("first_due_on", TODAY)},
    )
    assert response.status_code == 302
    assert list(case.instalments.values_list("amount_pence", flat=True)) == [1500] * 4
    client.force_login(council.users[Role.HOLDER])
    page = client.get(reverse("recovery:yours", args=[case.pk])).content.decode()
    assert "We decided to take back £60.00" in page
    assert reverse("recovery:your_appeal", args=[case.pk]) in page
    assert "Money in your direct payment account" in page
    client.force_login(council.users[Role.REPRESENTATIVE])
    page = client.get(reverse("recovery:yours", args=[case.pk])).content.decode()
    assert "Money in Ada's direct payment account" in page.replace("&#x27;", "'")
    response = client.post(reverse("recovery:your_appeal", args=[case.pk]), {"appeal": "Unfair"})
    case.refresh_from_db()
    assert case.status == "appealed"


def test_the_practitioner_reads_the_case_but_cannot_work_it(client: Any, council: Any) -> None:
    case = _opened(client, council)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(reverse("recovery:case", args=[case.pk])).content.decode()
    assert "£160.00" in page and "Send the letter" not in page
    response = client.post(reverse("recovery:letter_send", args=[case.pk]))
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "opened"


def test_the_decision_and_appeal_letters_give_the_reasons_dates_and_what_changes(
    client: Any, council: Any
) -> None:
    case = _opened(client, council)
    S.recovery_letter_send(actor=council.finance, case=case)
    S.recovery_decide(
        actor=council.finance2,
        case=case,
        decision="all",
        reasons="No reason was given for keeping it",
        today=case.explain_by + dt.timedelta(days=1),
    )
    S.recovery_plan_set(
        actor=council.finance,
        case=case,
        kind="one_sum",
        first_due_on=case.explain_by + dt.timedelta(days=40),
        count=1,
    )
    request = RequestFactory().get("/")
    request.user = council.finance
    decision = letter_html(request, case, "decision").replace("&#x27;", "'")
    assert "We will take back £160.00" in decision
    assert "No reason was given for keeping it" in decision
    assert "We did not hear from you by" in decision
    assert f"You can appeal until <strong>{S.appeal_until(case):%-d %B %Y}</strong>" in decision
    first_due = case.instalments.get().due_on
    assert f"{first_due:%-d %B %Y}" in decision
    S.recovery_appeal(
        actor=council.users[Role.HOLDER],
        case=case,
        appeal="I wrote but the letter was lost",
        today=case.decided_on,
    )
    S.recovery_appeal_decide(
        actor=council.users[Role.MANAGER],
        case=case,
        outcome="upheld",
        reasons="Her letter arrived late",
        today=case.decided_on,
    )
    appeal = letter_html(request, case, "appeal").replace("&#x27;", "'")
    assert "Your appeal is upheld" in appeal and "Her letter arrived late" in appeal
    assert "anything already taken back has been put back" in appeal
    client.force_login(council.users[Role.HOLDER])
    for kind in ("opening", "decision", "appeal"):
        response = client.get(reverse("recovery:letter", args=[case.pk, kind]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_case_is_not_the_persons_to_find_until_the_letter_has_gone(
    client: Any, council: Any
) -> None:
    case = _opened(client, council)
    client.force_login(council.users[Role.HOLDER])
    assert client.get(reverse("recovery:yours", args=[case.pk])).status_code == 404
    assert client.get(reverse("recovery:your_explanation", args=[case.pk])).status_code == 404
    client.force_login(council.finance)
    client.post(reverse("recovery:letter_send", args=[case.pk]))
    client.force_login(council.users[Role.HOLDER])
    assert client.get(reverse("recovery:yours", args=[case.pk])).status_code == 200
