"""Changes to questionnaires, assessments, answers and eligibility decisions: one
transaction each, audited. Published questionnaire versions are never changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.second_administrator import (
    ALREADY_DECIDED,
    ALREADY_WAITING,
    PAST_DATE_NEEDS_REASON,
    backdated_decided,
    backdated_request_refusal,
)
from selfdirect.access.services import work_item_add
from selfdirect.assessment import eligibility
from selfdirect.assessment.models import (
    Answer,
    Assessment,
    EligibilityDecision,
    Questionnaire,
    QuestionnairePublication,
    QuestionnaireVersion,
    Referral,
)
from selfdirect.assessment.questionnaire import (
    TRIGGER_NAMES,
    DefinitionError,
    default_definition,
    definition_hash,
    definition_parse,
)
from selfdirect.assessment.signals import questionnaire_version_publishing
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.people.models import Person
from selfdirect.refusals import Refused, lost_race_refused
from selfdirect.working_days import add_working_days

PUBLISHED_IS_IMMUTABLE = "A published version cannot be changed: make a new draft from it"
NO_VERSION_IN_FORCE = "There is no published version of this questionnaire in force today"
ANSWER_ALL_FIRST = "Answer every question before you submit"
UNKNOWN_OPTION = "Select one of the answers"
ASSESSMENT_CLOSED = "This assessment has been agreed and can no longer change"
ELIGIBILITY_DECIDED = "Eligibility has already been decided for this assessment"
REFERRAL_NO_LONGER_CALLED_FOR = "The answer changed: no answer calls for this referral now"
REFERRAL_ACTED_ON = "This referral has already been sent, declined or withdrawn"
REFERRAL_SENT_TO_NEEDED = "Enter who the referral was sent to"
REFERRAL_SENT_ON_NEEDED = "Enter the date it was sent"
REFERRAL_SENT_IN_FUTURE = "The date it was sent must be today or in the past"
REFERRAL_REASON_NEEDED = "Enter why the referral is not needed"
QUESTIONNAIRE_DATE_TAKEN = (
    "Another version of this questionnaire is in force from {on}: choose another date"
)


class AssessmentError(Refused):
    """A change refused by a rule; the message is shown to the user as it is."""


@transaction.atomic
def questionnaire_create(*, actor: User | None, definition: dict[str, Any]) -> QuestionnaireVersion:
    """A new questionnaire with its definition as version 1, a draft."""
    parsed = definition_parse(definition)
    questionnaire = Questionnaire.objects.create(
        code=parsed.code, title=parsed.title, kind=parsed.kind
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        definition=definition,
        content_hash=definition_hash(definition),
        created_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="questionnaire",
        object_id=questionnaire.pk,
        summary=f"Created questionnaire {parsed.title} (version 1, draft)",
    )
    return version


@transaction.atomic
def questionnaire_version_draft(
    *, actor: User, source: QuestionnaireVersion
) -> QuestionnaireVersion:
    """A new draft copied from ``source`` (usually the version in force)."""
    questionnaire = source.questionnaire
    number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        definition=source.definition,
        content_hash=source.content_hash,
        created_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="questionnaire_version",
        object_id=version.pk,
        summary=f"Drafted version {number} of {questionnaire.title} from version {source.number}",
    )
    return version


@transaction.atomic
def questionnaire_version_update(
    *, actor: User, version: QuestionnaireVersion, definition: dict[str, Any]
) -> QuestionnaireVersion:
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != QuestionnaireVersion.Status.DRAFT:
        raise AssessmentError(PUBLISHED_IS_IMMUTABLE)
    parsed = definition_parse(definition)
    if parsed.code != locked.questionnaire.code or parsed.kind != locked.questionnaire.kind:
        raise DefinitionError(
            f"definition.code must stay {locked.questionnaire.code!r} and kind {locked.questionnaire.kind!r}"
        )
    before = locked.content_hash
    locked.definition = definition
    locked.content_hash = definition_hash(definition)
    locked.save(update_fields=["definition", "content_hash"])
    if locked.questionnaire.title != parsed.title:
        locked.questionnaire.title = parsed.title
        locked.questionnaire.save(update_fields=["title"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="questionnaire_version",
        object_id=locked.pk,
        summary=f"Changed draft version {locked.number} of {locked.questionnaire.title}",
        changes={"Content hash": [before, locked.content_hash]},
    )
    return locked


def _questionnaire_date_taken(effective_from: dt.date, **_: object) -> AssessmentError:
    return AssessmentError(
        QUESTIONNAIRE_DATE_TAKEN.format(on=f"{effective_from:%-d %B %Y}"), field="effective_from"
    )


def _publish_refusal(locked: QuestionnaireVersion, effective_from: dt.date) -> None:
    """The rules a version must pass to be published from ``effective_from``, refused by
    raising; the caller holds the version's and the questionnaire's rows."""
    if locked.status != QuestionnaireVersion.Status.DRAFT:
        raise AssessmentError(PUBLISHED_IS_IMMUTABLE)
    if QuestionnaireVersion.objects.filter(
        questionnaire_id=locked.questionnaire_id,
        status=QuestionnaireVersion.Status.PUBLISHED,
        effective_from=effective_from,
    ).exists():
        raise _questionnaire_date_taken(effective_from)
    definition_parse(locked.definition)
    for _receiver, refusal in questionnaire_version_publishing.send(
        sender=QuestionnaireVersion, version=locked, effective_from=effective_from
    ):
        if refusal:
            raise AssessmentError(str(refusal))


def _locked(version: QuestionnaireVersion) -> QuestionnaireVersion:
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    # The questionnaire's row too: two versions published at once for one date, one wins.
    Questionnaire.objects.select_for_update().filter(pk=locked.questionnaire_id).values_list(
        "pk"
    ).get()
    return locked


@lost_race_refused(_questionnaire_date_taken)
@transaction.atomic
def questionnaire_version_publish(
    *, actor: User | None, version: QuestionnaireVersion, effective_from: dt.date
) -> QuestionnaireVersion:
    """Publish a draft from ``effective_from``. An administrator's date in the past is
    refused: it goes through ``questionnaire_publication_request`` and a second
    administrator (the shipped questionnaires, installed with no one acting, are dated
    1 April 2015)."""
    locked = _locked(version)
    _publish_refusal(locked, effective_from)
    if actor is not None and effective_from < timezone.localdate():
        raise AssessmentError(PAST_DATE_NEEDS_REASON, field="reason")
    return _publish(actor=actor, locked=locked, effective_from=effective_from)


def _publish(
    *, actor: User | None, locked: QuestionnaireVersion, effective_from: dt.date
) -> QuestionnaireVersion:
    locked.status = QuestionnaireVersion.Status.PUBLISHED
    locked.effective_from = effective_from
    locked.published_by = actor
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "effective_from", "published_by", "published_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="questionnaire_version",
        object_id=locked.pk,
        summary=f"Published version {locked.number} of {locked.questionnaire.title} from {effective_from:%d %B %Y}",
        changes={
            "Status": ["Draft", "Published"],
            "Effective from": [None, effective_from.isoformat()],
        },
    )
    return locked


@lost_race_refused(lambda **_: AssessmentError(ALREADY_WAITING))
@transaction.atomic
def questionnaire_publication_request(
    *, actor: User, version: QuestionnaireVersion, effective_from: dt.date, reason: str
) -> QuestionnairePublication:
    """Ask a second administrator to publish ``version`` from a date in the past."""
    locked = _locked(version)
    refusal = backdated_request_refusal(
        effective_from=effective_from,
        reason=reason,
        already_waiting=locked.backdated_requests.filter(
            status=QuestionnairePublication.Status.PENDING
        ).exists(),
    )
    if refusal:
        raise AssessmentError(refusal[0], field=refusal[1])
    _publish_refusal(locked, effective_from)
    request = QuestionnairePublication.objects.create(
        version=locked, effective_from=effective_from, reason=reason.strip(), requested_by=actor
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="questionnaire_publication",
        object_id=request.pk,
        summary=f"Asked a second administrator to publish version {locked.number} of "
        f"{locked.questionnaire.title} from {effective_from:%d %B %Y}",
        changes={"Effective from": [None, effective_from.isoformat()], "Reason": [None, reason]},
    )
    return request


def _decided(
    actor: User, request: QuestionnairePublication, status: str
) -> QuestionnairePublication:
    return backdated_decided(actor=actor, request=request, status=status, refused=AssessmentError)


@lost_race_refused(lambda **_: AssessmentError(ALREADY_DECIDED))
@transaction.atomic
def questionnaire_publication_confirm(
    *, actor: User, request: QuestionnairePublication
) -> QuestionnairePublication:
    """A second administrator confirms: the version is published from the date asked for
    (published by the one who asked), if it still may be."""
    decided = _decided(actor, request, QuestionnairePublication.Status.CONFIRMED)
    locked = _locked(decided.version)
    _publish_refusal(locked, decided.effective_from)
    _publish(actor=decided.requested_by, locked=locked, effective_from=decided.effective_from)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="questionnaire_publication",
        object_id=decided.pk,
        summary=f"Confirmed publishing version {locked.number} of {locked.questionnaire.title} "
        f"from {decided.effective_from:%d %B %Y}, asked for by {decided.requested_by.username}",
        changes={"Status": ["Waiting for a second administrator", "Confirmed and published"]},
    )
    return decided


@lost_race_refused(lambda **_: AssessmentError(ALREADY_DECIDED))
@transaction.atomic
def questionnaire_publication_decline(
    *, actor: User, request: QuestionnairePublication
) -> QuestionnairePublication:
    decided = _decided(actor, request, QuestionnairePublication.Status.DECLINED)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="questionnaire_publication",
        object_id=decided.pk,
        summary=f"Declined publishing version {decided.version.number} of "
        f"{decided.version.questionnaire.title} from {decided.effective_from:%d %B %Y}, "
        f"asked for by {decided.requested_by.username}",
        changes={"Status": ["Waiting for a second administrator", "Declined"]},
    )
    return decided


def questionnaires_install_defaults(*, actor: User | None = None) -> list[QuestionnaireVersion]:
    """Install the shipped self-assessment and carer's assessment, published from 1 April 2015,
    unless a questionnaire with that code exists. Safe to run again."""
    installed = []
    for code in ("self-assessment", "carers-assessment"):
        if Questionnaire.objects.filter(code=code).exists():
            continue
        version = questionnaire_create(actor=actor, definition=default_definition(code))
        installed.append(
            questionnaire_version_publish(
                actor=actor, version=version, effective_from=dt.date(2015, 4, 1)
            )
        )
    return installed


def version_in_force(
    questionnaire: Questionnaire, on: dt.date | None = None
) -> QuestionnaireVersion:
    on = on or dt.date.today()
    version = (
        questionnaire.versions.filter(
            status=QuestionnaireVersion.Status.PUBLISHED, effective_from__lte=on
        )
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        raise AssessmentError(NO_VERSION_IN_FORCE)
    return version


@transaction.atomic
def assessment_start(
    *,
    actor: User,
    person: Person,
    questionnaire: Questionnaire,
    mode: str,
    cared_for: Person | None = None,
) -> Assessment:
    version = version_in_force(questionnaire)
    if questionnaire.kind == Questionnaire.Kind.CARER and cared_for is None:
        raise AssessmentError("Choose the person being cared for", field="cared_for")
    assessment = Assessment.objects.create(
        person=person,
        cared_for=cared_for,
        version=version,
        mode=mode,
        user_group="carer" if questionnaire.kind == Questionnaire.Kind.CARER else person.user_group,
        started_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="assessment",
        object_id=assessment.pk,
        person_id=person.pk,
        summary=f"Started {questionnaire.title.lower()} (version {version.number})",
    )
    return assessment


VIEWS = {"person": "person_option", "worker": "worker_option", "agreed": "agreed_option"}
VIEW_BY = {"person": "person_answered_by", "worker": "worker_answered_by", "agreed": "agreed_by"}
VIEW_NAMES = {
    "person": "The person's answer",
    "worker": "The worker's answer",
    "agreed": "The agreed answer",
}


@transaction.atomic
def answer_record(
    *, actor: User, assessment: Assessment, section_id: str, option_id: str, view: str
) -> Answer:
    """Record one of the three values of an answer; raise referrals its option triggers."""
    if assessment.status == Assessment.Status.AGREED:
        raise AssessmentError(ASSESSMENT_CLOSED)
    if view not in VIEWS:
        raise ValueError(view)
    definition = assessment.version.parsed
    try:
        section = definition.section(section_id)
        option = section.option(option_id)
    except KeyError as unknown:
        raise AssessmentError(UNKNOWN_OPTION, field="option") from unknown
    answer, _created = Answer.objects.select_for_update().get_or_create(
        assessment=assessment, section_id=section_id
    )
    before = getattr(answer, VIEWS[view])
    if before == option_id:
        return answer
    setattr(answer, VIEWS[view], option_id)
    setattr(answer, VIEW_BY[view], actor)
    answer.save()
    if section.trigger:
        _referral_recheck(actor=actor, assessment=assessment, trigger=section.trigger)
    old_text = section.option(before).text if before else None
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="answer",
        object_id=answer.pk,
        person_id=assessment.person_id,
        summary=f"{VIEW_NAMES[view]} to '{section.title}'",
        changes={f"{section.title} ({view})": [old_text, option.text]},
    )
    return answer


def _trigger_holds(assessment: Assessment, trigger: str) -> str | None:
    """The section whose answer calls for a ``trigger`` referral now, if one does. The agreed
    answer, once there is one, decides; before that, the person's or the worker's."""
    definition = assessment.version.parsed
    answers = {a.section_id: a for a in Answer.objects.filter(assessment=assessment)}
    for section in definition.sections_for(assessment.user_group):
        answer = answers.get(section.id)
        if section.trigger != trigger or answer is None:
            continue
        chosen = (
            [answer.agreed_option]
            if answer.agreed_option
            else [answer.person_option, answer.worker_option]
        )
        if any(option and section.option(option).triggers_referral for option in chosen):
            return section.id
    return None


def _referral_recheck(*, actor: User, assessment: Assessment, trigger: str) -> None:
    """After an answer changed: raise the referral its trigger now calls for, raise again
    one withdrawn, or withdraw an open one no answer calls for any more (with why). One
    already sent or declined stays as it is: a worker has acted on it."""
    section_id = _trigger_holds(assessment, trigger)
    referral = (
        Referral.objects.select_for_update().filter(assessment=assessment, trigger=trigger).first()
    )
    name = TRIGGER_NAMES[trigger]
    if section_id is not None and referral is None:
        referral = Referral.objects.create(
            assessment=assessment, trigger=trigger, section_id=section_id
        )
        before, summary = None, f"Raised a referral: {name}"
    elif section_id is not None and referral and referral.status == Referral.Status.WITHDRAWN:
        before, summary = referral.get_status_display(), f"Raised a referral again: {name}"
        referral.status, referral.reason, referral.section_id = Referral.Status.OPEN, "", section_id
        referral.acted_by, referral.acted_at = None, None
        referral.save()
    elif section_id is None and referral and referral.status == Referral.Status.OPEN:
        before, summary = referral.get_status_display(), f"Withdrew a referral: {name}"
        referral.status = Referral.Status.WITHDRAWN
        referral.reason = REFERRAL_NO_LONGER_CALLED_FOR
        referral.acted_by, referral.acted_at = actor, timezone.now()
        referral.save()
    else:
        return
    event_record(
        actor=actor,
        action=Action.UPDATE if before else Action.CREATE,
        object_type="referral",
        object_id=referral.pk,
        person_id=assessment.person_id,
        summary=summary,
        changes={"Status": [before, referral.get_status_display()]},
    )


@transaction.atomic
def referral_send(
    *, actor: User, referral: Referral, sent_to: str, sent_on: dt.date | None
) -> Referral:
    """The worker sent the referral: to whom, on which date."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.OPEN:
        raise AssessmentError(REFERRAL_ACTED_ON)
    if not sent_to.strip():
        raise AssessmentError(REFERRAL_SENT_TO_NEEDED, field="sent_to")
    if sent_on is None:
        raise AssessmentError(REFERRAL_SENT_ON_NEEDED, field="sent_on")
    if sent_on > dt.date.today():
        raise AssessmentError(REFERRAL_SENT_IN_FUTURE, field="sent_on")
    locked.status, locked.sent_to, locked.sent_on = Referral.Status.SENT, sent_to.strip(), sent_on
    locked.acted_by, locked.acted_at = actor, timezone.now()
    locked.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="referral",
        object_id=locked.pk,
        person_id=locked.assessment.person_id,
        summary=f"Sent a referral: {locked.get_trigger_display()}",
        changes={
            "Status": ["To do", "Referred"],
            "Sent to": [None, locked.sent_to],
            "Sent on": [None, sent_on.isoformat()],
        },
    )
    return locked


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The worker decided the referral is not needed, and says why."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.OPEN:
        raise AssessmentError(REFERRAL_ACTED_ON)
    if not reason.strip():
        raise AssessmentError(REFERRAL_REASON_NEEDED, field="reason")
    locked.status, locked.reason = Referral.Status.NOT_NEEDED, reason.strip()
    locked.acted_by, locked.acted_at = actor, timezone.now()
    locked.save()
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="referral",
        object_id=locked.pk,
        person_id=locked.assessment.person_id,
        summary=f"Declined a referral: {locked.get_trigger_display()}",
        changes={"Status": ["To do", "Declined"], "Reason": [None, locked.reason]},
    )
    return locked


