"""'Your money': a budget holder's balance by way of holding, payments in and out, what is
due next, gentle alerts about surplus and shortfall, the link person in the direct payments
team, and a statement for a date range. Everything is read from the ledger (its selectors);
nothing here writes. The alert rule is a plain function over pence (``money_alerts``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.conf import settings

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.audit.services import look_refused
from selfdirect.budgets.selectors import active_direct_payment
from selfdirect.ledger.models import Account, Transaction
from selfdirect.ledger.selectors import account_balance, person_accounts, person_transactions
from selfdirect.money import pounds
from selfdirect.monitoring.models import Statement as BankStatement
from selfdirect.payments.selectors import payment_calendar
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_for
from selfdirect.planning.figures import plan_in_force
from selfdirect.planning.services import holding_mix
from selfdirect.portal.selectors import look_subjects_for

STATEMENT_END_BEFORE_START = "The end date must be the same as or after the start date"
STATEMENT_IN_FUTURE = "The start date must be today or in the past"


@dataclass(frozen=True)
class Words:
    """How the pages speak: to the holder ("you", "your") or, for a representative, about
    the person by their first name ("Donald", "Donald's")."""

    you: str
    your: str
    on_behalf: bool

    @property
    def Your(self) -> str:
        return self.your[:1].upper() + self.your[1:]

    @property
    def You(self) -> str:
        return self.you[:1].upper() + self.you[1:]


def words_for(user: AnyUser, person: Person) -> Words:
    profile = getattr(user, "profile", None)
    if profile is not None and profile.person_id == person.pk:
        return Words(you="you", your="your", on_behalf=False)
    return Words(you=person.given_name, your=f"{person.given_name}'s", on_behalf=True)


# Ways of holding in the holder's words (no internal codes, no "funding stream").
WAYS_PLAIN: dict[str, str] = {
    "direct_payment": "Direct payment paid to {you}",
    "managed_account": "Money the council holds and pays out for {you}",
    "isf": "Money {your} provider holds for {you} (Individual Service Fund)",
    "third_party": "Money an organisation holds and pays out for {you}",
    "council_commissioned": "Services the council arranges for {you}",
}


# The same, short, for a heading: "Your direct payment is building up".
WAYS_SHORT: dict[str, str] = {
    "direct_payment": "direct payment",
    "managed_account": "money the council holds",
    "isf": "Individual Service Fund",
    "third_party": "managed account",
    "council_commissioned": "council-arranged services",
}


def way_plain(way: str, words: Words) -> str:
    return WAYS_PLAIN.get(way, "{your} budget").format(you=words.you, your=words.your)


def money_person_for(user: AnyUser, person_id: int, *, staff_allowed: bool = False) -> Person:
    """Whose money ``user`` may see: their own (a holder) or the people they act for now (a
    representative); with ``staff_allowed`` (the statement) also anyone whose ledger they
    may see (finance: everyone; the team: its people). Otherwise a 404, recorded as refused."""
    for person in look_subjects_for(user):
        if person.pk == person_id:
            return person
    if staff_allowed and user_can(user, "ledger.view"):
        return person_for(user, person_id)
    raise look_refused(actor=user, model=Person, object_id=person_id)


def next_payments(person: Person, today: dt.date) -> dict[str, tuple[dt.date, int, str]]:
    """Each way of holding's next scheduled payment, from the payments app's calendar:
    the first period paying on or after ``today`` that is not already paid, as (date, amount
    in pence, way of holding). Ways with no schedule (or nothing due) are left out."""
    found: dict[str, tuple[dt.date, int, str]] = {}
    for entry in payment_calendar(person, today).entries:  # in date order
        if entry.pays_on >= today and not entry.paid and entry.way not in found:
            found[entry.way] = (entry.pays_on, entry.amount_pence, entry.way)
    return found


def next_payment(person: Person, today: dt.date | None = None) -> tuple[dt.date, int, str] | None:
    """The person's next scheduled payment: (date, amount in pence, way of holding), or None
    when no schedule is set up (or nothing is due in the year ahead)."""
    upcoming = next_payments(person, today or dt.date.today())
    return min(upcoming.values(), default=None)


@dataclass(frozen=True)
class Alert:
    kind: str  # "surplus" or "shortfall"
    way: str
    title: str
    text: str


def money_alerts(
    *,
    way: str,
    balance_pence: int,
    weekly_pence: int,
    contingency_weeks: int,
    words: Words,
    next_payment_on: dt.date | None = None,
    today: dt.date | None = None,
) -> list[Alert]:
    """Whether a budget account is heading for a surplus (more than ``contingency_weeks`` of
    its weekly amount) or a shortfall (below zero, or less than is needed until the next
    payment), explained kindly: saving for something in the plan is fine."""
    label = way_plain(way, words).lower()
    short = f"{words.Your} {WAYS_SHORT.get(way, 'budget')}"
    alerts: list[Alert] = []
    allowance = contingency_weeks * weekly_pence
    if weekly_pence > 0 and balance_pence > allowance:
        alerts.append(
            Alert(
                kind="surplus",
                way=way,
                title=f"{short} is building up",
                text=(
                    f"There is {pounds(balance_pence)} in the {label}. That is more than "
                    f"{contingency_weeks} weeks of {words.your} budget ({pounds(allowance)}). "
                    f"{words.You} may be asked what the money is for; it is fine to save for "
                    f"something in {words.your} plan, such as a short break. If the money is "
                    "not needed, talk to the link person below: nothing is taken back "
                    "without talking to you first."
                ),
            )
        )
    if balance_pence < 0:
        alerts.append(
            Alert(
                kind="shortfall",
                way=way,
                title=f"{short} has gone below zero",
                text=(
                    f"The {label} is {pounds(-balance_pence)} below zero. Please talk to the "
                    "link person below soon, so they can help put it right. You will not be "
                    "in trouble for asking."
                ),
            )
        )
    elif next_payment_on is not None and weekly_pence > 0:
        today = today or dt.date.today()
        days = max(0, (next_payment_on - today).days)
        needed = weekly_pence * days // 7
        if balance_pence < needed:
            alerts.append(
                Alert(
                    kind="shortfall",
                    way=way,
                    title=f"{short} may run short",
                    text=(
                        f"There is {pounds(balance_pence)} in the {label}, and about "
                        f"{pounds(needed)} is needed until the next payment on "
                        f"{next_payment_on:%-d %B %Y}. Please talk to the link person below "
                        "before it runs out."
                    ),
                )
            )
    return alerts


@dataclass(frozen=True)
class Balance:
    way: str
    label: str
    balance_pence: int
    weekly_pence: int
    # A direct payment is spent from the person's own account, which the council's ledger
    # does not see: what is in it comes from their latest bank statement, if they sent one.
    statement_balance_pence: int | None = None
    statement_on: dt.date | None = None


@dataclass(frozen=True)
class Movement:
    """One movement of money into or out of the person's budget accounts."""

    date: dt.date
    description: str
    way_label: str
    in_pence: int
    out_pence: int
    balance_pence: int  # across all the budget accounts, after this movement
    transaction_id: int


