"""The people IBSEN's comparisons and cost-effectiveness read, from Selfdirect's records
(docs/evaluation-guide.md "IBSEN measures and cost-effectiveness").

Each person's latest consented response to each IBSEN instrument (GHQ-12, ASCOT, quality
of life, self-perceived health, satisfaction with support) is read through ``surveys.frame.responses_frame``; anonymous responses cannot be
linked to a plan or a cost and are left out (counted). The person's group is the way of
holding that carries the largest part of their weekly cost (direct payment, or
council-arranged for every other way: managed account, Individual Service Fund,
third-party account, council-commissioned service); a person with no cost is left out of
the groups (counted). The covariates come from the person's record (``ibsen.COVARIATES``)
and "answered by a proxy" from the responses used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from selfdirect.evaluation import costs, ibsen
from selfdirect.evaluation.synthetic import COUNCIL_ARRANGED, DIRECT_PAYMENT

INSTRUMENTS = ("ghq-12", "ascot", "quality-of-life", "self-perceived-health", "satisfaction")
GHQ_ITEMS = tuple(f"ghq{i:02d}" for i in range(1, 13))
ASCOT_ITEMS = tuple(f"current_{domain}" for domain, _label in ibsen.ASCOT_DOMAINS)
ASCOT_LEVEL = {"no_needs": 0, "low_needs": 1, "high_needs": 2}
HOLDING = "holding"
WAY = "way"
USER_GROUP = "user_group"
GROUPINGS: dict[str, str] = {
    HOLDING: "Direct payment or council-arranged",
    WAY: "Each way of holding",
    USER_GROUP: "User group",
}
USER_GROUPS = {
    "older_people": "Older people",
    "physical_disability": "Physical disability",
    "learning_disability": "Learning disability",
    "mental_health": "Mental health",
}
WHITE = frozenset({"A", "B", "C"})


@dataclass(frozen=True)
class Gathered:
    cohort: ibsen.Cohort
    anonymous: int  # responses that name no one
    without_cost: int  # people who answered but have no cost (so no group)


def _latest(code: str) -> tuple[dict[int, tuple[str, dict[str, object]]], int]:
    """person id -> (answered by, answers) of their latest consented response to any
    version of the instrument ``code``, and the number of anonymous responses."""
    from selfdirect.surveys.frame import responses_frame
    from selfdirect.surveys.models import Instrument

    latest: dict[int, tuple[str, str, dict[str, object]]] = {}
    anonymous = 0
    for instrument in Instrument.objects.filter(code=code).order_by("version"):
        frame = responses_frame(instrument)
        for i in range(frame.n):
            person_id = frame.respondents["person_id"][i]
            if person_id is None:
                anonymous += 1
                continue
            when = frame.respondents["submitted_at"][i]
            if person_id in latest and latest[person_id][0] > when:
                continue
            answers = {key: column[i] for key, column in frame.items.items()}
            latest[person_id] = (when, frame.respondents["answered_by"][i], answers)
    return {pid: (by, answers) for pid, (_when, by, answers) in latest.items()}, anonymous


def _code(value: object, mapping: dict[str, int] | None = None) -> int:
    if value is None:
        return ibsen.MISSING
    if mapping is not None:
        return mapping.get(str(value), ibsen.MISSING)
    text = str(value)
    return int(text) if text.isdigit() else ibsen.MISSING


def _yes_no(value: str) -> float:
    return {"Y": 1.0, "N": 0.0}.get(value, float("nan"))


def group_label(ways: dict[str, int], grouping: str, user_group: str) -> str | None:
    """The person's group under ``grouping`` (None when it cannot be told)."""
    from selfdirect.planning.streams import DEPLOYMENTS

    if grouping == USER_GROUP:
        return USER_GROUPS.get(user_group)
    if not ways or sum(ways.values()) <= 0:
        return None
    main = max(sorted(ways), key=lambda w: ways[w])
    if grouping == WAY:
        return DEPLOYMENTS.get(main, main)
    return DIRECT_PAYMENT if main == "direct_payment" else COUNCIL_ARRANGED


def group_order(grouping: str) -> tuple[str, ...]:
    from selfdirect.planning.streams import DEPLOYMENTS

    if grouping == USER_GROUP:
        return tuple(USER_GROUPS.values())
    if grouping == WAY:
        return tuple(DEPLOYMENTS.values())
    return (DIRECT_PAYMENT, COUNCIL_ARRANGED)


