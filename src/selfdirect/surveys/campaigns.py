"""Survey campaigns: who is asked, the invitations, the reminders, and answering them
(online, on behalf, or on paper keyed in by staff). Every change writes an audit event;
refusals are named constants. An anonymous campaign's responses carry no person, no
reference and no link back to the invitation (decision 0048)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send, readers_of
from selfdirect.people.codes import ClientType, PrimarySupportReason, RelationshipKind
from selfdirect.people.models import Person, Relationship
from selfdirect.planning.models import Review, SupportPlan
from selfdirect.surveys.models import (
    LICENSED_WORDING,
    Campaign,
    Instrument,
    Invitation,
    LetterBatch,
    Response,
)
from selfdirect.surveys.services import AnswerValue, SurveyRefused, instrument_items
from selfdirect.surveys.services import response_record as _response_record

CAMPAIGN_NAME_NEEDED = "Enter a name for the campaign"
CAMPAIGN_INSTRUMENT_NOT_PUBLISHED = "Choose a published survey: only a published version is asked"
CAMPAIGN_INSTRUMENT_NO_WORDING = (
    "Choose a survey people can read: this one has codes only until the council loads "
    "the wording it holds a licence for"
)
CAMPAIGN_PERIOD_ORDER = "The end of the period must be the same as or after its start"
CAMPAIGN_SAMPLE_SIZE_NEEDED = "Enter how many people to ask in the sample, 1 or more"
CAMPAIGN_SEED_NEEDED = "Enter a seed for the sample, a whole number"
CAMPAIGN_CONSENT_NEEDED = "Enter the consent wording people read before they answer"
CAMPAIGN_CLOSES_BEFORE_TODAY = "The closing date must be today or later"
CAMPAIGN_REMINDER_DAYS = "Enter the days between reminders, from 1 to 90"
CAMPAIGN_NOBODY = "Nobody fits this campaign: no review falls in the period"
INVITATION_FINISHED = "This survey has already been answered or declined, and cannot be changed"
INVITATION_CLOSED = "This survey closed on {closes_on:%-d %B %Y}"
INVITATION_CLOSED_EARLY = "This survey has closed"
ANSWERED_BY_NEEDED = "Select who is answering"
CAMPAIGN_ALREADY_CLOSED = "This campaign is already closed"
REMINDER_LETTERS_NONE_DUE = (
    "No reminder letters are due: everyone in your teams invited by letter has answered, "
    "said no, or had a letter within the last {days} days"
)
REMINDER_LETTERS_CLOSED = "This campaign has closed: no more reminder letters are sent"

# Campaigns with more people than this make their invitations in a background job.
INLINE_INVITATIONS = 200
# The message kind of a survey invitation (notify's easy-read lead sentence for it: "We
# would like to know how your support is going").
SURVEY_MESSAGE_KIND = Message.Kind.SURVEY
NO_PLAN = "none"


@dataclass(frozen=True)
class Candidate:
    """Someone who could be asked, with the stratum they are drawn from."""

    person_id: int
    user_group: str
    holding: str


def invitation_reference(*, campaign_id: int, person_id: int) -> str:
    """A reference for the letter: unguessable (keyed with the site's secret), the same every
    time it is made for the same invitation, and easy to read out ("ABCD-EFGH")."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"survey:{campaign_id}:{person_id}".encode(), hashlib.sha256
    ).digest()
    code = base64.b32encode(digest)[:8].decode()  # A-Z and 2-7: no 0 or 1 to misread
    return f"{code[:4]}-{code[4:]}"


# People are read in batches: a council's whole frame (100,000 people for a sample) never
# goes into one IN list, and only one batch of plans is in memory at a time.
BATCH = 2000


def _largest(mix: dict[str, int]) -> str:
    if not mix:
        return NO_PLAN
    return max(sorted(mix), key=lambda way: mix[way])


@dataclass(frozen=True)
class _Stratum:
    """What a person's stratum needs from their record."""

    client_type: str
    primary_support_reason: str


CLIENT_TYPES = dict(ClientType.choices)
SUPPORT_REASONS = dict(PrimarySupportReason.choices)


