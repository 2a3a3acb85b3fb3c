"""What-if of a new RAS over the caseload: exact totals, gainers and losers by group."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from selfdirect.access.roles import Role
from selfdirect.allocation.whatif import Dimension, age_band_index, compare
from tests.allocation.test_allocations import _agree

A = np.array


def test_compare_counts_and_sums_exactly() -> None:
    current = A([10000, 10000, 5000, 8000, 0], dtype=np.int64)
    proposed = A([12000, 8900, 5000, 7000, 100], dtype=np.int64)
    groups = Dimension("Group", ("A", "B", "C"), A([0, 0, 1, 1, 2], dtype=np.intp))
    summary = compare(current, proposed, [groups])
    overall = summary.overall
    assert (overall.people, overall.current_pence, overall.proposed_pence) == (5, 33000, 33000)
    assert (overall.gainers, overall.losers, overall.unchanged) == (2, 2, 1)
    # 10,000 -> 8,900 is an 11% loss; 8,000 -> 7,000 is 12.5%.
    assert overall.losing_over_10_percent == 2
    a, b, c = summary.by["Group"]
    assert (a.current_pence, a.proposed_pence, a.change_percent) == (20000, 20900, "+4.5%")
    assert (b.losers, b.losing_over_10_percent, b.change_percent) == (1, 1, "-7.7%")
    assert (c.people, c.gainers, c.change_percent) == (1, 1, "–")


def test_exactly_ten_percent_is_not_over() -> None:
    summary = compare(A([1000], dtype=np.int64), A([900], dtype=np.int64), [])
    assert summary.overall.losing_over_10_percent == 0


def test_age_bands() -> None:
    assert age_band_index(A([18, 24, 25, 64, 65, 84, 85, 101], dtype=np.int64)).tolist() == [
        0,
        0,
        1,
        2,
        3,
        4,
        5,
        5,
    ]


@pytest.mark.django_db
def test_whatif_page_prices_the_caseload_again(client: Any, council: Any, settings: Any) -> None:
    from selfdirect.allocation import services

    settings.SELFDIRECT_SMALL_COUNT_THRESHOLD = 1  # no suppression: the figures themselves

    allocation = services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )
    client.force_login(council.users[Role.COMMISSIONER])
    page = client.get("/budgets/what-if/").content.decode()
    assert 'value="3.30"' in page  # the older people's price in force, to start from
    params = {
        "price_older_people": "4.00",
        "price_physical_disability": "3.60",
        "price_learning_disability": "4.20",
        "price_mental_health": "3.00",
        "price_carer": "2.50",
        "floor": "20.00",
        "ceiling": "1500.00",
        "carer_reduction": "20",
    }
    page = client.get("/budgets/what-if/", params).content.decode()
    # 28 points × £4.00 = £112.00, less 20% = £89.60, rounded to £90.00 (was £74.00).
    assert "The effect on 1 person" in page
    assert "£90.00 (+21.6%)" in page
    assert council.holder_person.family_name not in page
    csv_text = client.get("/budgets/what-if/", {**params, "format": "csv"}).content.decode()
    assert csv_text.splitlines()[1].startswith("Everyone,Everyone,1,7400,9000,1600,21.6,1,0,0,0")
    bad = client.get(
        "/budgets/what-if/", {**params, "price_older_people": "lots", "ceiling": "1.00"}
    ).content.decode()
    assert "Enter an amount in pounds, like 125.50" in bad
    assert "The largest weekly amount must not be less than the smallest" in bad
    assert allocation.indicative_weekly_pence == 7400
    client.force_login(council.users[Role.PRACTITIONER])
    assert client.get("/budgets/what-if/").status_code == 403
