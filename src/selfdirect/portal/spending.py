"""What a personal budget can and cannot be spent on, in plain English for the holder
(holders-experience REQ-19: a spending rules catalogue shown in the portal; SCIE-29:
taxis and cleaning were the grey areas people asked about), with an easy
read line for each answer; and each funding stream's limits (planning.streams) told
without the word "stream"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from selfdirect.planning.streams import CATEGORIES, SHIPPED, rule_on

YES, ASK, NO = "yes", "ask", "no"
ANSWERS = {YES: "Usually yes", ASK: "Ask first", NO: "No"}


@dataclass(frozen=True)
class SpendingAnswer:
    slug: str
    question: str
    answer: str  # YES, ASK or NO
    text: str
    easy_read: str

    @property
    def answer_words(self) -> str:
        return ANSWERS[self.answer]


SPENDING_GUIDE: tuple[SpendingAnswer, ...] = (
    SpendingAnswer(
        "taxis",
        "Taxis and other travel",
        YES,
        "Yes, when the journey is part of your support plan: getting to a day activity, "
        "to work or to see friends when buses are not an option. You can also pay back a "
        "friend or relative for petrol. Keep the receipts.",
        "You can pay for taxis to do the things in your plan. Keep the receipts.",
    ),
    SpendingAnswer(
        "cleaning",
        "Cleaning, gardening and help around the home",
        YES,
        "Usually yes, when help at home is part of the support you need, for example "
        "because you cannot do it yourself and it keeps you well at home (SCIE found it was "
        "usually allowed, but some people had to argue for it). If your plan does not "
        "mention it, ask first: a yes is written down so no one can question it later.",
        "You can usually pay for cleaning and gardening. Not sure? Ask us first.",
    ),
    SpendingAnswer(
        "short-breaks",
        "Short breaks",
        YES,
        "Yes, when your plan includes them: a few days away, a break for you and the people "
        "who support you, or a short stay somewhere with care. A short stay in a care home "
        "can be paid for up to four weeks in a row in a year.",
        "You can pay for short breaks that are in your plan.",
    ),
    SpendingAnswer(
        "gym",
        "A gym, swimming or a personal trainer",
        YES,
        "Yes, when it helps with something in your plan, such as staying active, keeping "
        "well or meeting people.",
        "You can pay for a gym if it helps with your plan.",
    ),
    SpendingAnswer(
        "saving-up",
        "Saving up for a holiday or something bigger",
        YES,
        "Yes. It is fine to save some of your money for something in your plan, such as a "
        "holiday or a short break. If the money builds up, you may be asked what it is for: "
        "just say what you are saving for. Tell your link person if you can, so they know.",
        "You can save up for a holiday in your plan. Tell us what you are saving for.",
    ),
    SpendingAnswer(
        "personal-assistant",
        "Employing a personal assistant (PA)",
        YES,
        "Yes. You can employ a PA to help you. You become their employer: you need "
        "employer's insurance, to pay them through payroll with holiday pay and a pension, "
        "and to check they can work in the UK. The money can pay for payroll and insurance "
        "too. A close relative who lives with you can be paid only if the council agrees it "
        "is necessary.",
        "You can pay a helper called a PA. You will be their boss. We can help with this.",
    ),
    SpendingAnswer(
        "household-bills",
        "Rent, food, gas and electricity, and other household bills",
        NO,
        "No. The money is for your care and support, not household income: it cannot pay "
        "for everyday living costs that anyone has.",
        "You cannot use it for rent, food or bills.",
    ),
    SpendingAnswer(
        "not-allowed",
        "Alcohol, tobacco, gambling, or anything against the law",
        NO,
        "No, never.",
        "You cannot use it for alcohol, cigarettes or gambling.",
    ),
    SpendingAnswer(
        "health",
        "Health care the NHS provides",
        NO,
        "No, unless part of your budget comes from the NHS (a personal health budget) for "
        "that care. The NHS pays for health care such as nursing and medicines.",
        "The NHS pays for health care, not this money.",
    ),
)


@dataclass(frozen=True)
class MoneyLimit:
    """What money from one source may pay for, in the holder's words."""

    source: str  # who the money comes from
    pays_for: list[str]
    not_for: list[str]


def stream_limits(on: dt.date) -> list[MoneyLimit]:
    """Each source of money in a budget and what it may (and may not) pay for, from the
    funding streams' rules in force on ``on``."""
    limits = []
    for code in dict.fromkeys(r.code for r in SHIPPED):
        rule = rule_on(code, on)
        limits.append(
            MoneyLimit(
                source=rule.name,
                pays_for=[CATEGORIES[c] for c in CATEGORIES if c in rule.may_pay_for],
                not_for=[CATEGORIES[c] for c in CATEGORIES if c not in rule.may_pay_for],
            )
        )
    return limits
