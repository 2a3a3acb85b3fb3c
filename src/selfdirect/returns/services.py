"""Making a statutory return: the rows are built by ``cld``; making the return is a look at
every person in it, so each person's audit log shows they were sent to NHS England.

``cld_export_make`` keeps a period's return once (``CldExport``): asked again it gives back
the return already made, unless asked on purpose to make it again. ``cld_export_start``
is what the analysts' page calls: the return already made, or a background job that makes
it (returns/jobs.py)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record, looks_record
from selfdirect.operations.models import Job
from selfdirect.returns.cld import SPEC_VERSION, CldReturn, Period, cld_build
from selfdirect.returns.models import CldExport

FILE_ENCODING = "utf-8"


@transaction.atomic
def cld_return_make(*, period: Period, actor: User | AnonymousUser | None = None) -> CldReturn:
    """The CLD return for ``period``, with a look recorded for each person in it."""
    result = cld_build(period)
    looks_record(
        actor=actor,
        people=result.person_ids,
        summary=f"NHS England Client Level Data return for {period}",
    )
    return result


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode(FILE_ENCODING)).hexdigest()


def cld_export_latest(period: Period) -> CldExport | None:
    return (
        CldExport.objects.filter(period_start=period.start, period_end=period.end)
        .order_by("-version")
        .first()
    )


def cld_export_make(
    *,
    period: Period,
    actor: User | AnonymousUser | None,
    again_after: int | None = None,
    job_id: int | None = None,
) -> CldExport:
    """The kept CLD return for ``period``: the one already made, or a new one made now.

    ``again_after`` asks for the period to be made again: a new version is made only while
    the latest is still version ``again_after`` (0: none yet), so a retried or repeated
    request makes one new version, not two. Made returns are audited: who, the period, the
    row count and the checksum; and a look at every person in it."""
    try:
        with transaction.atomic():
            latest = cld_export_latest(period)
            if latest is not None and (again_after is None or latest.version != again_after):
                return latest
            result = cld_return_make(period=period, actor=actor)
            content, report = result.csv(), result.report_csv()
            export = CldExport.objects.create(
                period_start=period.start,
                period_end=period.end,
                version=(latest.version + 1) if latest else 1,
                content=content,
                report=report,
                sha256=sha256_of(content),
                report_sha256=sha256_of(report),
                row_count=len(result.rows),
                people_count=len(result.person_ids),
                problem_count=len(result.report),
                spec_version=SPEC_VERSION,
                person_ids=result.person_ids,
                made_by=actor if isinstance(actor, User) else None,
                job_id=job_id,
            )
            event_record(
                actor=actor,
                action=Action.CREATE,
                object_type="cld_export",
                object_id=export.pk,
                summary=f"Made the NHS England Client Level Data return for {period} "
                f"(version {export.version}): {export.row_count} rows for "
                f"{export.people_count} people, {export.problem_count} items cannot be coded",
                changes={
                    "Period": [None, str(period)],
                    "Version": [None, export.version],
                    "Rows": [None, export.row_count],
                    "SHA-256 of the return": [None, export.sha256],
                    "SHA-256 of the validation report": [None, export.report_sha256],
                },
            )
            return export
    except IntegrityError:
        # Another maker kept this version first (two analysts, one period): theirs is the
        # return; everything of this attempt, its looks included, was rolled back.
        made = cld_export_latest(period)
        if made is None:
            raise
        return made


def cld_export_start(
    *, actor: User, period: Period, again: bool = False
) -> tuple[CldExport | None, Job | None]:
    """What the analysts' page does with a period: the return already made (unless
    ``again``), or a background job that makes it (the same job for the same request
    while it is queued or running)."""
    from selfdirect.operations.jobs import job_start
    from selfdirect.returns.jobs import CLD_EXPORT

    latest = cld_export_latest(period)
    if latest is not None and not again:
        return latest, None
    params: dict[str, object] = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if again:
        params["again_after"] = latest.version if latest else 0
    job = job_start(
        actor=actor,
        kind=CLD_EXPORT,
        title=f"Make the Client Level Data return for {period}",
        params=params,
    )
    return None, job


def cld_export_download_record(*, actor: User, export: CldExport, report: bool = False) -> None:
    """A download of a kept return (a look at everyone in it) or of its validation report
    (a look at the people it names), with the file's checksum."""
    what = "validation report" if report else "return"
    event_record(
        actor=actor,
        action=Action.VIEW,
        object_type="cld_export",
        object_id=export.pk,
        summary=f"Downloaded the Client Level Data {what} for {export.period_text} "
        f"(version {export.version}), SHA-256 "
        f"{export.report_sha256 if report else export.sha256}",
    )
    from selfdirect.returns.selectors import cld_report_person_ids

    looks_record(
        actor=actor,
        people=cld_report_person_ids(export) if report else export.person_ids,
        summary=f"Downloaded the NHS England Client Level Data {what} for {export.period_text}",
    )
