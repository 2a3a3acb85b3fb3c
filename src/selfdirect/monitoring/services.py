"""Changing monitoring: risk records, new versions of the tier table, the quarter's random
sample, importing a statement (a background job) with its matching and flags, and a
person's explanation and the council's decision on a flag. Each in one transaction, each
audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.money import pounds
from selfdirect.monitoring.matching import (
    FLAG_KINDS,
    Keyword,
    Payee,
    balance_check,
    match_transaction,
)
from selfdirect.monitoring.models import (
    Flag,
    MatchRule,
    QuarterSample,
    RiskRecord,
    SampleMember,
    Statement,
    StatementTransaction,
    TierTable,
)
from selfdirect.monitoring.selectors import (
    DIRECT_PAYMENT,
    approved_plan_on,
    contingency_weeks,
    direct_payment_weekly,
    monitoring_population,
    person_monitoring,
    sample_size,
)
from selfdirect.monitoring.statements import (
    ColumnMapping,
    ParsedStatement,
    StatementRefused,
    dedupe_keys,
    statement_parse,
)
from selfdirect.monitoring.tiers import quarter_bounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.operations.jobs import (
    JobRefused,
    Progress,
    job_files_dir,
    job_kind_register,
    job_start,
    job_succeed,
)
from selfdirect.operations.models import Job
from selfdirect.people.models import Person
from selfdirect.planning import streams
from selfdirect.planning.services import arrangement_on
from selfdirect.refusals import Refused

RISK_REASON_NEEDED = "Enter why the risk is recorded"
RISK_CHOICE_NEEDED = "Select whether the risk is high"
TABLE_DATE_NEEDED = "Enter the date the new tiers start"
TABLE_DATE_NOT_LATER = "The new tiers must start after {on}, when the version in force started"
TABLE_THRESHOLDS_ORDER = "The light-touch limit must not be above the full audit threshold"
QUARTER_INVALID = "Enter a quarter like 2026-Q2"
EXPLANATION_NEEDED = "Enter what the payment or balance was for"
FLAG_CLOSED = "This flag has been cleared: there is nothing more to explain"
DECISION_NEEDED = "Select whether to clear the flag or keep it"
DECISION_NOTE_NEEDED = "Enter the reason for the decision"
OWN_UPLOAD = "You uploaded this statement: another finance officer decides its flags"
ALREADY_IMPORTED = (
    "Every transaction in {name} was already imported from an earlier statement: nothing new to add"
)
UPLOAD_GONE = "The uploaded file is no longer kept, so nothing was imported. Upload it again."


class MonitoringError(Refused):
    """A monitoring change refused by a rule."""


@transaction.atomic
def risk_record(*, actor: User, person: Person, high_risk: bool | None, reason: str) -> RiskRecord:
    """Record whether the person's direct payment needs closer monitoring, and why."""
    if high_risk is None:
        raise MonitoringError(RISK_CHOICE_NEEDED, field="high_risk")
    if not reason.strip():
        raise MonitoringError(RISK_REASON_NEEDED, field="reason")
    before = person.monitoring_risks.first()
    record = RiskRecord.objects.create(
        person=person, high_risk=high_risk, reason=reason.strip(), recorded_by=actor
    )
    words = {True: "High", False: "Not high"}
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="monitoring_risk",
        object_id=record.pk,
        person_id=person.pk,
        summary="Recorded the risk for monitoring the direct payment",
        changes={
            "Risk": [words[before.high_risk] if before else None, words[high_risk]],
            "Reason": [before.reason if before else None, record.reason],
        },
    )
    return record


@transaction.atomic
def tier_table_add(*, actor: User | None, fields: dict[str, Any]) -> TierTable:
    """A new version of the tier table from a date after the one in force (a version once
    saved never changes: the pages and past decisions keep their meaning)."""
    starts = fields.get("effective_from")
    if not isinstance(starts, dt.date):
        raise MonitoringError(TABLE_DATE_NEEDED, field="effective_from")
    latest = TierTable.objects.order_by("-effective_from").first()
    if latest is not None and starts <= latest.effective_from:
        raise MonitoringError(
            TABLE_DATE_NOT_LATER.format(on=f"{latest.effective_from:%-d %B %Y}"),
            field="effective_from",
        )
    if fields["light_below_yearly_pence"] > fields["full_from_yearly_pence"]:
        raise MonitoringError(TABLE_THRESHOLDS_ORDER, field="light_below_yearly_pence")
    version = TierTable.objects.create(created_by=actor, **fields)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="monitoring_tier_table",
        object_id=version.pk,
        summary=f"Added the monitoring tiers from {starts:%-d %B %Y}",
        changes={k: [None, str(v)] for k, v in fields.items()},
    )
    return version


