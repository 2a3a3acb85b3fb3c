"""Referrals to support and user-led organisations (issue 14): listed by the help they give
(holders-experience REQ-36, REQ-55), "Ask them to contact me" shares only the details
ticked, the organisation (its provider sign-in) accepts or declines with a reason on its
provider pages, and the person is told."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Event
from selfdirect.directory.models import Taxonomy, TaxonomyTerm
from selfdirect.notify.models import Message
from selfdirect.peers import services as S
from selfdirect.peers.models import Referral
from selfdirect.peers.rules import HELP_TAXONOMY_ID, HELP_TERMS
from selfdirect.providers.models import Provider
from tests.directory.builders import service_build
from tests.peers.builders import support_service

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _acme(council: Any) -> Provider:
    return council.users[Role.PROVIDER].profile.provider


def test_the_help_terms_are_shipped_as_directory_terms() -> None:
    """The data migration ships the same terms as peers.rules, with their fixed ids."""
    assert Taxonomy.objects.filter(pk=HELP_TAXONOMY_ID).exists()
    shipped = {
        (str(t.pk), t.code, t.name, t.synonyms)
        for t in TaxonomyTerm.objects.filter(taxonomy_id=HELP_TAXONOMY_ID)
    }
    assert shipped == set(HELP_TERMS)


def test_req55_support_organisations_are_listed_by_the_help_they_give(council: Any) -> None:
    ada = council.holder_person
    support_service(code="help.payroll", name="Ring Payroll")
    support_service(code="help.advocacy", name="Speak Up Dalesham")
    service_build(name="Morning Care at Home")  # home care: not a support organisation
    holder = _as(council.users[Role.HOLDER])
    url = reverse("peers:support", args=[ada.pk])
    page = _text(holder.get(url).content.decode())
    assert "Ring Payroll" in page and "Speak Up Dalesham" in page
    assert "Morning Care at Home" not in page and "Helps with: Payroll" in page
    page = _text(holder.get(url, {"help": "help.advocacy"}).content.decode())
    assert "Speak Up Dalesham" in page and "Ring Payroll" not in page


def test_holder_refers_and_the_provider_accepts_and_the_holder_is_told(council: Any) -> None:
    ada = council.holder_person
    ada.phone, ada.email = "07700 900456", "ada@example.org"
    ada.save()
    service = support_service(provider=_acme(council))
    holder = _as(council.users[Role.HOLDER])
    answer = holder.post(
        reverse("peers:refer", args=[ada.pk, service.pk]),
        {"share": ["name", "phone"], "help_wanted": "Help to plan", "consent": "on"},
    )
    assert answer.status_code == 302
    referral = Referral.objects.get()
    assert referral.shared == {"name": "Ada Holder", "phone": "07700 900456"}
    assert referral.provider == _acme(council)
    provider = _as(council.users[Role.PROVIDER])
    home = provider.get(reverse("provider:home")).content.decode()
    assert "People asking you to contact them: 1" in home
    listed = _text(provider.get(reverse("peer_referrals:list")).content.decode())
    assert "Ada Holder" in listed
    page = _text(
        provider.get(reverse("peer_referrals:decide", args=[referral.pk])).content.decode()
    )
    assert "07700 900456" in page and "ada@example.org" not in page
    answer = provider.post(
        reverse("peer_referrals:decide", args=[referral.pk]),
        {"accept": "yes", "reason": "We will ring on Monday."},
    )
    assert answer.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    told = Message.objects.get(recipient=council.users[Role.HOLDER], key__startswith="referral")
    assert told.subject == "Ring Brokerage will get in touch about your request"
    changes = Event.objects.filter(object_type="referral", person_id=ada.pk).exclude(action="view")
    assert sorted(changes.values_list("action", flat=True)) == ["create", "update"]


def test_declining_needs_a_reason_and_the_person_reads_it(council: Any) -> None:
    ada = council.holder_person
    ada.phone = "07700 900456"
    ada.save()
    service = support_service(provider=_acme(council))
    referral = S.referral_make(
        actor=council.users[Role.PRACTITIONER],
        person=ada,
        service=service,
        share=["name", "phone"],
        help_wanted="Payroll",
        consent=True,
    )
    assert referral.asked_as == "staff"
    provider = _as(council.users[Role.PROVIDER])
    url = reverse("peer_referrals:decide", args=[referral.pk])
    page = provider.post(url, {"accept": "no", "reason": ""})
    assert page.status_code == 200 and S.DECLINE_REASON_NEEDED in page.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING
    provider.post(url, {"accept": "no", "reason": "We only work in Northam."})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
    page = _text(
        _as(council.users[Role.HOLDER]).get(reverse("peers:person", args=[ada.pk])).content.decode()
    )
    assert "We only work in Northam." in page


@pytest.mark.parametrize(
    ("share", "consent", "refusal", "field"),
    [
        (["name"], True, S.SHARE_NEEDED, "share"),
        (["name", "email"], True, S.SHARE_EMPTY.format(what="email address"), "share"),
        (["name", "phone"], False, S.CONSENT_NEEDED, "consent"),
        (["name", "bank"], True, S.SHARE_UNKNOWN, "share"),
    ],
)
def test_referral_refusals_name_the_field_and_share_nothing(
    council: Any, share: list[str], consent: bool, refusal: str, field: str
) -> None:
    ada = council.holder_person
    ada.phone, ada.email = "07700 900456", ""
    ada.save()
    service = support_service(provider=_acme(council))
    with pytest.raises(S.PeerError) as refused:
        S.referral_make(
            actor=council.users[Role.HOLDER],
            person=ada,
            service=service,
            share=share,
            help_wanted="Help",
            consent=consent,
        )
    assert str(refused.value) == refusal and refused.value.field == field
    assert not Referral.objects.exists()


def test_a_service_that_is_not_a_support_organisation_cannot_be_referred_to(
    council: Any,
) -> None:
    ada = council.holder_person
    home_care = service_build(provider=_acme(council))
    answer = _as(council.users[Role.HOLDER]).get(
        reverse("peers:refer", args=[ada.pk, home_care.pk])
    )
    assert answer.status_code == 404
    with pytest.raises(S.PeerError, match=S.SERVICE_NOT_SUPPORT):
        S.referral_make(
            actor=council.users[Role.HOLDER],
            person=ada,
            service=home_care,
            share=["name", "phone"],
            help_wanted="Help",
            consent=True,
        )


def test_another_organisation_cannot_see_or_answer_the_referral(council: Any) -> None:
    ada = council.holder_person
    ada.phone = "07700 900456"
    ada.save()
    elsewhere = Provider.objects.create(name="Elsewhere Brokerage")
    referral = S.referral_make(
        actor=council.users[Role.HOLDER],
        person=ada,
        service=support_service(provider=elsewhere),
        share=["name", "phone"],
        help_wanted="Help",
        consent=True,
    )
    provider = _as(council.users[Role.PROVIDER])
    assert "Ada Holder" not in provider.get(reverse("peer_referrals:list")).content.decode()
    url = reverse("peer_referrals:decide", args=[referral.pk])
    assert provider.post(url, {"accept": "yes"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING


def test_the_provider_home_answer_is_for_the_providers_staff_only(council: Any) -> None:
    """The count on the provider's home comes through its page signal, for its own staff."""
    import datetime as dt

    from selfdirect.providers.signals import provider_home_shown

    ada = council.holder_person
    ada.phone = "07700 900456"
    ada.save()
    S.referral_make(
        actor=council.users[Role.HOLDER],
        person=ada,
        service=support_service(provider=_acme(council)),
        share=["name", "phone"],
        help_wanted="Help",
        consent=True,
    )
    for role, expect in ((Role.PROVIDER, [1]), (Role.PRACTITIONER, [])):
        answers = provider_home_shown.send(
            sender=Provider,
            provider=_acme(council),
            user=council.users[role],
            people=set(),
            today=dt.date.today(),
        )
        counts = [a["referrals"]["waiting"] for _r, a in answers if "referrals" in a]
        assert counts == expect, role
