"""Small-count suppression for aggregate tables shown to commissioners (the what-if and
calibration pages and the what-if download). Pure Python, no database.

Rules (docs/security.md):
- primary: a count from 1 to threshold - 1 is shown as "fewer than N" (N the threshold);
- secondary: in each count column of a table, if exactly one cell is suppressed, the smallest
  other non-zero cell is suppressed too, so the column's total cannot give it away; the same
  across a row's gained / lost / unchanged counts, which add up to its people;
- a row whose people count is suppressed has its sums of money withheld too (a sum over two
  people and either one's amount give the other's).
Zero is shown: it says that no one is in the group.
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESSED = "suppressed"


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


Cell = int | str


@dataclass(frozen=True)
class CountTable:
    """Counts by row and column, with each cell's display value after suppression."""

    cells: list[list[Cell]]

    def hidden(self, row: int, column: int) -> bool:
        return isinstance(self.cells[row][column], str)


def _small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def counts_suppress(
    counts: list[list[int]],
    threshold: int,
    *,
    parts: tuple[int, ...] = (),
) -> CountTable:
    """Suppress small counts in a table (rows × columns of people counted).

    ``parts`` are columns that add up to column 0 within each row (gained, lost, unchanged),
    given secondary suppression across the row as well as down each column.
    """
    hidden = [[_small(v, threshold) for v in row] for row in counts]
    primary = [row[:] for row in hidden]
    columns = len(counts[0]) if counts else 0

    def hide_smallest(cells: list[tuple[int, int]]) -> bool:
        """Hide the smallest shown non-zero cell of those given; False if there is none."""
        candidates = [(counts[r][c], r, c) for r, c in cells if not hidden[r][c] and counts[r][c]]
        if not candidates:
            return False
        _value, r, c = min(candidates)
        hidden[r][c] = True
        return True

    changed = True
    while changed:
        changed = False
        for c in range(columns):
            column = [(r, c) for r in range(len(counts))]
            if sum(hidden[r][c] for r, _c in column) == 1:
                changed |= hide_smallest(column)
        for r in range(len(counts)):
            if not parts or hidden[r][0]:
                continue
            group = [(r, c) for c in parts]
            if sum(hidden[r][c] for _r, c in group) == 1:
                changed |= hide_smallest(group)
    return CountTable(
        [
            [
                (fewer_than(threshold) if primary[r][c] else SUPPRESSED)
                if hidden[r][c]
                else counts[r][c]
                for c in range(columns)
            ]
            for r in range(len(counts))
        ]
    )