@dataclass
class Statement:
    person: Person
    start: dt.date
    end: dt.date
    opening_pence: int
    movements: list[Movement] = field(default_factory=list)
    closing_pence: int = 0
    # The balance on the end date read straight from the ledger: equal to closing_pence.
    ledger_closing_pence: int = 0

    @property
    def money_in_pence(self) -> int:
        return sum(m.in_pence for m in self.movements)

    @property
    def money_out_pence(self) -> int:
        return sum(m.out_pence for m in self.movements)

    @property
    def reconciles(self) -> bool:
        return (
            self.opening_pence + self.money_in_pence - self.money_out_pence
            == self.closing_pence
            == self.ledger_closing_pence
        )


@dataclass(frozen=True)
class LinkPerson:
    name: str  # blank when no one is named on the agreement
    team: str
    phone: str
    email: str


@dataclass
class MoneySummary:
    person: Person
    words: Words
    balances: list[Balance]
    total_pence: int
    movements: list[Movement]  # the most recent first
    contributions: list[Movement]
    contribution_outstanding_pence: int
    next_payment: tuple[dt.date, int, str] | None
    alerts: list[Alert]
    link: LinkPerson
    contingency_weeks: int
    next_payment_way: str = ""  # the next payment's way of holding, in the holder's words


def _budget_accounts(person: Person) -> list[Account]:
    return [a for a in person_accounts(person) if a.kind == Account.Kind.BUDGET]