def sample_people(population: list[int], *, seed: int, size: int) -> list[int]:
    """The draw itself: the same population (ids in order), seed and size, the same people."""
    ordered = sorted(population)
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))


def sample_draw(
    *, actor: User | None, quarter: str, seed: int | None = None, size: int | None = None
) -> tuple[QuarterSample, bool]:
    """The quarter's random sample, drawn once: (the sample, whether it was drawn now). A
    second draw of the same quarter (a double click, two officers, the command run again)
    gives back the first. The seed is recorded so the draw can be checked."""
    try:
        first, _ = quarter_bounds(quarter)
    except ValueError as bad:
        raise MonitoringError(QUARTER_INVALID, field="quarter") from bad
    existing = QuarterSample.objects.filter(quarter=quarter).first()
    if existing is not None:
        return existing, False
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    size = size if size is not None else sample_size()
    population = list(monitoring_population(first).values_list("pk", flat=True))
    chosen = sample_people(population, seed=seed, size=size)
    try:
        with transaction.atomic():
            sample = QuarterSample.objects.create(
                quarter=quarter,
                seed=seed,
                size=size,
                population_count=len(population),
                drawn_by=actor,
            )
            SampleMember.objects.bulk_create(
                [SampleMember(sample=sample, person_id=pk) for pk in chosen]
            )
            event_record(
                actor=actor,
                action=Action.CREATE,
                object_type="monitoring_sample",
                object_id=sample.pk,
                summary=(
                    f"Drew the random sample for {quarter}: {len(chosen)} of "
                    f"{len(population)} people (seed {seed})"
                ),
            )
            for pk in chosen:
                event_record(
                    actor=actor,
                    action=Action.UPDATE,
                    object_type="monitoring_sample",
                    object_id=sample.pk,
                    person_id=pk,
                    summary=f"Chosen in the random sample for {quarter}",
                )
    except IntegrityError:  # another officer drew it at the same moment: theirs stands
        return QuarterSample.objects.get(quarter=quarter), False
    return sample, True


# --- statements ---------------------------------------------------------------------------

STATEMENT_IMPORT = "statement_import"


