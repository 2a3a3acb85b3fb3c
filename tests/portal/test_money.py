"""'Your money' (issue 12, the holder-facing bullet): the balance by way of holding, payments
in and out from the ledger, what is due next, kind alerts about surplus and shortfall, the
link person, statements (page, PDF, CSV) that reconcile, and the spending guide.

Holders' needs: holders-experience REQ-9 (each way of holding's balance and contribution),
REQ-10 (a statement), REQ-19 and REQ-49 (what the money may be spent on, in the portal),
REQ-34 (a named contact with phone and email), REQ-73 (easy read), REQ-48 (nothing demanded
back without due process: the surplus note does not threaten); practice-and-experience
SCIE-13 (contingency: money set aside is fine), SCIE-29 (what may be spent, taxis and
cleaning the grey areas), SCIE-40 (under-spend rules explained to the holder)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.budgets.models import DirectPaymentAgreement
from selfdirect.ledger import services as ledger
from selfdirect.portal import money
from selfdirect.portal.money import Words, money_alerts
from tests.budgets.test_holding import _plan

pytestmark = pytest.mark.django_db

YOU = Words(you="you", your="your", on_behalf=False)
FORBIDDEN_WORDS = ("funding stream", "direct_payment", "managed_account", "clawback", "claw back")


# The alert rule, by policy case: (case, balance, weekly, weeks, next payment in days, kinds)
ALERT_CASES = [
    ("nine weeks held: heading for a surplus", 27_000, 3_000, 8, None, ["surplus"]),
    ("exactly the contingency allowance: no alert", 24_000, 3_000, 8, None, []),
    ("a council allowing twelve weeks: no alert", 27_000, 3_000, 12, None, []),
    ("below zero: a shortfall", -1_250, 3_000, 8, None, ["shortfall"]),
    ("enough until the next payment: no alert", 3_000, 3_000, 8, 7, []),
    ("not enough until the next payment: a shortfall", 2_999, 3_000, 8, 7, ["shortfall"]),
    ("no weekly amount known: no surplus claimed", 500_000, 0, 8, None, []),
]


@pytest.mark.parametrize(("case", "balance", "weekly", "weeks", "days", "kinds"), ALERT_CASES)
def test_alerts_follow_the_contingency_allowance(
    case: str, balance: int, weekly: int, weeks: int, days: int | None, kinds: list[str]
) -> None:
    today = dt.date(2026, 5, 1)
    alerts = money_alerts(
        way="direct_payment",
        balance_pence=balance,
        weekly_pence=weekly,
        contingency_weeks=weeks,
        words=YOU,
        next_payment_on=today + dt.timedelta(days=days) if days is not None else None,
        today=today,
    )
    assert [a.kind for a in alerts] == kinds, case


def test_the_surplus_note_is_kind_and_says_saving_is_fine() -> None:
    """REQ-48: no demand, no threat; the person is told saving for their plan is fine."""
    (alert,) = money_alerts(
        way="direct_payment",
        balance_pence=27_000,
        weekly_pence=3_000,
        contingency_weeks=8,
        words=YOU,
    )
    assert alert.title == "Your direct payment is building up"
    assert "£270.00" in alert.text and "more than 8 weeks of your budget (£240.00)" in alert.text
    assert "you may be asked what the money is for" in alert.text.lower()
    assert "it is fine to save for something in your plan" in alert.text
    assert "nothing is taken back without talking to you first" in alert.text


D = dt.date


def _history(council: Any) -> Any:
    """A hand-worked history (pence):
    6 Apr  paid 30,000 to the direct payment, 12,000 to the ISF
    10 Apr Acme's invoice INV-1 of 4,550 from the ISF
    20 Apr the person's contribution of 2,000 due into the direct payment
    4 May  paid 30,000 to the direct payment
    10 May 5,000 recovered from the direct payment (decision REC-7)
    15 May 3,000 moved from the ISF to the direct payment
    """
    person, finance = council.holder_person, council.users[Role.FINANCE]
    acme = council.users[Role.PROVIDER].profile.provider

    def pay(way: str, pence: int, on: dt.date, period: str) -> None:
        ledger.budget_payment_post(
            actor=finance,
            person=person,
            deployment=way,
            funding_stream="adult_social_care",
            period_key=period,
            amount_pence=pence,
            effective_date=on,
        )

    pay("direct_payment", 30_000, D(2026, 4, 6), "2026-04")
    pay("isf", 12_000, D(2026, 4, 6), "2026-04")
    ledger.invoice_post(
        actor=finance,
        person=person,
        deployment="isf",
        provider=acme,
        amount_pence=4_550,
        effective_date=D(2026, 4, 10),
        source_reference="INV-1",
    )
    ledger.contribution_due_post(
        actor=finance,
        person=person,
        deployment="direct_payment",
        amount_pence=2_000,
        effective_date=D(2026, 4, 20),
    )
    pay("direct_payment", 30_000, D(2026, 5, 4), "2026-05")
    ledger.recovery_post(
        actor=finance,
        person=person,
        deployment="direct_payment",
        amount_pence=5_000,
        effective_date=D(2026, 5, 10),
        source_reference="REC-7",
    )
    ledger.holding_switch_post(
        actor=finance,
        person=person,
        from_deployment="isf",
        to_deployment="direct_payment",
        amount_pence=3_000,
        effective_date=D(2026, 5, 15),
    )
    return person


def test_a_statement_reconciles_by_hand(council: Any) -> None:
    """REQ-10. May 2026 by hand: opening 30,000 + 12,000 - 4,550 + 2,000 = 39,450; in
    30,000 + 3,000 = 33,000; out 5,000 + 3,000 = 8,000; closing 39,450 + 33,000 - 8,000 =
    64,450, which is the direct payment's 60,000 plus the ISF's 4,450 on 31 May."""
    person = _history(council)
    statement = money.money_statement(person, YOU, start=D(2026, 5, 1), end=D(2026, 5, 31))
    assert statement.opening_pence == 39_450
    assert [(m.in_pence, m.out_pence, m.balance_pence) for m in statement.movements] == [
        (30_000, 0, 69_450),
        (0, 5_000, 64_450),
        (0, 3_000, 61_450),
        (3_000, 0, 64_450),
    ]
    assert statement.money_in_pence == 33_000 and statement.money_out_pence == 8_000
    assert statement.closing_pence == statement.ledger_closing_pence == 64_450
    assert statement.reconciles
    assert [m.description for m in statement.movements] == [
        "Paid to you by the council for May 2026",
        "Taken back by the council after a decision (REC-7)",
        "Moved to the direct payment paid to you",
        "Moved from the money your provider holds for you (individual service fund)",
    ]
    # April alone: nothing before it, and its closing is May's opening.
    april = money.money_statement(person, YOU, start=D(2026, 4, 1), end=D(2026, 4, 30))
    assert april.opening_pence == 0 and april.closing_pence == 39_450 and april.reconciles
    assert "Paid to Acme Care (invoice INV-1)" in [m.description for m in april.movements]


def _link(council: Any, plan: Any) -> DirectPaymentAgreement:
    from selfdirect.budgets import services as holding
    from tests.budgets.test_holding import _paid_to_person

    return holding.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        link_officer=council.users[Role.FINANCE],
        **_paid_to_person(),
    )


def test_the_holder_sees_balance_movements_alert_and_link_person(client: Any, council: Any) -> None:
    """REQ-9 and REQ-34: £30 a week by direct payment in the plan; £300 paid in (ten weeks,
    over the 8-week allowance of £240): the balance in plain English, the movement, the
    surplus note, the honest 'no schedule yet', and the link person with the team's phone."""
    plan = _plan(council)
    council.users[Role.FINANCE].first_name, council.users[Role.FINANCE].last_name = "Fiona", "Grant"
    council.users[Role.FINANCE].save()
    _link(council, plan)
    person = council.holder_person
    ledger.budget_payment_post(
        actor=council.users[Role.FINANCE],
        person=person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="2026-04",
        amount_pence=30_000,
        effective_date=D(2026, 4, 6),
    )
    client.force_login(council.users[Role.HOLDER])
    # What the council paid in is not what is in the account: no statement, no surplus.
    page = client.get(f"/your-money/{person.pk}/").content.decode()
    assert "£300.00 paid in by the council so far" in page
    assert "send a bank statement" in page
    assert 'id="alert-surplus-direct_payment"' not in page
    bank_statement(council, balance_pence=30_000, on=D(2026, 4, 30))
    response = client.get(f"/your-money/{person.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Your money</h1>' in page
    assert "Direct payment paid to you" in page and "£300.00" in page
    assert "in your account on 30 April 2026, from your latest statement" in page
    assert "Paid to you by the council for April 2026" in page
    assert 'id="alert-surplus-direct_payment"' in page
    assert "it is fine to save for something in your plan" in page
    assert "Your next payment date will show here once your payment schedule is set up" in page
    assert "Your link person in the direct payments team is Fiona Grant." in page
    assert "01632 960001" in page and "direct.payments@example.org" in page
    visible = page.replace('id="alert-surplus-direct_payment"', "").replace(
        'id="balance-direct_payment"', ""
    )
    for word in FORBIDDEN_WORDS:
        assert word not in visible.lower(), word
    # The look is audited against Ada's record.
    assert Event.objects.filter(
        action=Action.VIEW,
        actor=council.users[Role.HOLDER],
        person_id=person.pk,
        summary="Money: balance and payments",
    ).exists()


def test_a_council_allowing_more_weeks_shows_no_surplus_note(
    client: Any, council: Any, settings: Any
) -> None:
    """SELFDIRECT_CONTINGENCY_WEEKS: 12 weeks of £30 is £360, above the £300 held."""
    settings.SELFDIRECT_CONTINGENCY_WEEKS = 12
    _plan(council)
    ledger.budget_payment_post(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        deployment="direct_payment",
        funding_stream="adult_social_care",
        period_key="2026-04",
        amount_pence=30_000,
        effective_date=D(2026, 4, 6),
    )
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/your-money/{council.holder_person.pk}/").content.decode()
    assert "£300.00" in page and "alert-surplus" not in page


def test_a_representative_reads_on_behalf_wording(client: Any, council: Any) -> None:
    person = _history(council)
    client.force_login(council.users[Role.REPRESENTATIVE])
    page = client.get(f"/your-money/{person.pk}/").content.decode()
    assert "Ada&#x27;s money</h1>" in page
    assert "You are looking on behalf of Ada Holder" in page
    assert "Paid to Ada by the council for May 2026" in page
    assert "Direct payment paid to Ada" in page
    assert "Your money</h1>" not in page
    # With no link person named, the team is still there to call.
    assert "Call the Direct Payments Team on 01632 960001" in page
    assert "link person in the direct payments team is" not in page


def test_others_money_is_refused_and_recorded(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.HOLDER])
    other = council.other_person
    assert client.get(f"/your-money/{other.pk}/").status_code == 404
    assert Event.objects.filter(
        action=Action.DENIED, actor=council.users[Role.HOLDER], person_id=other.pk
    ).exists()
    client.force_login(council.users[Role.CARER])
    assert client.get(f"/your-money/{council.holder_person.pk}/").status_code == 403