def cohort_from_records(
    *,
    on: dt.date,
    source: str = costs.PLAN,
    period: tuple[dt.date, dt.date] | None = None,
    grouping: str = HOLDING,
) -> Gathered:
    """Everyone with a consented, named response to an IBSEN instrument, as a Cohort.
    Costs from the plan in force ``on`` or the ledger over ``period`` (default the 12
    weeks to ``on``)."""
    from selfdirect.people.models import Person

    read = {code: _latest(code) for code in INSTRUMENTS}
    answers = {code: people for code, (people, _anonymous) in read.items()}
    anonymous = sum(count for _people, count in read.values())
    ids = sorted(set().union(*(set(a) for a in answers.values())))
    plan = costs.plan_weekly_costs(ids, on=on)
    if source == costs.LEDGER:
        start, end = period or (on - dt.timedelta(days=83), on)
        cost_of = costs.ledger_weekly_costs(ids, start=start, end=end)
    else:
        cost_of = plan
    people = {
        p["pk"]: p
        for p in Person.objects.filter(pk__in=ids).values(
            "pk",
            "date_of_birth",
            "user_group",
            "employment_status",
            "has_unpaid_carer",
            "dementia",
            "ethnicity",
        )
    }
    rows: list[tuple[int, str]] = []
    without_cost = 0
    for pid in ids:
        person = people[pid]
        ways = (plan.get(pid) or cost_of.get(pid) or (0, {}))[1]
        label = group_label(ways, grouping, person["user_group"])
        if label is None or (grouping != USER_GROUP and pid not in cost_of):
            without_cost += 1
            continue
        rows.append((pid, label))
    n = len(rows)
    ghq = np.full((n, 12), ibsen.MISSING, dtype=np.int16)
    ascot = np.full((n, 7), ibsen.MISSING, dtype=np.int16)
    qol = np.full(n, ibsen.MISSING, dtype=np.int16)
    health = np.full(n, ibsen.MISSING, dtype=np.int16)
    satisfaction = np.full(n, ibsen.MISSING, dtype=np.int16)
    proxy = np.zeros(n)
    column: dict[str, list[float]] = {
        k: [] for k in ("plan", "dementia", "employed", "age", "carer", "white", "cost")
    }
    user_groups: list[str] = []
    for i, (pid, _label) in enumerate(rows):
        by_ghq, ghq_answers = answers["ghq-12"].get(pid, ("", {}))
        by_ascot, ascot_answers = answers["ascot"].get(pid, ("", {}))
        by_qol, qol_answers = answers["quality-of-life"].get(pid, ("", {}))
        ghq[i] = [_code(ghq_answers.get(k)) for k in GHQ_ITEMS]
        ascot[i] = [_code(ascot_answers.get(k), ASCOT_LEVEL) for k in ASCOT_ITEMS]
        qol[i] = _code(qol_answers.get("quality_of_life"))
        health[i] = _code(answers["self-perceived-health"].get(pid, ("", {}))[1].get("health"))
        satisfaction[i] = _code(answers["satisfaction"].get(pid, ("", {}))[1].get("support"))
        proxy[i] = float("proxy" in (by_ghq, by_ascot, by_qol))
        person = people[pid]
        born = person["date_of_birth"]
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        status = person["employment_status"]
        column["plan"].append(0.0 if pid in plan else 1.0)
        column["dementia"].append(_yes_no(person["dementia"]))
        column["employed"].append(
            float("nan") if status == "Unknown" else float(status.startswith("Paid"))
        )
        column["age"].append(float(age))
        column["carer"].append(_yes_no(person["has_unpaid_carer"]))
        ethnicity = person["ethnicity"]
        column["white"].append(float(ethnicity in WHITE) if ethnicity else float("nan"))
        column["cost"].append(float(cost_of[pid][0]) if pid in cost_of else -1.0)
        user_groups.append(person["user_group"])
    covariates = ibsen.covariates_from(
        proxy=proxy,
        plan_not_agreed=column["plan"],
        weekly_cost_pence=column["cost"],
        dementia=column["dementia"],
        user_group=np.asarray(user_groups, dtype=str),
        employed=column["employed"],
        age=column["age"],
        informal_carer=column["carer"],
        white=column["white"],
    )
    cohort = ibsen.Cohort(
        group=np.asarray([label for _pid, label in rows], dtype=str),
        ghq_items=ghq,
        ascot_levels=ascot,
        quality_of_life=qol,
        covariates=covariates,
        weekly_cost_pence=np.asarray(column["cost"], dtype=np.int64),
        groups=group_order(grouping),
        health=health,
        satisfaction=satisfaction,
    )
    return Gathered(cohort, anonymous, without_cost)


def synthetic_cohort(size: int = 959, *, seed: int = 2008, grouping: str = HOLDING) -> Gathered:
    """The synthetic IBSEN-shaped people (``synthetic.generate_cohort``), regrouped."""
    from selfdirect.evaluation.synthetic import generate_cohort

    cohort = generate_cohort(size, seed=seed)
    if grouping != USER_GROUP:
        return Gathered(cohort, 0, 0)
    labels: Sequence[str] = list(USER_GROUPS)
    covariates = cohort.covariates
    codes = np.full(cohort.size, labels[0], dtype=object)
    for code in labels[1:]:
        codes[covariates[code] == 1.0] = code
    group = np.asarray([USER_GROUPS[c] for c in codes], dtype=str)
    return Gathered(
        ibsen.Cohort(
            group=group,
            ghq_items=cohort.ghq_items,
            ascot_levels=cohort.ascot_levels,
            quality_of_life=cohort.quality_of_life,
            covariates=covariates,
            weekly_cost_pence=cohort.weekly_cost_pence,
            groups=group_order(USER_GROUP),
            health=cohort.health,
            satisfaction=cohort.satisfaction,
        ),
        0,
        0,
    )