def statement_import_start(
    *, actor: User, person: Person, data: bytes, filename: str, mapping: ColumnMapping | None
) -> Job:
    """Keep the uploaded file and queue its import for the person (the same file for the
    same person while its import is queued or running gives the same job)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = job_files_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".ofx" if filename.lower().endswith((".ofx", ".qfx")) else ".csv"
    stored = folder / f"{digest}{suffix}"
    if not stored.exists():
        partial = folder / f".partial-{digest}"
        partial.write_bytes(data)
        partial.replace(stored)
    return job_start(
        actor=actor,
        kind=STATEMENT_IMPORT,
        title=f"Import the statement {filename}"[:200],
        params={
            "upload": f"uploads/{stored.name}",
            "source": filename,
            "sha256": digest,
            "person_id": person.pk,
            "mapping": asdict(mapping) if mapping else None,
            "next_url": reverse("monitoring:statements", kwargs={"person_id": person.pk}),
            "next_label": "See the statements and anything to explain",
        },
        person_id=person.pk,
        key=hashlib.sha256(
            f"{STATEMENT_IMPORT}:{actor.pk}:{person.pk}:{digest}".encode()
        ).hexdigest(),
    )


def statement_import_run(job: Job, progress: Progress) -> None:
    """Read the file (every problem named by row and column: nothing imported), then import
    it and mark the job done in one transaction."""
    source = str(job.params.get("source", "the file"))
    path = job_files_dir() / str(job.params.get("upload", ""))
    if not path.is_file():
        raise JobRefused(UPLOAD_GONE)
    mapping_fields = job.params.get("mapping")
    mapping = ColumnMapping(**mapping_fields) if mapping_fields else None
    try:
        parsed = statement_parse(path.read_bytes(), source, mapping)
    except StatementRefused as refused:
        count = len(refused.errors)
        raise JobRefused(
            f"{count} problem{'s' if count != 1 else ''} found in {source}: nothing was "
            "imported. Correct the file and upload it again.",
            [{"row": e.row, "column": e.column, "message": e.message} for e in refused.errors],
        ) from refused
    progress.set(0, len(parsed.transactions))
    person = Person.objects.get(pk=job.params["person_id"])
    assert job.started_by is not None
    with transaction.atomic():
        try:
            statement = statement_import(
                actor=job.started_by,
                person=person,
                parsed=parsed,
                filename=source,
                sha256=str(job.params.get("sha256", "")),
            )
        except MonitoringError as refused:
            raise JobRefused(str(refused)) from refused
        flags = statement.flags.count()
        job_succeed(
            job=job,
            summary=(
                f"{statement.imported_count} transactions imported from {source}"
                + (
                    f", {statement.duplicate_count} already imported before"
                    if statement.duplicate_count
                    else ""
                )
                + f"; {flags} thing{'s' if flags != 1 else ''} to explain"
            ),
        )


def register() -> None:
    job_kind_register(STATEMENT_IMPORT, statement_import_run)


def _payees(person: Person, on: dt.date) -> tuple[list[Payee], frozenset[str]]:
    """Who the plan in force pays (providers and personal assistants by name), and what the
    streams funding its direct-payment lines may pay for."""
    plan = approved_plan_on(person.pk, on)
    if plan is None:
        return [], streams.rule_on("adult_social_care", on).may_pay_for
    payees: list[Payee] = []
    allowed: set[str] = set()
    for line in plan.lines.select_related("provider").prefetch_related("switches__to_provider"):
        deployment, provider, provided_by = arrangement_on(line, on)
        for name in (getattr(provider, "name", ""), provided_by, line.provided_by):
            if name:
                payees.append(Payee(line.pk, name, line.category, line.funding_stream))
        if deployment == DIRECT_PAYMENT:
            allowed |= streams.rule_on(line.funding_stream, on).may_pay_for
    return payees, frozenset(allowed or streams.rule_on("adult_social_care", on).may_pay_for)


@transaction.atomic
def statement_import(
    *, actor: User, person: Person, parsed: ParsedStatement, filename: str, sha256: str
) -> Statement:
    """Import the statement's transactions not imported before, match each to the plan,
    and raise the flags: spending the budget may not pay for, payments that match nothing
    (from the tier's small-item amount up), and a balance below zero or above the
    contingency allowance."""
    keys = dedupe_keys(parsed.transactions)
    known = set(
        StatementTransaction.objects.filter(person=person, dedupe_key__in=keys).values_list(
            "dedupe_key", flat=True
        )
    )
    fresh = [(t, k) for t, k in zip(parsed.transactions, keys, strict=True) if k not in known]
    if not fresh:
        raise MonitoringError(ALREADY_IMPORTED.format(name=filename))
    start, end = parsed.period
    assert start is not None and end is not None
    on = parsed.balance_on or end
    monitoring = person_monitoring(person, on)
    weekly = direct_payment_weekly(person, on)
    statement = Statement.objects.create(
        person=person,
        uploaded_by=actor,
        kind=parsed.kind,
        layout=parsed.layout,
        filename=filename[:200],
        sha256=sha256,
        period_start=start,
        period_end=end,
        balance_pence=parsed.balance_pence,
        balance_on=parsed.balance_on,
        weekly_pence=weekly,
        tier=monitoring.decision.tier,
        imported_count=len(fresh),
        duplicate_count=len(parsed.transactions) - len(fresh),
    )
    payees, allowed = _payees(person, on)
    keywords = [Keyword(r.keyword, r.category) for r in MatchRule.objects.all()]
    rows, matches = [], []
    for parsed_transaction, key in fresh:
        match = match_transaction(
            description=parsed_transaction.description,
            amount_pence=parsed_transaction.amount_pence,
            payees=payees,
            keywords=keywords,
            allowed=allowed,
            small_item_pence=monitoring.decision.small_item_pence,
        )
        matches.append(match)
        rows.append(
            StatementTransaction(
                statement=statement,
                person=person,
                posted_on=parsed_transaction.posted_on,
                amount_pence=parsed_transaction.amount_pence,
                description=parsed_transaction.description,
                fitid=parsed_transaction.fitid,
                dedupe_key=key,
                category=match.category,
                plan_line_id=match.line_id,
                funding_stream=match.funding_stream,
            )
        )
    saved = StatementTransaction.objects.bulk_create(rows)
    flags = [
        Flag(person=person, statement=statement, transaction=row, kind=m.flag, words=m.words)
        for row, m in zip(saved, matches, strict=True)
        if m.flag
    ]
    if parsed.balance_pence is not None and parsed.balance_on is not None:
        check = balance_check(
            balance_pence=parsed.balance_pence,
            on=parsed.balance_on,
            weekly_pence=weekly,
            allowance_weeks=contingency_weeks(),
        )
        if check.flag:
            flags.append(
                Flag(person=person, statement=statement, kind=check.flag, words=check.words)
            )
    Flag.objects.bulk_create(flags)
    if flags:
        # Every new flag waits for the person's explanation: tell them once per statement.
        count = "1 item needs" if len(flags) == 1 else f"{len(flags)} items need"
        notification_send(
            actor=actor,
            person=person,
            kind=Message.Kind.STATEMENT,
            subject="A question about {whose} direct payment statement",
            body=(
                f"We checked the statement from {start:%-d %B %Y} to {end:%-d %B %Y}. "
                f"{count} a few words from you about what the money was for. This is a "
                "normal check: it does not mean anything is wrong."
            ),
            key=f"statement-{statement.pk}-flags",
            link=reverse("monitoring:statement", args=[statement.pk]),
        )
    event_record(
        actor=actor,
        action=Action.IMPORT,
        object_type="monitoring_statement",
        object_id=statement.pk,
        person_id=person.pk,
        summary=(
            f"Imported a statement from {filename} ({len(fresh)} transactions, {len(flags)} flags)"
        )[:300],
        changes={
            "Balance": [
                None,
                pounds(parsed.balance_pence) if parsed.balance_pence is not None else None,
            ],
            "Flags": [None, ", ".join(sorted({FLAG_KINDS[f.kind] for f in flags})) or "None"],
        },
    )
    return statement


@transaction.atomic
def flag_explain(*, actor: User, flag: Flag, explanation: str) -> Flag:
    """The person's (or their representative's) explanation of a flagged item, in their words."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status == Flag.Status.CLEARED:
        raise MonitoringError(FLAG_CLOSED)
    if not explanation.strip():
        raise MonitoringError(EXPLANATION_NEEDED, field="explanation")
    before = flag.explanation
    flag.explanation = explanation.strip()
    flag.explained_by, flag.explained_at = actor, timezone.now()
    flag.status = Flag.Status.EXPLAINED
    flag.save(update_fields=["explanation", "explained_by", "explained_at", "status"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="monitoring_flag",
        object_id=flag.pk,
        person_id=flag.person_id,
        summary="Explained a flagged item on a statement",
        changes={"Explanation": [before or None, flag.explanation]},
    )
    return flag


@transaction.atomic
def flag_decide(*, actor: User, flag: Flag, decision: str, note: str) -> Flag:
    """Finance clears a flag or keeps it open, with the reason; not on a statement they
    uploaded themselves."""
    flag = Flag.objects.select_for_update().select_related("statement").get(pk=flag.pk)
    if decision not in ("clear", "keep"):
        raise MonitoringError(DECISION_NEEDED, field="decision")
    if not note.strip():
        raise MonitoringError(DECISION_NOTE_NEEDED, field="note")
    if flag.statement.uploaded_by_id == actor.pk:
        raise MonitoringError(OWN_UPLOAD)
    before = flag.get_status_display()
    flag.status = Flag.Status.CLEARED if decision == "clear" else Flag.Status.KEPT
    flag.decision_note, flag.decided_by, flag.decided_at = note.strip(), actor, timezone.now()
    flag.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="monitoring_flag",
        object_id=flag.pk,
        person_id=flag.person_id,
        summary=f"{'Cleared' if decision == 'clear' else 'Kept'} a flag on a statement",
        changes={
            "Status": [before, flag.get_status_display()],
            "Reason": [None, flag.decision_note],
        },
    )
    return flag
