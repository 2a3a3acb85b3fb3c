"""What-if: the effect of a new RAS on a whole caseload — total cost a week and a year, and
who gains and who loses by user group, age band, sex, ethnicity and primary support reason
(an equality-impact view). Pure numpy, no database."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from selfdirect.allocation.disclosure import SUPPRESSED, counts_suppress
from selfdirect.allocation.engine import WEEKS_PER_YEAR

IntArray = npt.NDArray[np.int64]
AGE_BANDS = (
    (18, "18 to 24"),
    (25, "25 to 44"),
    (45, "45 to 64"),
    (65, "65 to 74"),
    (75, "75 to 84"),
    (85, "85 and over"),
)


@dataclass(frozen=True)
class Dimension:
    """A way to group people: a label for each value and each person's value."""

    title: str
    labels: tuple[str, ...]
    index: npt.NDArray[np.intp]


@dataclass(frozen=True)
class Change:
    label: str
    people: int
    current_pence: int
    proposed_pence: int
    gainers: int
    losers: int
    unchanged: int
    losing_over_10_percent: int

    @property
    def change_pence(self) -> int:
        return self.proposed_pence - self.current_pence

    @property
    def change_percent(self) -> str:
        """The change as a percentage to one decimal place (text, exact from integers)."""
        if not self.current_pence:
            return "–"
        tenths = (self.change_pence * 1000 * 2 + self.current_pence) // (2 * self.current_pence)
        sign = "-" if tenths < 0 else "+"
        return f"{sign}{abs(tenths) // 10}.{abs(tenths) % 10}%"


@dataclass(frozen=True)
class WhatIf:
    overall: Change
    by: dict[str, list[Change]]


def age_band_index(ages: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    starts = np.array([start for start, _label in AGE_BANDS])
    return np.maximum(np.searchsorted(starts, ages, side="right") - 1, 0)


def _changes(
    labels: tuple[str, ...],
    index: npt.NDArray[np.intp],
    current: IntArray,
    proposed: IntArray,
    gain: npt.NDArray[np.bool_],
    loss: npt.NDArray[np.bool_],
    big_loss: npt.NDArray[np.bool_],
) -> list[Change]:
    size = len(labels)

    def count(mask: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.int64]:
        return np.bincount(index, weights=None if mask is None else mask, minlength=size).astype(
            np.int64
        )

    people = count()
    # Sums of pence in exact integer arithmetic (bincount's weights would be floats).
    current_sum = np.zeros(size, np.int64)
    proposed_sum = np.zeros(size, np.int64)
    np.add.at(current_sum, index, current)
    np.add.at(proposed_sum, index, proposed)
    gainers, losers, big = count(gain), count(loss), count(big_loss)
    return [
        Change(
            label=labels[i],
            people=int(people[i]),
            current_pence=int(current_sum[i]),
            proposed_pence=int(proposed_sum[i]),
            gainers=int(gainers[i]),
            losers=int(losers[i]),
            unchanged=int(people[i] - gainers[i] - losers[i]),
            losing_over_10_percent=int(big[i]),
        )
        for i in range(size)
    ]


def compare(current: IntArray, proposed: IntArray, dimensions: list[Dimension]) -> WhatIf:
    """Weekly amounts now and under the new RAS, for the same people in the same order."""
    current = current.astype(np.int64, copy=False)
    proposed = proposed.astype(np.int64, copy=False)
    gain, loss = proposed > current, proposed < current
    big_loss = (current - proposed) * 10 > current  # lose more than 10%, in integers
    everyone = np.zeros(len(current), dtype=np.intp)
    overall = _changes(("Everyone",), everyone, current, proposed, gain, loss, big_loss)[0]
    return WhatIf(
        overall=overall,
        by={
            d.title: _changes(d.labels, d.index, current, proposed, gain, loss, big_loss)
            for d in dimensions
        },
    )


CHANGE_BANDS = (
    "Loses more than 10%",
    "Loses up to 10%",
    "No change",
    "Gains up to 10%",
    "Gains more than 10%",
)


def change_band_index(current: IntArray, proposed: IntArray) -> npt.NDArray[np.intp]:
    """Each person's band of change (CHANGE_BANDS), in integers: more than 10% is a change
    larger than a tenth of the current amount."""
    change = proposed.astype(np.int64) - current.astype(np.int64)
    big = np.abs(change) * 10 > current
    band = np.full(len(current), 2, dtype=np.intp)
    band[(change < 0) & big] = 0
    band[(change < 0) & ~big] = 1
    band[(change > 0) & ~big] = 3
    band[(change > 0) & big] = 4
    return band


@dataclass(frozen=True)
class ShownRow:
    """A row of a what-if table as it may be shown or downloaded: counts may be text
    ("fewer than 5", "suppressed"); money is None where it is withheld."""

    label: str
    people: int | str
    current_pence: int | None
    proposed_pence: int | None
    change_pence: int | None
    change_percent: str
    gainers: int | str
    losers: int | str
    unchanged: int | str
    losing_over_10_percent: int | str

    @property
    def current_yearly_pence(self) -> int | None:
        return None if self.current_pence is None else self.current_pence * WEEKS_PER_YEAR

    @property
    def proposed_yearly_pence(self) -> int | None:
        return None if self.proposed_pence is None else self.proposed_pence * WEEKS_PER_YEAR

    @property
    def change_yearly_pence(self) -> int | None:
        return None if self.change_pence is None else self.change_pence * WEEKS_PER_YEAR


def _shown(changes: list[Change], threshold: int) -> list[ShownRow]:
    counts = [
        [c.people, c.gainers, c.losers, c.unchanged, c.losing_over_10_percent] for c in changes
    ]
    table = counts_suppress(counts, threshold, parts=(1, 2, 3))
    rows = []
    for i, c in enumerate(changes):
        cells = table.cells[i]
        withheld = table.hidden(i, 0)
        rows.append(
            ShownRow(
                label=c.label,
                people=cells[0],
                current_pence=None if withheld else c.current_pence,
                proposed_pence=None if withheld else c.proposed_pence,
                change_pence=None if withheld else c.change_pence,
                change_percent=SUPPRESSED if withheld else c.change_percent,
                gainers=cells[1],
                losers=cells[2],
                unchanged=cells[3],
                losing_over_10_percent=cells[4],
            )
        )
    return rows


def whatif_shown(summary: WhatIf, threshold: int) -> tuple[ShownRow, dict[str, list[ShownRow]]]:
    """The overall row and each dimension's rows with small counts suppressed
    (``disclosure.counts_suppress``); a threshold of 1 suppresses nothing."""
    return _shown([summary.overall], threshold)[0], {
        title: _shown(changes, threshold) for title, changes in summary.by.items()
    }
