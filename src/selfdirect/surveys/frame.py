"""The plain data shape the analysis (``selfdirect.evaluation``) reads: one column per
item, one row per response, as Python lists (``numpy.asarray(frame.items[code])`` gives
an array). Nothing here knows about statistics.

``responses_frame(instrument, *, include_proxy=True, consented_only=True)`` returns a
``Frame`` with:

- ``respondents``: columns about each response, all lists of the same length ``n``:
  ``"response_id"`` (int), ``"person_id"`` (int, or None when the response is anonymous
  or answers an anonymous campaign),
  ``"answered_by"`` ("self" | "with_help" | "proxy"), ``"channel"`` ("portal" | "paper" |
  "import"), ``"submitted_at"`` (ISO 8601 text), ``"consent_to_report"`` (bool).
- ``items``: item code -> list of length ``n``:
  - a "choice" item: the scale code chosen (text, e.g. "5", "NR", "easy"), or None if
    the item was left blank;
  - a "number" item: an int, or None;
  - a "text" item: the text, or None;
  - a "multi" item (tick all that apply): one column per option, named
    ``"<item code>.<option code>"``, True/False, or None when no box was ticked at all
    (the question was left blank, which is not the same as "none of these").
- ``n``: the number of rows.

Rows are in response id order. Non-consenting responses are left out unless
``consented_only=False``; proxy responses are left out when ``include_proxy=False``
(the IBSEN results changed when proxies were excluded). The labels for codes and columns
are on the instrument's ``Scale.options`` and ``Item.label``; ``frame_columns`` lists them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When

from selfdirect.surveys.models import Answer, Instrument, Item, Response


@dataclass(frozen=True)
class Frame:
    n: int
    respondents: dict[str, list[Any]] = field(default_factory=dict)
    items: dict[str, list[Any]] = field(default_factory=dict)


def frame_columns(instrument: Instrument) -> list[tuple[str, Item, str | None]]:
    """(column name, item, option code or None) for every item column, in item order."""
    columns: list[tuple[str, Item, str | None]] = []
    for item in instrument.items.select_related("scale").order_by("position"):
        if item.kind == Item.Kind.MULTI:
            assert item.scale is not None
            columns += [(f"{item.code}.{code}", item, code) for code in item.scale.codes]
        else:
            columns.append((item.code, item, None))
    return columns


def _answers_of(response_ids: list[int], chunk: int = 5000) -> Iterator[tuple[int, int, str]]:
    """The answers of these responses, read by response id a chunk at a time: an index
    lookup whatever the table's statistics say. As one join to the responses' filter,
    PostgreSQL planned it from statistics other work had left (an empty table, say) and
    once took over ten minutes on the demo's 4,000 responses."""
    for start in range(0, len(response_ids), chunk):
        yield from Answer.objects.filter(
            response_id__in=response_ids[start : start + chunk]
        ).values_list("response_id", "item_id", "value")


def responses_frame(
    instrument: Instrument, *, include_proxy: bool = True, consented_only: bool = True
) -> Frame:
    responses = Response.objects.filter(instrument=instrument).order_by("id")
    if not include_proxy:
        responses = responses.exclude(answered_by=Response.AnsweredBy.PROXY)
    if consented_only:
        responses = responses.filter(consent_to_report=True)
    # A response to an anonymous campaign is linked to nobody in the analysis, whatever
    # was recorded (decision 0048): its person column is None.
    rows = list(
        responses.annotate(
            linked_person=Case(
                When(campaign__anonymous=True, then=Value(None)),
                default=F("person_id"),
                output_field=IntegerField(),
            )
        ).values_list(
            "id", "linked_person", "answered_by", "channel", "submitted_at", "consent_to_report"
        )
    )
    index = {row[0]: i for i, row in enumerate(rows)}
    n = len(rows)
    respondents: dict[str, list[Any]] = {
        "response_id": [r[0] for r in rows],
        "person_id": [r[1] for r in rows],
        "answered_by": [r[2] for r in rows],
        "channel": [r[3] for r in rows],
        "submitted_at": [r[4].isoformat() for r in rows],
        "consent_to_report": [r[5] for r in rows],
    }
    columns = frame_columns(instrument)
    items: dict[str, list[Any]] = {name: [None] * n for name, _, _ in columns}
    kinds = {item.pk: item for _, item, _ in columns}
    ticked: dict[int, dict[int, set[str]]] = defaultdict(dict)
    for response_id, item_id, value in _answers_of([row[0] for row in rows]):
        row = index[response_id]
        item = kinds[item_id]
        if item.kind == Item.Kind.MULTI:
            ticked[item_id].setdefault(row, set()).add(value)
        elif item.kind == Item.Kind.NUMBER:
            items[item.code][row] = int(value)
        else:
            items[item.code][row] = value
    for name, item, option in columns:
        if option is None:
            continue
        column = items[name]
        for row, codes in ticked[item.pk].items():
            column[row] = option in codes
    return Frame(n=n, respondents=respondents, items=items)