def _group_of(person: _Stratum, *, carer: bool) -> str:
    if carer:
        return CLIENT_TYPES[person.client_type] if person.client_type else "Carer"
    reason = person.primary_support_reason or PrimarySupportReason.UNKNOWN
    return SUPPORT_REASONS[reason]


def _latest_plan_ids(person_ids: list[int]) -> dict[int, int]:
    """Each person's latest approved plan version (approved or since superseded)."""
    latest: dict[int, int] = {}
    for person_id, plan_id in (
        SupportPlan.objects.filter(
            person_id__in=person_ids,
            status__in=[SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED],
            approved_at__isnull=False,
        )
        .order_by("person_id", "-version")
        .values_list("person_id", "pk")
    ):
        latest.setdefault(person_id, plan_id)
    return latest


def _batches(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def _people(ids: Iterable[int]) -> dict[int, _Stratum]:
    """The living people among ``ids``, with what their stratum needs (plain rows)."""
    people: dict[int, _Stratum] = {}
    for batch in _batches(ids):
        for pk, client_type, reason in Person.objects.filter(
            pk__in=batch, date_of_death__isnull=True
        ).values_list("pk", "client_type", "primary_support_reason"):
            people[pk] = _Stratum(client_type, reason)
    return people


def _holdings(ids: Iterable[int], on: dt.date) -> dict[int, str]:
    """Each person's way of holding on ``on`` (the largest weekly cost by way of holding, after any switches), from plain rows read a
    batch at a time: lines and switches as tuples, not model objects, and no query per
    line (a quarter's reviews at 100,000 people took 38 s with objects)."""
    from selfdirect.planning.models import LineSwitch, PlanLine, line_cost_pence

    holdings: dict[int, str] = {}
    for batch in _batches(ids):
        latest = _latest_plan_ids(batch)
        lines = list(
            PlanLine.objects.filter(plan_id__in=list(latest.values()))
            .order_by("id")
            .values_list(
                "pk", "plan_id", "deployment", "unit", "unit_cost_pence", "quantity_hundredths"
            )
        )
        moves: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        for line_id, to_deployment, to_cost in (
            LineSwitch.objects.filter(
                line__plan_id__in=list(latest.values()),
                undone_at__isnull=True,
                effective_date__lte=on,
            )
            .order_by("effective_date", "id")
            .values_list("line_id", "to_deployment", "to_unit_cost_pence")
        ):
            moves[line_id].append((to_deployment, to_cost))
        mixes: dict[int, dict[str, int]] = defaultdict(dict)
        for line_id, plan_id, deployment, unit, cost, quantity in lines:
            for to_deployment, to_cost in moves.get(line_id, ()):
                deployment = to_deployment
                cost = to_cost if to_cost is not None else cost
            weekly = 0 if unit == PlanLine.Unit.ITEM else line_cost_pence(cost, quantity)
            mix = mixes[plan_id]
            mix[deployment] = mix.get(deployment, 0) + weekly
        holdings.update(
            {pid: _largest(mixes[latest[pid]]) if pid in latest else NO_PLAN for pid in batch}
        )
    return holdings


def candidates_for(
    *, instrument: Instrument, selection: str, period_start: dt.date, period_end: dt.date
) -> list[Candidate]:
    """Everyone who could be asked, in person id order. For a holders' survey: everyone
    whose review falls in the period (``reviewed``), or everyone with an approved plan in
    force in the period (the frame a sample is drawn from). For a carers' survey: the
    current unpaid carers of those people, in the stratum of the person they care for."""
    if selection == Campaign.Selection.REVIEWED:
        in_period = Q(due_date__range=(period_start, period_end)) | Q(
            completed_on__range=(period_start, period_end)
        )
        people = set(
            Review.objects.filter(in_period)
            .exclude(status=Review.Status.REPLACED)
            .values_list("plan__person_id", flat=True)
        )
    else:
        people = set(
            SupportPlan.objects.filter(
                status=SupportPlan.Status.APPROVED,
                approved_at__isnull=False,
                starts_on__lte=period_end,
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period_start))
            .values_list("person_id", flat=True)
        )
    living = _people(people)
    holdings = _holdings(living, period_end)
    if instrument.population == Instrument.Population.CARER:
        carers: dict[int, int] = {}
        for batch in _batches(living):
            for cared_for, carer in (
                Relationship.objects.filter(
                    person_id__in=batch,
                    kind=RelationshipKind.UNPAID_CARER,
                    start_date__lte=period_end,
                )
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=period_start))
                .order_by("person_id", "related_person_id")
                .values_list("person_id", "related_person_id")
            ):
                carers.setdefault(carer, cared_for)
        carer_people = _people(carers)
        return [
            Candidate(pid, _group_of(carer_people[pid], carer=True), holdings[carers[pid]])
            for pid in sorted(carer_people)
        ]
    return [
        Candidate(pid, _group_of(living[pid], carer=False), holdings[pid]) for pid in sorted(living)
    ]