def test_statement_page_csv_and_pdf_for_a_range(client: Any, council: Any) -> None:
    person = _history(council)
    client.force_login(council.users[Role.HOLDER])
    query = "start=2026-05-01&end=2026-05-31"
    page = client.get(f"/your-money/{person.pk}/statement/?{query}").content.decode()
    assert "Balance at the start" in page and "£394.50" in page and "£644.50" in page
    assert f"/your-money/{person.pk}/statement.pdf?{query.replace('&', '&amp;')}" in page
    response = client.get(f"/your-money/{person.pk}/statement.csv?{query}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Date",
        "Description",
        "Way of holding",
        "Money in (£)",
        "Money out (£)",
        "Balance (£)",
    ]
    assert rows[1][1] == "Opening balance" and rows[1][5] == "394.50"
    assert rows[-1] == ["2026-05-31", "Closing balance", "", "330.00", "80.00", "644.50"]
    movements = rows[2:-1]
    total_in = sum(Decimal(r[3] or "0") for r in movements)
    total_out = sum(Decimal(r[4] or "0") for r in movements)
    assert Decimal("394.50") + total_in - total_out == Decimal("644.50")
    pdf = client.get(f"/your-money/{person.pk}/statement.pdf?{query}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        Event.objects.filter(
            person_id=person.pk, summary__in=["Money statement CSV", "Money statement PDF"]
        ).count()
        == 2
    )