def unanswered_sections(assessment: Assessment, view: str) -> list[str]:
    definition = assessment.version.parsed
    answered = {a.section_id: a for a in assessment.answers.all()}
    missing = []
    for section in definition.sections_for(assessment.user_group):
        answer = answered.get(section.id)
        if answer is None or not getattr(answer, VIEWS[view]):
            missing.append(section.id)
    return missing


@transaction.atomic
def assessment_submit(*, actor: User, assessment: Assessment, view: str = "person") -> Assessment:
    if assessment.status != Assessment.Status.IN_PROGRESS:
        return assessment
    if unanswered_sections(assessment, view):
        raise AssessmentError(ANSWER_ALL_FIRST)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="assessment",
        object_id=assessment.pk,
        person_id=assessment.person_id,
        summary="Submitted the assessment",
        changes={"Status": ["In progress", "Submitted"]},
    )
    if carer_cannot_carry_on(assessment):
        _carer_breakdown_work(assessment)
    return assessment


# The carer's assessment's question "Are you willing and able to carry on caring as you do
# now?" and the answer "No" (definitions/carers-assessment.json).
CARRY_ON_SECTION, CANNOT_CARRY_ON = "willing", "no"
# A carer who cannot carry on is contacted within this many working days (issue 13).
CARER_BREAKDOWN_WORKING_DAYS = 2
CARER_BREAKDOWN_TASK_KIND = "carer_cannot_carry_on"


