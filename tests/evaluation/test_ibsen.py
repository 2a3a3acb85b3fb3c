"""GHQ-12 in both scorings and ASCOT with its weights table, against hand-worked answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from selfdirect.evaluation import ibsen
from selfdirect.refusals import Refused


def test_ghq12_both_scorings_and_caseness_by_hand() -> None:
    items = np.array(
        [
            [0, 1, 2, 3] * 3,  # Likert 6 x 3 = 18; GHQ: the 2s and 3s, 6 → a case
            [1] * 12,  # Likert 12; GHQ 0 → not a case
            [2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0],  # Likert 8; GHQ 4 → a case at exactly 4
            [3, 3, 3, -1, 0, 0, 0, 0, 0, 0, 0, 0],  # an item missing → no score
        ]
    )
    result = ibsen.ghq12(items)
    assert result.likert[:3].tolist() == [18.0, 12.0, 8.0]
    assert result.ghq[:3].tolist() == [6.0, 0.0, 4.0]
    assert math.isnan(result.likert[3]) and math.isnan(result.ghq[3])
    assert result.case.tolist() == [True, False, True, False]
    assert result.complete.tolist() == [True, True, True, False]
    assert result.caseness_percent == pytest.approx(100 * 2 / 3)
    stricter = ibsen.ghq12(items, threshold=5)
    assert stricter.case.tolist() == [True, False, False, False]


def test_ghq12_refuses_bad_answers_and_thresholds() -> None:
    with pytest.raises(Refused) as refused:
        ibsen.ghq12(np.zeros((2, 11), dtype=int))
    assert str(refused.value) == "GHQ-12 answers needs 12 items per response but has 11."
    with pytest.raises(Refused) as refused:
        ibsen.ghq12(np.full((1, 12), 4))
    assert (
        str(refused.value)
        == "GHQ-12 answers has the code 4, which is not one of the allowed codes (-1, 0, 1, 2, 3)."
    )
    with pytest.raises(Refused) as refused:
        ibsen.ghq12(np.zeros((1, 12), dtype=int), threshold=0)
    assert (
        str(refused.value) == ibsen.BAD_THRESHOLD.format(value=0)
        and refused.value.field == "threshold"
    )


def test_ascot_scores_from_the_placeholder_table_by_hand() -> None:
    levels = np.array(
        [
            [0, 0, 0, 0, 0, 0, 0],  # no needs anywhere: the maximum, 4.57
            [2, 2, 2, 2, 2, 2, 2],  # high needs everywhere: 0
            [1, 0, 2, 0, 1, 2, 0],  # 0.35 + 0.68 + 0 + 0.60 + 0.31 + 0 + 0.65
            [0, 0, 0, -1, 0, 0, 0],
        ]
    )
    result = ibsen.ascot(levels)
    assert result.scores[:3].tolist() == pytest.approx([4.57, 0.0, 2.59])
    assert math.isnan(result.scores[3])
    assert result.placeholder and "Placeholder" in result.weights_name


def test_ascot_takes_a_councils_own_weights_and_refuses_an_incomplete_table() -> None:
    own = ibsen.AscotWeights(
        name="Council table", weights={d: (1.0, 0.5, 0.0) for d, _l in ibsen.ASCOT_DOMAINS}
    )
    result = ibsen.ascot([[0, 1, 2, 0, 1, 2, 0]], weights=own)
    assert result.scores.tolist() == [1 + 0.5 + 0 + 1 + 0.5 + 0 + 1] and not result.placeholder
    broken = ibsen.AscotWeights(name="Broken", weights={"control": (1.0, 0.5, 0.0)})
    with pytest.raises(Refused) as refused:
        ibsen.ascot([[0] * 7], weights=broken)
    assert (
        str(refused.value)
        == "The ASCOT weights table needs three weights for safety (no, low and high needs), not 0."
    )
    with pytest.raises(Refused) as refused:
        ibsen.ascot([[0, 0, 0, 0, 0, 0, 3]])
    assert (
        str(refused.value)
        == "ASCOT levels has the code 3, which is not one of the allowed codes (-1, 0, 1, 2)."
    )