def test_a_statement_range_that_cannot_be_given_is_explained(client: Any, council: Any) -> None:
    person = council.holder_person
    client.force_login(council.users[Role.HOLDER])
    page = client.get(
        f"/your-money/{person.pk}/statement/?start=2026-05-31&end=2026-05-01"
    ).content.decode()
    assert "<title>Error: " in page and money.STATEMENT_END_BEFORE_START in page
    back = client.get(f"/your-money/{person.pk}/statement.csv?start=2026-05-31&end=2026-05-01")
    assert back.status_code == 302
    assert back["Location"].startswith(f"/your-money/{person.pk}/statement/?")


def test_finance_and_the_team_get_statements_from_the_ledger_page(
    client: Any, council: Any
) -> None:
    """Staff see the same money (finance: everyone; the team: its people) on the ledger
    page, which links to the statement; 'Your money' itself is the person's own page."""
    person = _history(council)
    for role in (Role.FINANCE, Role.PRACTITIONER):
        client.force_login(council.users[role])
        ledger_page = client.get(f"/ledger/people/{person.pk}/").content.decode()
        assert f"/your-money/{person.pk}/statement/" in ledger_page
        assert client.get(f"/your-money/{person.pk}/statement.csv").status_code == 200
        assert client.get(f"/your-money/{person.pk}/").status_code == 403


