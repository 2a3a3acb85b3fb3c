"""A survey's headline figures beside the POET 2014 report's (digest §5), so the demo
council's responses can be checked against the national survey (docs/demo-data.md).

``holder_headlines`` and ``carer_headlines`` are pure: they read a POET frame's columns
(``items``, ``n``, ``answered_by``) and give each headline as a percentage. The
denominators are POET's: an outcome's share of those who rated it relevant, a step's share
of those for whom it applied, a single-answer question's share of those who answered it, a
tick-all-that-apply option's share of every respondent, and who answered as a share of all.
Only figures the report states are here (none of the digest's "assumed" ones).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from selfdirect.evaluation import poet_frame
from selfdirect.surveys.frame import Frame

# key -> (what it is, the POET 2014 figure in %).
HOLDER_POET: dict[str, tuple[str, float]] = {
    "positive.dignity": ("Positive impact: dignity", 82.0),
    "positive.quality_of_life": ("Positive impact: quality of life", 81.4),
    "positive.arranging_support": ("Positive impact: arranging support", 79.9),
    "positive.independence": ("Positive impact: independence", 78.9),
    "positive.rel_paid": ("Positive impact: relationships with paid supporters", 75.9),
    "positive.rel_family_carer": ("Positive impact: relationship with family carer", 74.6),
    "positive.self_esteem": ("Positive impact: self-esteem", 73.2),
    "positive.feeling_safe": ("Positive impact: feeling safe", 72.8),
    "positive.control": ("Positive impact: control over life", 70.6),
    "positive.rel_family_friends": ("Positive impact: other family and friends", 67.8),
    "positive.mental_health": ("Positive impact: mental health", 65.5),
    "positive.physical_health": ("Positive impact: physical health", 59.9),
    "positive.where_who_live": ("Positive impact: where and who you live with", 57.9),
    "positive.volunteering": ("Positive impact: volunteering and community", 54.6),
    "difficult.ease_change_support": ("Found difficult: changing support", 28.4),
    "difficult.ease_information": ("Found difficult: information and advice", 24.1),
    "difficult.ease_understand_spend": ("Found difficult: what the budget can pay for", 23.6),
    "difficult.ease_agree_amount": ("Found difficult: agreeing the amount", 22.9),
    "difficult.ease_get_support": ("Found difficult: getting the support wanted", 21.2),
    "difficult.ease_choose_support": ("Found difficult: choosing support", 19.5),
    "difficult.ease_support_planning": ("Found difficult: planning support", 19.5),
    "holding.dp_self": ("Held as a direct payment to the holder", 33.4),
    "holding.dp_family": ("Held as a direct payment by family or a friend", 20.5),
    "holding.provider": ("Managed by a provider", 19.7),
    "holding.council_nhs": ("Managed by the council or NHS", 18.3),
    "holding.broker": ("Managed by a broker", 5.0),
    "duration.lt_1": ("Held for less than 1 year", 19.3),
    "duration.1_3": ("Held for 1 to 3 years", 34.5),
    "duration.gt_3": ("Held for more than 3 years", 38.7),
    "support_before.yes": ("Paid support before the budget", 43.2),
    "gave_amount": ("Gave the amount of the budget", 49.2),
    "plan_help.council": ("Council helped plan", 49.9),
    "plan_help.family_friends": ("Family or friends helped plan", 35.2),
    "plan_help.provider": ("A provider helped plan", 18.7),
    "plan_help.nhs": ("The NHS helped plan", 9.2),
    "plan_help.broker": ("A broker helped plan", 6.2),
    "plan_help.none": ("Planned without help", 6.2),
    "views.views_needs": ("Views included: needs assessment", 82.0),
    "views.views_plan": ("Views included: support plan", 76.9),
    "views.views_amount": ("Views included: budget amount", 65.1),
    "spend.care_support": ("Spent on care and support services", 67.8),
    "spend.personal_assistants": ("Spent on personal assistants", 42.2),
    "spend.community_leisure": ("Spent on community and leisure", 25.8),
    "spend.equipment": ("Spent on equipment", 8.4),
    "answered_by.self": ("Answered on their own", 29.7),
    "answered_by.with_help": ("Answered with help (or in a meeting)", 42.4),
    "answered_by.proxy": ("Answered by someone else", 27.8),
    "gender.female": ("Women", 57.8),
    "age_band.65_plus": ("Aged 65 or over", 38.3),
    "ethnicity.white": ("White", 92.1),
    "main_reason.physical": ("Main reason: physical disability", 40.3),
    "main_reason.learning": ("Main reason: learning disability", 20.3),
    "health.good": ("Health good or very good", 31.6),
    "health.bad": ("Health bad or very bad", 32.8),
}

CARER_POET: dict[str, tuple[str, float]] = {
    "positive.qol_person": ("Positive impact: the person's quality of life", 79.6),
    "positive.continue_caring": ("Positive impact: able to continue caring", 78.6),
    "positive.qol_carer": ("Positive impact: the carer's quality of life", 71.3),
    "positive.carer_stress": ("Positive impact: less stress", 60.6),
    "positive.carer_control": ("Positive impact: the carer's control over life", 51.1),
    "positive.carer_rel_person": ("Positive impact: relationship with the person", 49.7),
    "cared_for.partner": ("Caring for a partner or spouse", 34.6),
    "cared_for.son_daughter": ("Caring for a grown-up son or daughter", 30.6),
    "cared_for.parent": ("Caring for an older family member", 24.3),
    "cared_for.other_relative": ("Caring for another relative", 8.6),
    "cared_for.friend": ("Caring for a friend or neighbour", 2.3),
    "same_house.yes": ("Living with the person", 77.6),
    "hours.51_plus": ("Caring 51 or more hours a week", 62.3),
    "duration.lt_1": ("The person has had the budget less than 1 year", 32.1),
    "duration.1_3": ("The person has had the budget 1 to 3 years", 41.0),
    "duration.gt_3": ("The person has had the budget more than 3 years", 26.9),
    "support_before.yes": ("Paid support before the budget", 39.7),
    "gender.female": ("Women", 66.0),
    "age_band.65_plus": ("Aged 65 or over", 40.7),
    "ethnicity.white": ("White", 93.4),
    "disability.yes": ("Disability or long-term condition", 28.4),
    "health.good": ("Health good or very good", 57.5),
    "health.bad": ("Health bad or very bad", 12.4),
}


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    poet: float
    ours: float | None

    @property
    def difference(self) -> float | None:
        return None if self.ours is None else self.ours - self.poet


def _share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _answer_share(column: Sequence[Any], codes: Sequence[str]) -> float | None:
    answered = [v for v in column if v is not None]
    return _share(sum(1 for v in answered if v in codes), len(answered))


def _positive(column: Sequence[Any]) -> float | None:
    rated = [v for v in column if v not in (None, "NR")]
    return _share(sum(1 for v in rated if v in ("4", "5")), len(rated))


def _common(items: Mapping[str, Sequence[Any]], n: int, key: str) -> float | None:
    """The headlines worked out the same way for holders and carers."""
    kind, _, code = key.partition(".")
    column = items.get(kind if kind != "health" else "general_health", [None] * n)
    if kind == "positive":
        return _positive(items.get(code, [None] * n))
    if kind == "health":
        wanted = ("good", "very_good") if code == "good" else ("bad", "very_bad")
        return _answer_share(column, wanted)
    if kind in ("plan_help", "spend"):  # tick all that apply: of every respondent
        return _share(sum(1 for v in items.get(key, []) if v is True), n)
    if kind == "views":
        return _answer_share(items.get(code, [None] * n), poet_frame.VIEWS_INCLUDED)
    return _answer_share(column, (code,))


def _headlines(
    table: Mapping[str, tuple[str, float]],
    items: Mapping[str, Sequence[Any]],
    n: int,
    answered_by: Sequence[str],
) -> list[Headline]:
    out = []
    for key, (label, figure) in table.items():
        kind, _, code = key.partition(".")
        ours: float | None
        if kind == "answered_by":
            ours = _share(sum(1 for a in answered_by if a == code), n)
        elif kind == "difficult":
            ours = _answer_share(
                [v for v in items.get(code, [None] * n) if v != "na"], ("difficult",)
            )
        elif key == "gave_amount":
            ours = _share(sum(1 for v in items.get("amount_band", []) if v is not None), n)
        else:
            ours = _common(items, n, key)
        out.append(Headline(key, label, figure, None if ours is None else round(ours, 1)))
    return out


def holder_headlines(
    items: Mapping[str, Sequence[Any]], n: int, answered_by: Sequence[str]
) -> list[Headline]:
    return _headlines(HOLDER_POET, items, n, answered_by)


def carer_headlines(
    items: Mapping[str, Sequence[Any]], n: int, answered_by: Sequence[str]
) -> list[Headline]:
    return _headlines(CARER_POET, items, n, answered_by)


def headline_figures(frame: Frame, *, carers: bool = False) -> list[Headline]:
    """The headlines of a survey frame (``surveys.frame.responses_frame``) of the POET holder
    survey, or of the carer survey when ``carers``."""
    build = carer_headlines if carers else holder_headlines
    return build(frame.items, frame.n, frame.respondents.get("answered_by", []))