def period_words(key: str) -> str:
    """A payment's period as the holder reads it: "2026-04" is "April 2026"; a period
    starting on a day, "2026-04-06", is "the period from 6 April 2026"; anything else as it is."""
    for fmt, shown in (("%Y-%m", "%B %Y"), ("%Y-%m-%d", "the period from %-d %B %Y")):
        try:
            return dt.datetime.strptime(key, fmt).strftime(shown)
        except ValueError:
            continue
    return key


def _describe(entry: Transaction, account: Account, amount: int, words: Words) -> str:
    """The movement as the holder reads it."""
    others = [p.account for p in entry.postings.all() if p.account_id != account.pk]
    kind = entry.kind
    if kind == Transaction.Kind.PAYMENT:
        return f"Paid to {words.you} by the council" + (
            f" for {period_words(entry.period_key)}" if entry.period_key else ""
        )
    if kind == Transaction.Kind.CONTRIBUTION_DUE:
        return f"{words.Your} contribution towards {words.your} support"
    if kind == Transaction.Kind.INVOICE:
        provider = next((a.provider for a in others if a.provider is not None), None)
        text = f"Paid to {provider}" if provider else "Paid to a provider"
        return text + (f" (invoice {entry.source_reference})" if entry.source_reference else "")
    if kind == Transaction.Kind.RECOVERY:
        return "Taken back by the council after a decision" + (
            f" ({entry.source_reference})" if entry.source_reference else ""
        )
    if kind == Transaction.Kind.SWITCH:
        other = next((a for a in others if a.kind == Account.Kind.BUDGET), None)
        where = way_plain(other.deployment, words).lower() if other else "another way"
        return f"Moved to the {where}" if amount < 0 else f"Moved from the {where}"
    if kind == Transaction.Kind.REVERSAL:
        original = entry.reverses
        if original is not None and original.kind == Transaction.Kind.PAYMENT:
            return "A payment the bank sent back" + (
                f", for {period_words(original.period_key)}" if original.period_key else ""
            )
        return "Correction: an earlier entry taken back out"
    return "Adjustment by the council"


def _movements(
    person: Person,
    words: Words,
    *,
    start: dt.date | None,
    end: dt.date | None,
    opening: int,
    kinds: frozenset[str] = frozenset({Account.Kind.BUDGET}),
) -> list[Movement]:
    entries = person_transactions(person)
    if start is not None:
        entries = entries.filter(effective_date__gte=start)
    if end is not None:
        entries = entries.filter(effective_date__lte=end)
    running = opening
    rows: list[Movement] = []
    for entry in entries:
        for posting in entry.postings.all():
            account = posting.account
            if account.person_id != person.pk or account.kind not in kinds:
                continue
            amount = posting.amount_pence
            running += amount
            if account.kind == Account.Kind.CONTRIBUTION:
                # The contribution account is negative while money is owed: due is a charge
                # to the person, received is a payment from them.
                description = (
                    f"Contribution received from {words.you}"
                    if amount > 0
                    else f"Contribution due from {words.you}"
                )
                way_label = "Contribution"
            else:
                description = _describe(entry, account, amount, words)
                way_label = way_plain(account.deployment, words)
            rows.append(
                Movement(
                    date=entry.effective_date,
                    description=description,
                    way_label=way_label,
                    in_pence=max(amount, 0),
                    out_pence=max(-amount, 0),
                    balance_pence=running,
                    transaction_id=entry.pk,
                )
            )
    return rows


def money_statement(person: Person, words: Words, *, start: dt.date, end: dt.date) -> Statement:
    """The person's budget accounts from ``start`` to ``end`` (both included): the balance
    the day before, each movement with the running balance, and the closing balance."""
    accounts = _budget_accounts(person)
    day_before = start - dt.timedelta(days=1)
    opening = sum(account_balance(a, day_before) for a in accounts)
    movements = _movements(person, words, start=start, end=end, opening=opening)
    closing = movements[-1].balance_pence if movements else opening
    return Statement(
        person=person,
        start=start,
        end=end,
        opening_pence=opening,
        movements=movements,
        closing_pence=closing,
        ledger_closing_pence=sum(account_balance(a, end) for a in accounts),
    )


