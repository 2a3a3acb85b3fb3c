"""IBSEN outcome scores over plain numpy arrays (digest §4.2; docs/evaluation-guide.md).

GHQ-12: twelve items, each answered 0-3 (0 "less than usual" / "better than usual" ... 3
"much more than usual"), ``MISSING`` (-1) when not answered. Two scorings: Likert (the
codes summed, 0-36) and GHQ (an item counts 1 when answered 2 or 3, so 0-12), with
"caseness" at a configurable threshold (default 4: at risk of psychological ill-health).
A score is missing (NaN) when any item is, as in the IBSEN report.

ASCOT: seven domains, each at level 0 (no needs), 1 (low needs) or 2 (high needs),
``MISSING`` when not answered; the score is the sum of the preference weights of the
levels, higher = better. The real weights (Burge et al. 2006) are not in the IBSEN report,
so PLACEHOLDER_WEIGHTS is a made-up table with the right range (0 to 4.57) and marked as
a placeholder: every result computed with it says so (``AscotScores.placeholder``), and a
report must say so too. Give the council's licensed table as ``AscotWeights``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selfdirect.evaluation import checks
from selfdirect.refusals import Refused

MISSING = -1
GHQ12_ITEMS = 12
GHQ12_CODES = (MISSING, 0, 1, 2, 3)
GHQ_CASENESS_THRESHOLD = 4

ASCOT_DOMAINS: tuple[tuple[str, str], ...] = (
    ("control", "Control over daily life"),
    ("safety", "Personal safety"),
    ("personal_care", "Personal care and comfort"),
    ("accommodation", "Accommodation cleanliness and comfort"),
    ("food", "Meals, food and nutrition"),
    ("social", "Social participation and involvement"),
    ("occupation", "Occupation"),
)
ASCOT_LEVELS = (MISSING, 0, 1, 2)  # no needs, low needs, high needs

BAD_THRESHOLD = "The caseness threshold must be a whole number from 1 to 12, not {value}."
WEIGHTS_INCOMPLETE = "The ASCOT weights table needs three weights for {domain} (no, low and high needs), not {count}."


@dataclass(frozen=True)
class Ghq12:
    likert: npt.NDArray[np.float64]  # 0-36, NaN when any item is missing
    ghq: npt.NDArray[np.float64]  # 0-12, NaN when any item is missing
    case: npt.NDArray[np.bool_]  # ghq >= threshold (False where missing: see ``complete``)
    complete: npt.NDArray[np.bool_]
    threshold: int

    @property
    def caseness_percent(self) -> float | None:
        """% of complete answers at or above the threshold."""
        answered = int(self.complete.sum())
        return 100.0 * int(self.case.sum()) / answered if answered else None


def ghq12(items: npt.ArrayLike, *, threshold: int = GHQ_CASENESS_THRESHOLD) -> Ghq12:
    """Both GHQ-12 scorings of an (n responses x 12 items) array."""
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int)
        or not 1 <= threshold <= GHQ12_ITEMS
    ):
        raise Refused(BAD_THRESHOLD.format(value=threshold), field="threshold")
    matrix = checks.codes(items, name="GHQ-12 answers", allowed=GHQ12_CODES, width=GHQ12_ITEMS)
    complete = np.all(matrix >= 0, axis=1)
    likert = matrix.sum(axis=1).astype(np.float64)
    ghq = (matrix >= 2).sum(axis=1).astype(np.float64)
    likert[~complete] = np.nan
    ghq[~complete] = np.nan
    case = complete & (np.nan_to_num(ghq, nan=0.0) >= threshold)
    return Ghq12(likert, ghq, case, complete, threshold)


@dataclass(frozen=True)
class AscotWeights:
    """Preference weight (a decimal number) of each domain at each level (0, 1, 2)."""

    name: str
    weights: Mapping[str, tuple[float, float, float]]
    placeholder: bool = False

    def matrix(self) -> npt.NDArray[np.float64]:
        rows = []
        for domain, _label in ASCOT_DOMAINS:
            levels = self.weights.get(domain)
            if levels is None or len(levels) != 3:
                count = 0 if levels is None else len(levels)
                raise Refused(
                    WEIGHTS_INCOMPLETE.format(domain=domain, count=count), field="weights"
                )
            rows.append([float(v) for v in levels])
        return np.asarray(rows, dtype=np.float64)


# PLACEHOLDER, not the published ASCOT weights: invented so that no needs in every domain
# scores 4.57 (the IBSEN report's maximum) and high needs 0. Do not report results from it
# as ASCOT scores without saying so.
PLACEHOLDER_WEIGHTS = AscotWeights(
    name="Placeholder weights (not the published ASCOT preference weights)",
    weights={
        "control": (0.70, 0.35, 0.0),
        "safety": (0.68, 0.34, 0.0),
        "personal_care": (0.66, 0.33, 0.0),
        "accommodation": (0.60, 0.30, 0.0),
        "food": (0.63, 0.31, 0.0),
        "social": (0.65, 0.33, 0.0),
        "occupation": (0.65, 0.32, 0.0),
    },
    placeholder=True,
)


@dataclass(frozen=True)
class AscotScores:
    scores: npt.NDArray[np.float64]  # NaN when any domain is missing
    weights_name: str
    placeholder: bool


def ascot(levels: npt.ArrayLike, *, weights: AscotWeights = PLACEHOLDER_WEIGHTS) -> AscotScores:
    """ASCOT scores of an (n responses x 7 domains, in ASCOT_DOMAINS order) array of levels."""
    table = weights.matrix()
    matrix = checks.codes(
        levels, name="ASCOT levels", allowed=ASCOT_LEVELS, width=len(ASCOT_DOMAINS)
    )
    complete = np.all(matrix >= 0, axis=1)
    picked = table[np.arange(len(ASCOT_DOMAINS)), np.clip(matrix, 0, 2)]
    scores = picked.sum(axis=1)
    scores[~complete] = np.nan
    return AscotScores(scores, weights.name, weights.placeholder)
