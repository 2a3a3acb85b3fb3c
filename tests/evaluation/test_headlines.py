"""Headline figures with POET's denominators, worked out by hand on a small survey."""

from __future__ import annotations

from selfdirect.evaluation.headlines import carer_headlines, holder_headlines


def test_holder_headlines_use_poets_denominators() -> None:
    items = {
        # 4 rated dignity (one said not relevant, one left it blank): 3 positive.
        "dignity": ["5", "4", "4", "2", "NR", None],
        # Information: applied to 4 (one not applicable): 1 difficult.
        "ease_information": ["difficult", "easy", "easy", "neither", "na", None],
        # Held: 5 answered, 2 a direct payment to themselves.
        "holding": ["dp_self", "dp_self", "provider", "council_nhs", "broker", None],
        # Tick all that apply: a share of every respondent (6), blanks included.
        "plan_help.council": [True, True, False, False, None, None],
        "views_needs": ["very_much", "mostly", "a_little", "not", None, None],
        "general_health": ["very_good", "good", "fair", "bad", "very_bad", None],
        "amount_band": ["upto_200", None, None, None, None, None],
    }
    answered_by = ["self", "self", "with_help", "proxy", "proxy", "proxy"]
    figures = {h.key: h for h in holder_headlines(items, 6, answered_by)}
    assert figures["positive.dignity"].ours == 75.0
    assert figures["positive.dignity"].poet == 82.0
    assert figures["positive.dignity"].difference == -7.0
    assert figures["difficult.ease_information"].ours == 25.0
    assert figures["holding.dp_self"].ours == 40.0
    assert figures["plan_help.council"].ours == 33.3
    assert figures["views.views_needs"].ours == 50.0  # mostly or very much, of 4 answers
    assert figures["health.good"].ours == 40.0 and figures["health.bad"].ours == 40.0
    assert figures["gave_amount"].ours == 16.7
    assert figures["answered_by.proxy"].ours == 50.0
    assert figures["positive.quality_of_life"].ours is None  # nobody rated it


def test_carer_headlines_include_who_is_cared_for_and_hours() -> None:
    items = {
        "cared_for": ["partner", "partner", "parent", None],
        "hours": ["51_plus", "upto_10", "51_plus", "51_plus"],
        "qol_person": ["5", "3", "NR", "4"],
    }
    figures = {h.key: h for h in carer_headlines(items, 4, ["self"] * 4)}
    assert figures["cared_for.partner"].ours == 66.7
    assert figures["hours.51_plus"].ours == 75.0
    assert figures["positive.qol_person"].ours == 66.7
