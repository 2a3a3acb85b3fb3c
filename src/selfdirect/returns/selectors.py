"""Reading the kept CLD returns and their validation reports. The report is shown grouped by
reason, with a link to each person's record only for a user who may see that record (a
commissioner sees no one's record: the identifiers only)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to
from selfdirect.returns.cld import REPORT_COLUMNS
from selfdirect.returns.models import CldExport

# The report page lists at most this many records under each reason (the download has all).
GROUP_SHOWN = 200
CHUNK = 900


@dataclass(frozen=True)
class ReportItem:
    la_person_id: str
    record: str
    href: str  # the person's record, for a user who may see it; else ""


@dataclass
class ReportGroup:
    field: str
    reason: str
    count: int = 0
    items: list[ReportItem] = dataclass_field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def cld_exports() -> QuerySet[CldExport]:
    return CldExport.objects.defer("content", "report").select_related("made_by")


def cld_export_get(export_id: int) -> CldExport:
    """A kept return: no one person's record, so a missing one is a plain 404."""
    return get_object_or_404(CldExport, pk=export_id)


def cld_report_lines(export: CldExport) -> Iterator[tuple[str, str, str, str]]:
    """The validation report's lines: (LA person id, record, field, reason)."""
    reader = csv.reader(io.StringIO(export.report))
    header = next(reader, None)
    assert header is None or tuple(header) == REPORT_COLUMNS
    for row in reader:
        person, record, field_name, reason = row
        yield person, record, field_name, reason


def _people_by_reference(references: set[str]) -> dict[str, int]:
    """Person ids by LA person id, read in chunks (a big council's report stays within the
    database's limit on query parameters)."""
    found: dict[str, int] = {}
    ordered = sorted(references)
    for i in range(0, len(ordered), CHUNK):
        found.update(
            Person.objects.filter(la_person_id__in=ordered[i : i + CHUNK]).values_list(
                "la_person_id", "pk"
            )
        )
    return found


def cld_report_person_ids(export: CldExport) -> list[int]:
    references = {line[0] for line in cld_report_lines(export) if line[0]}
    return sorted(_people_by_reference(references).values())


def cld_report_groups(export: CldExport, user: AnyUser) -> tuple[list[ReportGroup], list[int]]:
    """The report by (field, reason), largest first, at most ``GROUP_SHOWN`` records each,
    and the ids of the people named on the page (the page records a look at each)."""
    groups: dict[tuple[str, str], ReportGroup] = {}
    shown: list[tuple[ReportGroup, str, str]] = []
    for person, record, field_name, reason in cld_report_lines(export):
        group = groups.setdefault((field_name, reason), ReportGroup(field_name, reason))
        group.count += 1
        if group.count <= GROUP_SHOWN:
            shown.append((group, person, record))
    ids = _people_by_reference({person for _, person, _ in shown if person})
    visible: set[int] = set()
    if user_can(user, "person.view") and ids:
        visible = set(
            people_visible_to(user)
            .filter(pk__in=sorted(set(ids.values())))
            .values_list("pk", flat=True)
        )
    for group, person, record in shown:
        pk = ids.get(person)
        href = reverse("people:detail", args=[pk]) if pk is not None and pk in visible else ""
        group.items.append(ReportItem(person, record, href))
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.field, g.reason))
    return ordered, sorted(set(ids.values()))