def test_the_spending_guide_covers_what_people_were_unsure_of(client: Any, council: Any) -> None:
    """REQ-19/REQ-49: taxis, cleaning, short breaks, a gym, saving up, a PA, what it cannot
    pay for, and each source's limits in plain English; REQ-73: easy read where needed."""
    client.force_login(council.users[Role.HOLDER])
    page = client.get("/your-money/what-it-can-be-spent-on/").content.decode()
    for slug in ("taxis", "cleaning", "short-breaks", "gym", "saving-up", "personal-assistant"):
        assert f'id="spend-{slug}"' in page, slug
    assert "Rent, food, gas and electricity" in page
    assert "How flexible it is" in page
    assert "NHS continuing healthcare / personal health budget" in page
    assert "home adaptations" in page  # adult social care cannot pay for them
    assert 'id="easy-read"' not in page
    council.holder_person.needs_easy_read = True
    council.holder_person.save()
    easy = client.get("/your-money/what-it-can-be-spent-on/").content.decode()
    assert 'id="easy-read"' in easy and "You can pay for taxis" in easy
    full = client.get("/your-money/what-it-can-be-spent-on/?version=standard").content.decode()
    assert 'id="easy-read"' not in full and 'id="spend-taxis"' in full


def test_home_links_to_money(client: Any, council: Any) -> None:
    person = council.holder_person
    client.force_login(council.users[Role.HOLDER])
    assert f'href="/your-money/{person.pk}/"' in client.get("/home/").content.decode()
    client.force_login(council.users[Role.REPRESENTATIVE])
    home = client.get("/home/").content.decode()
    assert "Ada's money" in home
    assert client.get("/your-money/")["Location"] == f"/your-money/{person.pk}/"


@pytest.mark.parametrize(
    ("key", "words"),
    [("2026-04", "April 2026"), ("2026-04-06", "the period from 6 April 2026"), ("P1", "P1")],
)
def test_a_payment_period_is_told_in_words(key: str, words: str) -> None:
    assert money.period_words(key) == words


def test_easy_read_first_where_the_person_needs_it(client: Any, council: Any) -> None:
    """REQ-73: an easy read summary at the top of 'Your money' for a person who needs it
    (for anyone else, to open: "Read this in easy read")."""
    person = _history(council)
    client.force_login(council.users[Role.HOLDER])
    page = client.get(f"/your-money/{person.pk}/").content.decode()
    assert 'id="easy-read-title"' not in page and "Read this in easy read" in page
    person.needs_easy_read = True
    person.save()
    page = client.get(f"/your-money/{person.pk}/").content.decode()
    assert 'id="easy-read-title"' in page
    assert page.index('id="easy-read-title"') < page.index('id="balance-heading"')
    assert "There is <strong>£644.50</strong> in your budget now." in page


def test_a_representative_of_two_chooses_whose_money(client: Any, council: Any) -> None:
    from selfdirect.people import codes
    from tests.factories import RelationshipFactory

    rep = council.users[Role.REPRESENTATIVE]
    RelationshipFactory(
        person=council.other_person,
        related_person=rep.profile.person,
        kind=codes.RelationshipKind.NOMINATED_PERSON,
        legal_basis=codes.LegalBasis.PERSON_NOMINATED,
    )
    client.force_login(rep)
    page = client.get("/your-money/").content.decode()
    assert f'href="/your-money/{council.holder_person.pk}/"' in page
    assert f'href="/your-money/{council.other_person.pk}/"' in page
    assert "Bea's money (Bea Other)" in page


def bank_statement(council: Any, *, balance_pence: int, on: D) -> None:
    """The person's bank statement as monitoring stores it, with its closing balance."""
    from selfdirect.monitoring.models import Statement

    Statement.objects.create(
        person=council.holder_person,
        uploaded_by=council.users[Role.HOLDER],
        kind="csv",
        layout="amount",
        filename="statement.csv",
        sha256=f"{balance_pence:064d}",
        period_start=on.replace(day=1),
        period_end=on,
        balance_pence=balance_pence,
        balance_on=on,
        weekly_pence=3000,
        tier="light",
        imported_count=1,
    )