def carer_cannot_carry_on(assessment: Assessment) -> bool:
    """Whether a carer's assessment says the carer cannot carry on caring (the agreed answer
    when there is one, else the carer's own)."""
    if not assessment.is_carers:
        return False
    answer = assessment.answers.filter(section_id=CARRY_ON_SECTION).first()
    if answer is None:
        return False
    return (answer.agreed_option or answer.person_option) == CANNOT_CARRY_ON


def carer_breakdown_contact_by(assessment: Assessment) -> dt.date:
    """The day by which the team contacts a carer who cannot carry on."""
    sent = timezone.localtime(assessment.submitted_at).date() if assessment.submitted_at else None
    return add_working_days(sent or timezone.localdate(), CARER_BREAKDOWN_WORKING_DAYS)


def _carer_breakdown_work(assessment: Assessment) -> None:
    """Urgent work for the team of the person cared for (else the carer's): contact the
    carer, and look again at the cared-for person's support and its contingency plan."""
    cared_for = assessment.cared_for
    about = cared_for if cared_for is not None and cared_for.team_id else assessment.person
    carer = assessment.person.full_name
    title = (
        f"{carer} says they cannot carry on caring for {cared_for.full_name}: contact them "
        "and look again at the support"
        if cared_for is not None
        else f"{carer} says they cannot carry on caring: contact them"
    )
    work_item_add(
        person=about,
        title=title,
        kind=CARER_BREAKDOWN_TASK_KIND,
        for_role=Role.PRACTITIONER,
        due_date=carer_breakdown_contact_by(assessment),
    )