def sample_draw(
    candidates: list[Candidate], *, size: int, seed: int
) -> tuple[list[Candidate], list[dict[str, Any]]]:
    """A random sample stratified by user group and way of holding, in proportion to each
    stratum's size (largest remainder, ties to the larger stratum, then by name), drawn
    with ``random.Random(seed)`` from each stratum in person id order: the same candidates,
    size and seed always give the same sample. Returns the sample and the draw by stratum."""
    strata: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.person_id):
        strata[(c.user_group, c.holding)].append(c)
    total = len(candidates)
    size = min(size, total)
    quotas: dict[tuple[str, str], int] = {}
    remainders: list[tuple[float, int, tuple[str, str]]] = []
    for key, members in strata.items():
        exact = size * len(members) / total if total else 0
        quotas[key] = int(exact)
        remainders.append((exact - int(exact), len(members), key))
    left = size - sum(quotas.values())
    for _, _, key in sorted(remainders, key=lambda r: (-r[0], -r[1], r[2]))[:left]:
        quotas[key] += 1
    rng = random.Random(seed)
    drawn: list[Candidate] = []
    draw: list[dict[str, Any]] = []
    for key in sorted(strata):
        chosen = rng.sample(strata[key], quotas[key])
        drawn += chosen
        draw.append(
            {
                "group": key[0],
                "holding": key[1],
                "population": len(strata[key]),
                "drawn": len(chosen),
            }
        )
    return sorted(drawn, key=lambda c: c.person_id), draw


