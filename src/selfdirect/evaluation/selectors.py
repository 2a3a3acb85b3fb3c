"""Reads for the outcomes reports: which versions of a POET instrument can be reported on,
and the survey frame of one version for a period. Only ``surveys.frame.responses_frame``
reads responses, so anonymity and consent are its rules (consenting responses only; no
person is ever read here, only answers). A report is kept in Django's cache under the state of its responses,
so a page or download reads them again only after a new response (decision 0058)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.core.cache import cache
from django.utils import timezone

from selfdirect.evaluation import outcomes
from selfdirect.evaluation.report import Report
from selfdirect.surveys.frame import Frame, responses_frame
from selfdirect.surveys.models import Instrument

HOLDER_CODE = "poet-holder"
CARER_CODE = "poet-carer"
# The instruments with an outcomes report: code -> (name, builder).
REPORTS = {
    HOLDER_CODE: ("POET survey for budget holders", outcomes.holder_report),
    CARER_CODE: ("POET survey for carers", outcomes.carer_report),
}


def instrument_versions(code: str) -> list[Instrument]:
    """The versions of ``code`` that have been in use (published or retired), newest first."""
    return list(
        Instrument.objects.filter(code=code)
        .exclude(status=Instrument.Status.DRAFT)
        .order_by("-version")
    )


def report_frame(
    instrument: Instrument,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_proxy: bool = True,
) -> Frame:
    """The consenting responses to ``instrument`` submitted between ``since`` and ``until``
    (inclusive, council time), with or without proxy answers."""
    frame = responses_frame(instrument, include_proxy=include_proxy)
    if since is None and until is None:
        return frame
    keep = [
        i
        for i, submitted in enumerate(frame.respondents["submitted_at"])
        if _within(timezone.localtime(dt.datetime.fromisoformat(submitted)).date(), since, until)
    ]
    return replace(
        frame,
        n=len(keep),
        respondents={k: [v[i] for i in keep] for k, v in frame.respondents.items()},
        items={k: [v[i] for i in keep] for k, v in frame.items.items()},
    )


def _within(day: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def period_words(since: dt.date | None, until: dt.date | None) -> str:
    if since and until:
        return f"responses from {since:%-d %B %Y} to {until:%-d %B %Y}"
    if since:
        return f"responses from {since:%-d %B %Y}"
    if until:
        return f"responses up to {until:%-d %B %Y}"
    return "all responses"


def outcomes_report(
    code: str,
    instrument: Instrument | None,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_proxy: bool = True,
) -> Report:
    """The outcomes report of ``code`` (a key of REPORTS) over one version's consenting
    responses; with no version (none in use yet), the report says there are no responses."""
    name, build = REPORTS[code]
    selection = outcomes.Selection(
        instrument=f"{name}, version {instrument.version}" if instrument else name,
        period=period_words(since, until),
        proxy="proxy answers included" if include_proxy else "proxy answers left out",
    )
    if instrument is None:
        return build({}, 0, [], selection)
    key = (
        f"evaluation:outcomes:{code}:{instrument.pk}:{since}:{until}:{include_proxy}:"
        f"{responses_fingerprint(instrument)}"
    )
    kept = cache.get(key)
    if isinstance(kept, Report):
        return kept
    frame = report_frame(instrument, since=since, until=until, include_proxy=include_proxy)
    report = build(frame.items, frame.n, frame.respondents["answered_by"], selection)
    cache.set(key, report, CACHE_SECONDS)
    return report


CACHE_SECONDS = 7 * 24 * 3600


def responses_fingerprint(instrument: Instrument) -> str:
    """The responses to ``instrument`` as they stand: a response is never changed once
    recorded (answers, who answered, consent), nor deleted, so how many there are and the
    newest tell whether the report is still the one kept (decision 0058)."""
    from django.db.models import Count, Max

    from selfdirect.surveys.models import Response

    state = Response.objects.filter(instrument=instrument).aggregate(
        n=Count("pk"), top=Max("pk"), last=Max("recorded_at")
    )
    return f"{state['n']}-{state['top']}-{state['last']:%Y%m%d%H%M%S%f}" if state["n"] else "0"
