"""A request to look again that came by phone, letter or in person: staff take it down
for the person, naming the channel and who asked; the person sees it in their portal
like one they sent, and a manager decides it as any other."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.access.models import WorkItem
from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Challenge
from selfdirect.audit.models import Event
from tests.allocation.test_allocations import _agree

pytestmark = pytest.mark.django_db


def _allocation(council: Any) -> Any:
    return services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )


def test_a_phone_request_is_logged_for_the_person_who_sees_it(client: Any, council: Any) -> None:
    allocation = _allocation(council)
    client.force_login(council.users[Role.PRACTITIONER])
    detail = reverse("allocation:detail", args=[allocation.pk])
    log = reverse("allocation:challenge_log", args=[allocation.pk])
    assert f'href="{log}"' in client.get(detail).content.decode()
    page = client.post(log, {"channel": "phone"}).content.decode()
    assert "<title>Error: " in page
    assert services.CHALLENGE_WHO_ASKED_NEEDED in page
    assert "Enter why they think the amount is wrong" in page
    assert not Challenge.objects.exists()
    response = client.post(
        log,
        {
            "channel": "phone",
            "taken_from": "Rita Rep, her nominated person",
            "reasons": "She needs help at night now.",
        },
    )
    assert response.url == detail
    challenge = Challenge.objects.get()
    assert (challenge.channel, challenge.taken_from) == ("phone", "Rita Rep, her nominated person")
    assert challenge.raised_by == council.users[Role.PRACTITIONER]
    assert WorkItem.objects.filter(kind="challenge", person=council.holder_person).exists()
    event = Event.objects.get(object_type="challenge", action="create")
    assert event.changes["Channel"] == [None, "By phone"]
    assert event.changes["Taken from"] == [None, "Rita Rep, her nominated person"]
    # Only one open request at a time, whoever takes it down.
    assert f'href="{log}"' not in client.get(detail).content.decode()
    client.force_login(council.users[Role.HOLDER])
    page = client.get(detail).content.decode()
    assert "She needs help at night now." in page
    assert "By phone, from Rita Rep, her nominated person" in page


@pytest.mark.parametrize(
    ("channel", "taken_from", "message"),
    [
        ("phone", "  ", services.CHALLENGE_WHO_ASKED_NEEDED),
        ("fax", "Ada", services.CHALLENGE_CHANNEL_NEEDED),
    ],
)
def test_the_service_refuses_without_channel_or_who_asked(
    council: Any, channel: str, taken_from: str, message: str
) -> None:
    allocation = _allocation(council)
    with pytest.raises(services.AllocationError, match=message):
        services.challenge_raise(
            actor=council.users[Role.PRACTITIONER],
            allocation=allocation,
            reasons="Too low",
            channel=channel,
            taken_from=taken_from,
        )
    assert not Challenge.objects.exists()


def test_a_request_from_the_portal_is_online_and_names_no_one(council: Any) -> None:
    challenge = services.challenge_raise(
        actor=council.users[Role.HOLDER], allocation=_allocation(council), reasons="Too low"
    )
    assert (challenge.channel, challenge.taken_from) == ("online", "")