def campaign_refusals(
    *,
    name: str,
    instrument: Instrument,
    selection: str,
    period_start: dt.date,
    period_end: dt.date,
    sample_size: int | None,
    seed: int | None,
    consent_wording: str,
    closes_on: dt.date,
    reminder_days: int,
) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if not name.strip():
        errors.append(("name", CAMPAIGN_NAME_NEEDED))
    if instrument.status != Instrument.Status.PUBLISHED:
        errors.append(("instrument", CAMPAIGN_INSTRUMENT_NOT_PUBLISHED))
    elif instrument.code in LICENSED_WORDING and not instrument.wording_loaded:
        errors.append(("instrument", CAMPAIGN_INSTRUMENT_NO_WORDING))
    if period_end < period_start:
        errors.append(("period_end", CAMPAIGN_PERIOD_ORDER))
    if selection == Campaign.Selection.SAMPLE:
        if not sample_size or sample_size < 1:
            errors.append(("sample_size", CAMPAIGN_SAMPLE_SIZE_NEEDED))
        if seed is None:
            errors.append(("seed", CAMPAIGN_SEED_NEEDED))
    if not consent_wording.strip():
        errors.append(("consent_wording", CAMPAIGN_CONSENT_NEEDED))
    if closes_on < timezone.localdate():
        errors.append(("closes_on", CAMPAIGN_CLOSES_BEFORE_TODAY))
    if not 1 <= reminder_days <= 90:
        errors.append(("reminder_days", CAMPAIGN_REMINDER_DAYS))
    return errors


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    instrument: Instrument,
    selection: str,
    period_start: dt.date,
    period_end: dt.date,
    invite_by: str,
    consent_wording: str,
    anonymous: bool,
    closes_on: dt.date,
    reminder_days: int = 14,
    sample_size: int | None = None,
    seed: int | None = None,
    start_job: Callable[[Campaign], Any] | None = None,
) -> Campaign:
    """Create a campaign and draw who is asked. Up to ``INLINE_INVITATIONS`` people are
    invited at once; more are invited by ``start_job`` (a background job that calls
    ``invitations_create``). A sample's seed and its draw by stratum are kept."""
    errors = campaign_refusals(
        name=name,
        instrument=instrument,
        selection=selection,
        period_start=period_start,
        period_end=period_end,
        sample_size=sample_size,
        seed=seed,
        consent_wording=consent_wording,
        closes_on=closes_on,
        reminder_days=reminder_days,
    )
    if errors:
        raise SurveyRefused(errors[0][1], field=errors[0][0])
    candidates = candidates_for(
        instrument=instrument, selection=selection, period_start=period_start, period_end=period_end
    )
    if not candidates:
        raise SurveyRefused(CAMPAIGN_NOBODY, field="period_start")
    draw: list[dict[str, Any]] = []
    if selection == Campaign.Selection.SAMPLE:
        assert sample_size is not None and seed is not None
        candidates, draw = sample_draw(candidates, size=sample_size, seed=seed)
    else:
        sample_size = seed = None
        counts = Counter((c.user_group, c.holding) for c in candidates)
        draw = [
            {"group": g, "holding": h, "population": n, "drawn": n}
            for (g, h), n in sorted(counts.items())
        ]
    campaign = Campaign.objects.create(
        name=name.strip(),
        instrument=instrument,
        selection=selection,
        period_start=period_start,
        period_end=period_end,
        sample_size=sample_size,
        seed=seed,
        draw=draw,
        invite_by=invite_by,
        consent_wording=consent_wording.strip(),
        anonymous=anonymous,
        reminder_days=reminder_days,
        closes_on=closes_on,
        created_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="survey_campaign",
        object_id=campaign.pk,
        summary=f"Created the survey campaign {campaign.name} ({instrument.name} "
        f"version {instrument.version}): {len(candidates)} to ask",
        changes={
            "Who is asked": [None, campaign.get_selection_display()],
            "Sample": [None, f"{sample_size} with seed {seed}" if sample_size else "everyone"],
            "Anonymous": [None, anonymous],
            "Invited by": [None, campaign.get_invite_by_display()],
        },
    )
    if len(candidates) <= INLINE_INVITATIONS or start_job is None:
        invitations_create(actor=actor, campaign=campaign)
    else:
        start_job(campaign)
    return campaign


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """Close a campaign before its closing date: no more answers, no more reminders. The
    answers already sent stay."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status == Campaign.Status.CLOSED:
        raise SurveyRefused(CAMPAIGN_ALREADY_CLOSED, field="status")
    before = locked.status
    locked.status = Campaign.Status.CLOSED
    locked.save(update_fields=["status"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="survey_campaign",
        object_id=locked.pk,
        summary=f"Closed the survey campaign {locked.name}",
        changes={"Status": [before, locked.status]},
    )
    return locked


def campaign_people(campaign: Campaign) -> list[Candidate]:
    """Who the campaign asks: the same draw as when it was made (same frame, size, seed)."""
    candidates = candidates_for(
        instrument=campaign.instrument,
        selection=campaign.selection,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
    )
    if campaign.selection == Campaign.Selection.SAMPLE:
        assert campaign.sample_size is not None and campaign.seed is not None
        candidates, _ = sample_draw(candidates, size=campaign.sample_size, seed=campaign.seed)
    return candidates


def _invite_link(invitation: Invitation) -> str:
    return reverse("surveys:start", args=[invitation.pk])


@transaction.atomic
def invitations_create(
    *, actor: User | None, campaign: Campaign, progress: Callable[[int, int], None] | None = None
) -> int:
    """Make the campaign's invitations and send each its message. Idempotent: run again
    (a retried job, a second click), it makes and sends nothing twice. Returns how many
    invitations were made now."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    people = campaign_people(locked)
    have = set(Invitation.objects.filter(campaign=locked).values_list("person_id", flat=True))
    today = timezone.localdate()
    by_id = Person.objects.in_bulk([c.person_id for c in people if c.person_id not in have])
    new: list[Invitation] = []
    for c in people:
        if c.person_id in have:
            continue
        person = by_id[c.person_id]
        by_message = locked.invite_by == Campaign.InviteBy.MESSAGE and bool(
            readers_of(person, today)
        )
        new.append(
            Invitation(
                campaign=locked,
                person=person,
                reference=invitation_reference(campaign_id=locked.pk, person_id=person.pk),
                channel=Invitation.Channel.MESSAGE if by_message else Invitation.Channel.LETTER,
                user_group=c.user_group,
                holding=c.holding,
            )
        )
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    made = list(
        Invitation.objects.filter(
            campaign=locked, person_id__in=[i.person_id for i in new]
        ).select_related("person")
    )
    for n, invitation in enumerate(made, start=1):
        if invitation.channel == Invitation.Channel.MESSAGE:
            _tell(actor=actor, invitation=invitation, reminder=0)
        if progress is not None:
            progress(n, len(made))
    if locked.status == Campaign.Status.INVITING:
        locked.status = Campaign.Status.OPEN
        locked.save(update_fields=["status"])
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="survey_campaign",
        object_id=locked.pk,
        summary=f"Invited {len(made)} people to the survey campaign {locked.name}",
        changes={"Invitations": [len(have), len(have) + len(made)]},
    )
    return len(made)