@transaction.atomic
def assessment_agree(*, actor: User, assessment: Assessment) -> Assessment:
    """Close the assessment once every section has an agreed answer."""
    if assessment.status == Assessment.Status.AGREED:
        return assessment
    if unanswered_sections(assessment, "agreed"):
        raise AssessmentError("Record the agreed answer to every question first")
    before = assessment.get_status_display()
    assessment.status = Assessment.Status.AGREED
    assessment.agreed_at = timezone.now()
    assessment.save(update_fields=["status", "agreed_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="assessment",
        object_id=assessment.pk,
        person_id=assessment.person_id,
        summary="Agreed the assessment",
        changes={"Status": [before, "Agreed"]},
    )
    return assessment


@lost_race_refused(lambda **_: AssessmentError(ELIGIBILITY_DECIDED))
@transaction.atomic
def eligibility_decide(
    *,
    actor: User,
    assessment: Assessment,
    findings: eligibility.Findings,
    decided_on: dt.date,
    notes: str = "",
    facs_band: str = "",
) -> EligibilityDecision:
    # The assessment's row is locked, then the decision looked for again: one made meanwhile
    # by another request is seen (the one-to-one field backs this in the database).
    Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("pk").get()
    if EligibilityDecision.objects.filter(assessment=assessment).exists():
        raise AssessmentError(ELIGIBILITY_DECIDED)
    applies_to = "carer" if assessment.is_carers else "adult"
    criteria = eligibility.criteria_in_force(applies_to, decided_on)
    decision = eligibility.decide(criteria, findings)
    record = EligibilityDecision.objects.create(
        assessment=assessment,
        criteria_code=criteria.code,
        findings={
            "needs_from_condition": findings.needs_from_condition,
            "unable": {code: sorted(ways) for code, ways in findings.unable.items() if ways},
            "significant_impact_on_wellbeing": findings.significant_impact_on_wellbeing,
            "carer_health_deteriorating": findings.carer_health_deteriorating,
        },
        eligible=decision.eligible,
        reasons=list(decision.reasons),
        facs_band=facs_band,
        notes=notes,
        decided_by=actor,
        decided_on=decided_on,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="eligibility_decision",
        object_id=record.pk,
        person_id=assessment.person_id,
        summary=f"Decided {'eligible' if decision.eligible else 'not eligible'} under {criteria.name}",
        changes={"Eligible": [None, "Yes" if decision.eligible else "No"]},
    )
    return record


@transaction.atomic
def assessment_reopen(*, actor: User, assessment: Assessment, reason: str) -> Assessment:
    """An agreed assessment back to "submitted" so the worker can change the agreed answers
    (a budget returned for rework); agreeing it again closes it. The eligibility decision
    stays."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.AGREED:
        return locked
    locked.status = Assessment.Status.SUBMITTED
    locked.agreed_at = None
    locked.save(update_fields=["status", "agreed_at"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="assessment",
        object_id=locked.pk,
        person_id=locked.person_id,
        summary="Reopened the assessment's answers for rework",
        changes={"Status": ["Agreed", "Submitted"], "Reason": [None, reason]},
    )
    return locked
