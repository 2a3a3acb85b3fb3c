"""Reads for campaigns and invitations, with the who-may-see rule: staff with the campaign
capability read campaigns as figures only; a person reads and answers their own
invitations (a representative, those of the people they act for now); a paper return is
found by the reference printed on its letter."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.audit.services import look_refused, record_or_refused
from selfdirect.people.codes import REPRESENTATIVE_KINDS
from selfdirect.people.models import Relationship
from selfdirect.planning.streams import DEPLOYMENTS
from selfdirect.surveys.models import (
    LICENSED_WORDING,
    Campaign,
    Instrument,
    Invitation,
    LetterBatch,
)


def campaigns_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("instrument", "created_by")


def campaign_get(campaign_id: int) -> Campaign:
    from django.http import Http404

    try:
        return campaigns_list().get(pk=campaign_id)
    except Campaign.DoesNotExist as missing:
        raise Http404("No such campaign") from missing


def letter_batch_get(campaign: Campaign, batch_id: int) -> LetterBatch:
    """A batch of the campaign's reminder letters (its PDF shows each manager only the
    letters of their own teams' people); otherwise 404."""
    from django.http import Http404

    try:
        return campaign.letter_batches.get(pk=batch_id)
    except LetterBatch.DoesNotExist as missing:
        raise Http404("No such batch of letters") from missing


@dataclass(frozen=True)
class BatchRow:
    batch: LetterBatch
    letters: int  # of them, the letters of the people the user may see


def letter_batches(campaign: Campaign, user: AnyUser) -> list[BatchRow]:
    """The campaign's reminder-letter batches holding letters for the people ``user`` may
    see (newest first), with how many of them are theirs: figures only."""
    from django.db.models import Count

    from selfdirect.people.selectors import people_visible_to

    visible = people_visible_to(user)
    rows = (
        campaign.letter_batches.select_related("printed_by")
        .annotate(
            mine=Count("invitations", filter=Q(invitations__person__in=visible), distinct=True)
        )
        .filter(mine__gt=0)
    )
    return [BatchRow(b, b.mine) for b in rows[:20]]


def instruments_open() -> QuerySet[Instrument]:
    """The published instruments a campaign may ask. ASCOT and GHQ-12 ship with codes
    only: they have no wording to show people until a council loads the wording it holds
    a licence for (``survey_wording_load``), so only such a version is offered."""
    return Instrument.objects.filter(status=Instrument.Status.PUBLISHED).exclude(
        code__in=LICENSED_WORDING, wording_loaded=False
    )


def invitations_answerable_by(
    user: AnyUser, *, today: dt.date | None = None
) -> QuerySet[Invitation]:
    """The invitations ``user`` may answer: their own (a holder, or a carer asked the
    carers' survey) and, for a representative, those of the people they act for now."""
    roles = roles_of(user)
    profile = getattr(user, "profile", None)
    own_id = profile.person_id if profile is not None else None
    if own_id is None:
        return Invitation.objects.none()
    condition = Q(pk__in=[])
    if roles & {Role.HOLDER, Role.CARER}:
        condition |= Q(person_id=own_id)
    if Role.REPRESENTATIVE in roles:
        represented = (
            Relationship.objects.current(today)
            .filter(related_person_id=own_id, kind__in=REPRESENTATIVE_KINDS)
            .values("person_id")
        )
        condition |= Q(person_id__in=represented)
    return Invitation.objects.filter(condition).select_related("campaign__instrument", "person")


def invitation_for(user: AnyUser, invitation_id: int) -> Invitation:
    """The invitation, if ``user`` may answer it; otherwise 404, recorded as refused."""
    return record_or_refused(invitations_answerable_by(user), actor=user, object_id=invitation_id)


def invitations_to_answer(user: AnyUser) -> list[Invitation]:
    """Open invitations not yet answered or declined, for the home page."""
    today = dt.date.today()
    return list(
        invitations_answerable_by(user)
        .filter(
            status__in=[Invitation.Status.INVITED, Invitation.Status.STARTED],
            campaign__status=Campaign.Status.OPEN,
            campaign__closes_on__gte=today,
        )
        .order_by("campaign__closes_on", "pk")[:10]
    )


def invitation_by_reference(user: AnyUser, reference: str) -> Invitation:
    """The invitation a paper return's reference names (any campaign); otherwise 404,
    recorded as refused."""
    cleaned = reference.strip().upper().replace(" ", "")
    if len(cleaned) == 8 and "-" not in cleaned:
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    try:
        return Invitation.objects.select_related("campaign__instrument", "person").get(
            reference=cleaned
        )
    except Invitation.DoesNotExist as missing:
        raise look_refused(actor=user, model=Invitation, object_id=cleaned[:40]) from missing


@dataclass
class GroupRate:
    group: str
    holding: str
    invited: int = 0
    started: int = 0
    answered: int = 0
    declined: int = 0

    @property
    def rate(self) -> str:
        """The response rate: answered of invited, as a whole percentage."""
        return f"{round(100 * self.answered / self.invited)}%" if self.invited else "–"


@dataclass
class CampaignFigures:
    total: GroupRate
    by_group: list[GroupRate] = field(default_factory=list)
    by_channel: dict[str, int] = field(default_factory=dict)


def campaign_figures(campaign: Campaign) -> CampaignFigures:
    """Counts of invited, started, answered and declined, in all and by user group and way
    of holding: figures only, never names (whatever the campaign's anonymity)."""
    rows = Invitation.objects.filter(campaign=campaign).values_list(
        "user_group", "holding", "status", "channel"
    )
    groups: dict[tuple[str, str], GroupRate] = {}
    total = GroupRate("All", "All")
    channels: Counter[str] = Counter()
    for group, holding, status, channel in rows:
        holding_name = DEPLOYMENTS.get(holding, "No plan in force")
        rate = groups.setdefault((group, holding_name), GroupRate(group, holding_name))
        channels[channel] += 1
        for r in (rate, total):
            r.invited += 1
            if status == Invitation.Status.STARTED:
                r.started += 1
            elif status == Invitation.Status.ANSWERED:
                r.answered += 1
            elif status == Invitation.Status.DECLINED:
                r.declined += 1
    return CampaignFigures(
        total=total,
        by_group=[groups[k] for k in sorted(groups)],
        by_channel={label: channels[value] for value, label in Invitation.Channel.choices},
    )