def _tell(*, actor: User | None, invitation: Invitation, reminder: int) -> None:
    campaign = invitation.campaign
    closes = f"{campaign.closes_on:%-d %B %Y}"
    if reminder:
        subject = "A reminder: tell us how it went"
        body = (
            "We asked about {whose} support a little while ago. If you have time, please "
            f"answer our short survey before {closes}. It is up to you: you can also say "
            "you do not want to answer."
        )
    else:
        subject = "Tell us how it went"
        body = (
            "We would like to know what difference {whose} personal budget and support have "
            f"made. Please answer our short survey before {closes}. It is up to you: you can "
            "also say you do not want to answer."
        )
    notification_send(
        actor=actor,
        person=invitation.person,
        kind=SURVEY_MESSAGE_KIND,
        subject=subject,
        body=body,
        key=f"survey-invitation-{invitation.pk}-{reminder}",
        link=_invite_link(invitation),
    )


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind everyone invited by message who has not answered or declined, at most once per
    the campaign's interval (counted from the invitation or the last reminder), while the
    campaign is open. Safe to run as often as you like. Returns how many were reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    due = (
        Invitation.objects.filter(
            status__in=[Invitation.Status.INVITED, Invitation.Status.STARTED],
            channel=Invitation.Channel.MESSAGE,
            campaign__status=Campaign.Status.OPEN,
            campaign__closes_on__gte=today,
        )
        .select_related("campaign", "person")
        .order_by("pk")
    )
    for invitation in due.iterator(chunk_size=500):
        last = invitation.reminded_at or invitation.invited_at
        if last > now - dt.timedelta(days=invitation.campaign.reminder_days):
            continue
        with transaction.atomic():
            # Taken under a lock: two runs at once remind once.
            updated = Invitation.objects.filter(
                pk=invitation.pk, reminders_sent=invitation.reminders_sent
            ).update(reminded_at=now, reminders_sent=invitation.reminders_sent + 1)
            if not updated:
                continue
            _tell(actor=None, invitation=invitation, reminder=invitation.reminders_sent + 1)
            event_record(
                actor=None,
                action=Action.UPDATE,
                object_type="survey_invitation",
                object_id=invitation.pk,
                person_id=invitation.person_id,
                summary=f"Reminded about the survey campaign {invitation.campaign.name}",
                changes={"Reminders": [invitation.reminders_sent, invitation.reminders_sent + 1]},
            )
        sent += 1
    return sent


# ------------------------------------------------------------------ letters and reminders


