"""Why a person asks for a review, in their words (issue 13; holders-experience REQ-7, REQ-11,
REQ-39, SCIE-31): the reasons a holder, a representative or a carer would give, each worded
for whoever is asking. The review keeps the reason's code and shows staff the words the
person chose, never a staff category."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewReason:
    code: str
    # The review's kind it becomes: a change of circumstances, a review asked for, or a
    # safeguarding concern (which the team manager is told of too).
    kind: str
    holder: str
    # "{name}" is the person's first name: a representative or carer asks for them.
    representative: str
    carer: str


REVIEW_REASONS: tuple[ReviewReason, ...] = (
    ReviewReason(
        "needs_changed",
        "change",
        "My needs have changed",
        "{name}'s needs have changed",
        "{name}'s needs have changed",
    ),
    ReviewReason(
        "carer_cannot_help",
        "change",
        "My carer can no longer help",
        "{name}'s carer can no longer help",
        "I can no longer help as I did",
    ),
    ReviewReason(
        "not_working",
        "requested",
        "The support isn't working",
        "The support isn't working for {name}",
        "The support isn't working for {name}",
    ),
    ReviewReason(
        "use_differently",
        "requested",
        "I want to change how I use my budget",
        "{name} wants to change how the budget is used",
        "{name} wants to change how the budget is used",
    ),
    ReviewReason(
        "provider",
        "requested",
        "I'm not happy with who gives my support",
        "{name} is not happy with who gives the support",
        "{name} is not happy with who gives the support",
    ),
    ReviewReason(
        "unsafe",
        "safeguarding",
        "I don't feel safe, or someone is treating me badly",
        "{name} doesn't feel safe, or someone is treating {name} badly",
        "{name} doesn't feel safe, or someone is treating {name} badly",
    ),
    ReviewReason(
        "something_else",
        "requested",
        "Something else",
        "Something else",
        "Something else",
    ),
)
BY_CODE = {r.code: r for r in REVIEW_REASONS}


def reason_words(code: str, asked_as: str, name: str) -> str:
    """The reason as the person who asked chose it ("" for an unknown code or a staff
    request): a carer's "I can no longer help as I did" stays in the carer's words."""
    reason = BY_CODE.get(code)
    if reason is None:
        return ""
    template = {
        "representative": reason.representative,
        "carer": reason.carer,
    }.get(asked_as, reason.holder)
    return template.format(name=name)


def reason_choices(asked_as: str, name: str) -> list[tuple[str, str]]:
    return [(r.code, reason_words(r.code, asked_as, name)) for r in REVIEW_REASONS]