def statement_default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month three months ago, to today."""
    month = today.month - 3
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1), today


def statement_range_refusal(start: dt.date, end: dt.date, today: dt.date) -> tuple[str, str] | None:
    """(field, message) if the range cannot be given, else None."""
    if start > today:
        return "start", STATEMENT_IN_FUTURE
    if end < start:
        return "end", STATEMENT_END_BEFORE_START
    return None


def link_person(person: Person) -> LinkPerson:
    """The link person named on the person's direct payment agreement in place (if any),
    and the council's direct payments team."""
    agreement = active_direct_payment(person)
    officer = agreement.link_officer if agreement is not None else None
    return LinkPerson(
        name=(officer.get_full_name() or officer.get_username()) if officer else "",
        team=settings.SELFDIRECT_DP_TEAM_NAME,
        phone=settings.SELFDIRECT_DP_TEAM_PHONE,
        email=settings.SELFDIRECT_DP_TEAM_EMAIL,
    )


def weekly_by_way(person: Person, today: dt.date) -> dict[str, int]:
    """The weekly amount of each way of holding in the approved plan in force today."""
    plan = plan_in_force(person.pk, today)
    if plan is None or plan.approved_at is None or plan.starts_on > today:
        return {}
    return holding_mix(plan, today)


RECENT_MOVEMENTS = 20


DIRECT_PAYMENT = "direct_payment"


def _with_statement(person: Person, balance: Balance) -> Balance:
    """A direct payment's balance as the person's latest bank statement shows it. The
    ledger's figure for a direct payment is what the council has paid in: spending from the
    person's own account never reaches it, so alone it would say every account is heading
    for a surplus. Without a statement there is no surplus or shortfall to tell of."""
    if balance.way != DIRECT_PAYMENT:
        return balance
    latest = (
        BankStatement.objects.filter(person=person, balance_pence__isnull=False)
        .order_by("-balance_on", "-id")
        .first()
    )
    if latest is None:
        return balance
    return replace(
        balance, statement_balance_pence=latest.balance_pence, statement_on=latest.balance_on
    )


def money_summary(person: Person, words: Words, *, today: dt.date | None = None) -> MoneySummary:
    today = today or dt.date.today()
    weeks = int(settings.SELFDIRECT_CONTINGENCY_WEEKS)
    weekly = weekly_by_way(person, today)
    upcoming_by_way = next_payments(person, today)
    upcoming = min(upcoming_by_way.values(), default=None)
    accounts = _budget_accounts(person)
    balances = [
        Balance(
            way=a.deployment,
            label=way_plain(a.deployment, words),
            balance_pence=a.balance_pence,
            weekly_pence=weekly.get(a.deployment, 0),
        )
        for a in accounts
    ]
    balances = [_with_statement(person, b) for b in balances]
    alerts = [
        alert
        for b in balances
        if b.way != DIRECT_PAYMENT or b.statement_balance_pence is not None
        for alert in money_alerts(
            way=b.way,
            balance_pence=b.balance_pence
            if b.statement_balance_pence is None
            else b.statement_balance_pence,
            weekly_pence=b.weekly_pence,
            contingency_weeks=weeks,
            words=words,
            next_payment_on=upcoming_by_way[b.way][0] if b.way in upcoming_by_way else None,
            today=today,
        )
    ]
    movements = _movements(person, words, start=None, end=None, opening=0)
    contribution = next(
        (a for a in person_accounts(person) if a.kind == Account.Kind.CONTRIBUTION), None
    )
    contributions = _movements(
        person,
        words,
        start=None,
        end=None,
        opening=0,
        kinds=frozenset({Account.Kind.CONTRIBUTION}),
    )
    return MoneySummary(
        person=person,
        words=words,
        balances=balances,
        total_pence=sum(b.balance_pence for b in balances),
        movements=list(reversed(movements))[:RECENT_MOVEMENTS],
        contributions=list(reversed(contributions))[:RECENT_MOVEMENTS],
        contribution_outstanding_pence=max(0, -(contribution.balance_pence if contribution else 0)),
        next_payment=upcoming,
        alerts=alerts,
        link=link_person(person),
        contingency_weeks=weeks,
        next_payment_way=way_plain(upcoming[2], words).lower() if upcoming else "",
    )