@transaction.atomic
def invitation_letters_printed(
    *, actor: User, invitations: Iterable[Invitation], now: dt.datetime | None = None
) -> int:
    """Record that these invitation letters were printed (the first time only): a reminder
    letter says "we wrote to you on" that day, and its interval counts from it. Returns
    how many were printed for the first time."""
    now = now or timezone.now()
    first = [i for i in invitations if i.letter_printed_at is None]
    if not first:
        return 0
    ids = [i.pk for i in first]
    marked = Invitation.objects.filter(pk__in=ids, letter_printed_at__isnull=True).update(
        letter_printed_at=now
    )
    for invitation in first:
        invitation.letter_printed_at = now
    campaign = first[0].campaign
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="survey_campaign",
        object_id=campaign.pk,
        summary=f"Printed {marked} invitation letters of the survey campaign {campaign.name}",
        changes={"Invitation letters printed": [None, marked]},
    )
    return marked


def reminder_letters_due(
    campaign: Campaign, *, people: Any = None, now: dt.datetime | None = None
) -> Any:
    """The campaign's invitations by letter that are due a reminder letter: not answered or
    declined, the campaign open, the invitation letter printed, and no letter (the
    invitation or a reminder) within the campaign's interval. ``people``: only these (a
    team manager's people)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=campaign.reminder_days)
    due = Invitation.objects.filter(
        campaign=campaign,
        campaign__status=Campaign.Status.OPEN,
        campaign__closes_on__gte=timezone.localdate(now),
        channel=Invitation.Channel.LETTER,
        status__in=[Invitation.Status.INVITED, Invitation.Status.STARTED],
        letter_printed_at__isnull=False,
    ).filter(
        Q(reminded_at__isnull=True, letter_printed_at__lte=cutoff) | Q(reminded_at__lte=cutoff)
    )
    if people is not None:
        due = due.filter(person__in=people)
    return due.order_by("pk")


def reminder_letters_due_count(*, now: dt.datetime | None = None) -> int:
    """How many reminder letters are due in every open campaign (for the reminders
    command: team managers print them from the campaign page)."""
    today = timezone.localdate(now)
    return sum(
        reminder_letters_due(campaign, now=now).count()
        for campaign in Campaign.objects.filter(
            status=Campaign.Status.OPEN, closes_on__gte=today
        ).only("pk", "status", "closes_on", "reminder_days")
    )


@transaction.atomic
def reminder_letters_batch(
    *, actor: User, campaign: Campaign, people: Any, now: dt.datetime | None = None
) -> LetterBatch:
    """Make the batch of reminder letters due for ``people`` (the manager's teams): each
    counts as a reminder sent now, so none is due again within the campaign's interval,
    whoever prints next. Two managers printing at once print each letter once."""
    now = now or timezone.now()
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status == Campaign.Status.CLOSED or locked.closes_on < timezone.localdate(now):
        raise SurveyRefused(REMINDER_LETTERS_CLOSED, field="campaign")
    due = list(reminder_letters_due(locked, people=people, now=now).select_for_update(of=("self",)))
    taken: list[Invitation] = []
    for invitation in due:
        # Taken under a lock: a letter another batch has just counted is left out.
        updated = Invitation.objects.filter(
            pk=invitation.pk, reminders_sent=invitation.reminders_sent
        ).update(reminded_at=now, reminders_sent=invitation.reminders_sent + 1)
        if updated:
            taken.append(invitation)
    if not taken:
        raise SurveyRefused(
            REMINDER_LETTERS_NONE_DUE.format(days=locked.reminder_days), field="campaign"
        )
    batch = LetterBatch.objects.create(
        campaign=locked, printed_by=actor, printed_at=now, letters=len(taken)
    )
    batch.invitations.set(taken)
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="survey_letter_batch",
        object_id=batch.pk,
        summary=f"Printed {len(taken)} reminder letters of the survey campaign {locked.name}",
        changes={"Reminder letters": [None, len(taken)]},
    )
    for invitation in taken:
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="survey_invitation",
            object_id=invitation.pk,
            person_id=invitation.person_id,
            summary=f"Reminded by letter about the survey campaign {locked.name}",
            changes={"Reminders": [invitation.reminders_sent, invitation.reminders_sent + 1]},
        )
    return batch


def _check_open(invitation: Invitation) -> None:
    if invitation.is_finished:
        raise SurveyRefused(INVITATION_FINISHED, field="invitation")
    if invitation.campaign.status == Campaign.Status.CLOSED:
        raise SurveyRefused(INVITATION_CLOSED_EARLY, field="invitation")
    if invitation.campaign.closes_on < timezone.localdate():
        raise SurveyRefused(
            INVITATION_CLOSED.format(closes_on=invitation.campaign.closes_on), field="invitation"
        )


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update()
        .select_related("campaign__instrument")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def invitation_progress_save(
    *,
    actor: User,
    invitation: Invitation,
    answers: Mapping[str, AnswerValue],
    answered_by: str | None = None,
) -> Invitation:
    """Keep the answers given so far (save and resume). They are checked against their
    items now, so the check-your-answers page never shows an answer that cannot be sent."""
    locked = _locked(invitation)
    _check_open(locked)
    from selfdirect.surveys.services import answers_check

    items = instrument_items(locked.campaign.instrument)
    errors = answers_check(items=items, answers=answers)
    if errors:
        raise SurveyRefused(errors[0][1], field=errors[0][0])
    if answered_by is not None:
        if answered_by not in Response.AnsweredBy.values:
            raise SurveyRefused(ANSWERED_BY_NEEDED, field="answered_by")
        locked.draft_answered_by = answered_by
    draft = dict(locked.draft_answers)
    for code, value in answers.items():
        draft[code] = value if isinstance(value, str) else list(value)
    before = locked.status
    locked.draft_answers = draft
    locked.status = Invitation.Status.STARTED
    locked.save(update_fields=["draft_answers", "draft_answered_by", "status"])
    if before != locked.status:
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="survey_invitation",
            object_id=locked.pk,
            person_id=locked.person_id,
            summary=f"Started answering the survey {locked.campaign.name}",
            changes={"Status": [before, locked.status]},
        )
    return locked


@transaction.atomic
def invitation_submit(
    *,
    actor: User,
    invitation: Invitation,
    consent_to_report: bool,
    channel: str = Response.Channel.PORTAL,
    answered_by: str | None = None,
) -> Response:
    """Record the saved answers as the response, once. An anonymous campaign's response has
    no person and no reference, and the invitation keeps no link to it. A finished
    invitation cannot be answered again or changed."""
    locked = _locked(invitation)
    _check_open(locked)
    campaign = locked.campaign
    answered_by = answered_by or locked.draft_answered_by
    if answered_by not in Response.AnsweredBy.values:
        raise SurveyRefused(ANSWERED_BY_NEEDED, field="answered_by")
    response = _response_record(
        actor=actor,
        instrument=campaign.instrument,
        person=None if campaign.anonymous else locked.person,
        answered_by=answered_by,
        channel=channel,
        submitted_at=timezone.now(),
        answers=locked.draft_answers,
        reference="" if campaign.anonymous else locked.reference,
        consent_to_report=consent_to_report,
        campaign=campaign,
    )
    locked.status = Invitation.Status.ANSWERED
    locked.finished_at = timezone.now()
    locked.draft_answers = {}
    locked.draft_answered_by = ""
    locked.save(update_fields=["status", "finished_at", "draft_answers", "draft_answered_by"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="survey_invitation",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary=f"Answered the survey {campaign.name}"
        + (" (on paper, keyed in by staff)" if channel == Response.Channel.PAPER else ""),
        changes={"Status": ["started", "answered"]},
    )
    return response


@transaction.atomic
def invitation_decline(*, actor: User, invitation: Invitation) -> Invitation:
    """The person (or someone for them) does not want to answer: no reminders follow."""
    locked = _locked(invitation)
    _check_open(locked)
    before = locked.status
    locked.status = Invitation.Status.DECLINED
    locked.finished_at = timezone.now()
    locked.draft_answers = {}
    locked.draft_answered_by = ""
    locked.save(update_fields=["status", "finished_at", "draft_answers", "draft_answered_by"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="survey_invitation",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary=f"Declined to answer the survey {locked.campaign.name}",
        changes={"Status": [before, locked.status]},
    )
    return locked
