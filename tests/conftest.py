"""Shared fixtures: a small council with one user of every role."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.people import codes
from tests.concurrency import committed_council, concurrent_db  # noqa: F401  (fixtures)
from tests.factories import (
    ConsentFactory,
    PersonFactory,
    ProviderClientFactory,
    ProviderFactory,
    RelationshipFactory,
    TeamFactory,
    make_user,
)
from tests.shipped import shipped_data_restore


@dataclass
class Council:
    """Two teams; a holder in team A with a representative and a consenting carer;
    a second person in team B whom only team B (and finance) may see."""

    team_a: Any
    team_b: Any
    holder_person: Any
    other_person: Any
    users: dict[str, Any]
    holder_assessment: Any = None
    other_assessment: Any = None


def council_build() -> Council:
    """Build the small council (the caller provides database access)."""
    team_a, team_b = TeamFactory(name="North team"), TeamFactory(name="South team")
    holder_person = PersonFactory(team=team_a, given_name="Ada", family_name="Holder")
    other_person = PersonFactory(team=team_b, given_name="Bea", family_name="Other")
    rep_person = PersonFactory(
        team=None,
        given_name="Rita",
        family_name="Rep",
        client_type=codes.ClientType.CARER_BY_ASSOCIATION,
    )
    carer_person = PersonFactory(
        team=None, given_name="Carl", family_name="Carer", client_type=codes.ClientType.CARER
    )
    RelationshipFactory(
        person=holder_person,
        related_person=rep_person,
        kind=codes.RelationshipKind.NOMINATED_PERSON,
        legal_basis=codes.LegalBasis.PERSON_NOMINATED,
    )
    RelationshipFactory(person=holder_person, related_person=carer_person, can_see_record=True)
    ConsentFactory(person=holder_person)
    provider = ProviderFactory(name="Acme Care")
    ProviderClientFactory(provider=provider, person=holder_person)
    users = {
        Role.HOLDER: make_user("holder", [Role.HOLDER], person=holder_person),
        Role.REPRESENTATIVE: make_user("representative", [Role.REPRESENTATIVE], person=rep_person),
        Role.CARER: make_user("carer", [Role.CARER], person=carer_person),
        Role.PRACTITIONER: make_user("practitioner", [Role.PRACTITIONER], teams=[team_a]),
        Role.MANAGER: make_user("manager", [Role.MANAGER], manages=[team_a]),
        Role.PLANNER: make_user("planner", [Role.PLANNER], teams=[team_a]),
        Role.PROVIDER: make_user("provider", [Role.PROVIDER], provider=provider),
        Role.FINANCE: make_user("finance", [Role.FINANCE]),
        Role.COMMISSIONER: make_user("commissioner", [Role.COMMISSIONER]),
        Role.ADMIN: make_user("admin", [Role.ADMIN]),
        Role.DPO: make_user("dpo", [Role.DPO]),
    }
    council = Council(
        team_a=team_a,
        team_b=team_b,
        holder_person=holder_person,
        other_person=other_person,
        users={str(k): v for k, v in users.items()},
    )
    # Each person has a self-assessment in progress.
    from selfdirect.assessment.models import Questionnaire
    from selfdirect.assessment.services import assessment_start, questionnaires_install_defaults

    questionnaires_install_defaults()
    from selfdirect.allocation.services import ras_versions_install_defaults

    ras_versions_install_defaults()
    self_assessment = Questionnaire.objects.get(code="self-assessment")
    council.holder_assessment = assessment_start(
        actor=users[Role.HOLDER], person=holder_person, questionnaire=self_assessment, mode="self"
    )
    team_b_worker = make_user("team-b-worker", [Role.PRACTITIONER], teams=[team_b])
    council.other_assessment = assessment_start(
        actor=team_b_worker, person=other_person, questionnaire=self_assessment, mode="practitioner"
    )
    return council


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache: reports kept under their inputs' fingerprint
    (decision 0058) must never carry one test's figures into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def shipped_data(request: Any) -> None:
    """A test on committed data starts, like a migrated council, with the shipped rows
    (the flush after the test before took them away)."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
        shipped_data_restore()


@pytest.fixture
def council(db: Any) -> Council:
    return council_build()


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Hashing with PBKDF2 dominates fixture set-up; tests do not need it to be slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Files made by background jobs go to a folder of the test run's own, not var/.
    import tempfile

    settings.SELFDIRECT_JOB_FILES_DIR = tempfile.mkdtemp(prefix="selfdirect-jobs-")
    # A test that loads the WSGI app (the API schema tests) keeps Python's garbage
    # collection: freezing everything a test worker has made would keep it for good.
    os.environ.setdefault("SELFDIRECT_GC_THRESHOLD", "off")
