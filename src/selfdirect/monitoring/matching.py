"""Matching a statement's transactions to the support plan, and the flags, as plain rules
(no Django): who was paid (a provider or personal assistant named in the plan), what it
looks like (the council's keyword rules), whether the money may pay for it (the funding
streams' rules), and the balance against the contingency allowance.

Words here are shown to the person: plain English, no staff terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from selfdirect.money import pounds
from selfdirect.monitoring.statements import normalised
from selfdirect.planning.streams import CATEGORIES

NOT_CARE = "not_care"  # a keyword rule for things no budget pays for (betting, for example)
MONEY_IN = "money_in"
SMALL_ITEM = "small_item"
CATEGORY_WORDS = {
    **CATEGORIES,
    NOT_CARE: "Not something the budget can pay for",
    MONEY_IN: "Money paid in",
    SMALL_ITEM: "Small item (no receipt needed)",
    "": "Not matched",
}

NOT_ALLOWED, UNEXPLAINED, SURPLUS, OVERDRAWN = "not_allowed", "unexplained", "surplus", "overdrawn"
FLAG_KINDS = {
    NOT_ALLOWED: "Spending the budget may not pay for",
    UNEXPLAINED: "A payment we could not match to your plan",
    SURPLUS: "More money in the account than expected",
    OVERDRAWN: "The account went below zero",
}


@dataclass(frozen=True)
class Payee:
    """Someone the plan pays: a provider or personal assistant named on a line."""

    line_id: int
    name: str
    category: str
    funding_stream: str


@dataclass(frozen=True)
class Keyword:
    text: str
    category: str


@dataclass(frozen=True)
class Match:
    category: str
    line_id: int | None = None
    funding_stream: str = ""
    flag: str = ""
    words: str = ""


def match_transaction(
    *,
    description: str,
    amount_pence: int,
    payees: list[Payee],
    keywords: list[Keyword],
    allowed: frozenset[str],
    small_item_pence: int,
) -> Match:
    """What one transaction is. ``allowed``: the categories the person's direct payment
    money may pay for (from the streams funding their plan's direct-payment lines)."""
    if amount_pence >= 0:
        return Match(MONEY_IN)
    text = f" {normalised(description)} "
    for payee in payees:
        name = normalised(payee.name)
        if len(name) >= 3 and f" {name} " in text:
            return Match(payee.category, payee.line_id, payee.funding_stream)
    for keyword in keywords:
        word = normalised(keyword.text)
        if word and f" {word} " in text:
            if keyword.category == NOT_CARE or keyword.category not in allowed:
                what = CATEGORY_WORDS.get(keyword.category, keyword.category).lower()
                return Match(
                    keyword.category,
                    flag=NOT_ALLOWED,
                    words=(
                        f"This looks like {what}, which your budget cannot pay for. "
                        "If it was for your support, tell us what it was for."
                    ),
                )
            return Match(keyword.category)
    if -amount_pence >= small_item_pence:
        return Match(
            "",
            flag=UNEXPLAINED,
            words=(
                f"We could not match this payment of {pounds(-amount_pence)} to your support "
                "plan. Tell us what it was for."
            ),
        )
    return Match(SMALL_ITEM)


@dataclass(frozen=True)
class BalanceCheck:
    flag: str
    words: str
    weeks_of_budget: Decimal | None


def weeks_of(balance_pence: int, weekly_pence: int) -> Decimal | None:
    """The balance as weeks of the budget, to one decimal place (None with no budget)."""
    if weekly_pence <= 0:
        return None
    return (Decimal(balance_pence) / Decimal(weekly_pence)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def balance_check(
    *, balance_pence: int, on: dt.date, weekly_pence: int, allowance_weeks: int
) -> BalanceCheck:
    """The balance flags: below zero, or more than the contingency allowance."""
    weeks = weeks_of(balance_pence, weekly_pence)
    if balance_pence < 0:
        return BalanceCheck(
            OVERDRAWN,
            f"On {on:%-d %B %Y} the account was {pounds(-balance_pence)} below zero. Tell us "
            "why, and we can help you plan so it does not happen again.",
            weeks,
        )
    if weeks is not None and balance_pence > weekly_pence * allowance_weeks:
        return BalanceCheck(
            SURPLUS,
            f"On {on:%-d %B %Y} the account held {pounds(balance_pence)}: about {weeks} weeks "
            f"of your budget. Up to {allowance_weeks} weeks is expected, to cover gaps. If "
            "you are saving for something in your plan, such as a holiday or yearly bills, "
            "tell us.",
            weeks,
        )
    return BalanceCheck("", "", weeks)
