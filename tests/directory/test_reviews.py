"""Holders rate and review services of providers that support or supported them; a
commissioner checks each review before it is published; the provider may reply."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from selfdirect.audit.models import Event
from selfdirect.directory.models import ServiceReview
from selfdirect.directory.services import (
    NOT_PUBLISHED,
    NOT_SUPPORTED,
    NOT_YOUR_REVIEW,
    DirectoryRefused,
    review_moderate,
    review_reply,
    review_write,
)
from selfdirect.providers.models import Provider
from tests.directory.builders import service_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_service(council: Any) -> Any:
    return service_build(provider=Provider.objects.get(name="Acme Care"), name="Acme Home Care")


def test_a_holder_reviews_and_it_shows_once_published(
    client: Any, council: Any, acme_service: Any
) -> None:
    client.force_login(council.users["holder"])
    url = reverse("directory:review_new", args=[acme_service.pk])
    response = client.post(
        url, {"person": council.holder_person.pk, "rating": "4", "text": "Always on time"}
    )
    assert response.status_code == 302
    review = ServiceReview.objects.get()
    assert (review.person, review.rating, review.status) == (council.holder_person, 4, "waiting")
    page = reverse("directory:service", args=[acme_service.pk])
    assert "Always on time" not in client.get(page).content.decode()

    review_moderate(actor=council.users["commissioner"], review_id=review.pk, publish=True)
    text = client.get(page).content.decode()
    assert "Always on time" in text and "4 out of 5" in text
    assert "Holder" not in text  # no name is shown
    assert (
        Event.objects.filter(
            object_type="servicereview", person_id=council.holder_person.pk
        ).count()
        == 2
    )


def test_a_representative_reviews_for_the_person_they_act_for(
    client: Any, council: Any, acme_service: Any
) -> None:
    client.force_login(council.users["representative"])
    url = reverse("directory:review_new", args=[acme_service.pk])
    client.post(url, {"person": council.holder_person.pk, "rating": "5", "text": "Good"})
    review = ServiceReview.objects.get()
    assert review.person == council.holder_person
    assert review.written_by == council.users["representative"]


def test_only_a_service_of_a_provider_that_supported_the_person(client: Any, council: Any) -> None:
    other = service_build(name="Never Used Care")
    client.force_login(council.users["holder"])
    url = reverse("directory:review_new", args=[other.pk])
    response = client.post(url, {"person": council.holder_person.pk, "rating": "1", "text": "Bad"})
    assert NOT_SUPPORTED in response.content.decode()
    assert not ServiceReview.objects.exists()
    with pytest.raises(DirectoryRefused, match=NOT_SUPPORTED):
        review_write(
            actor=council.users["holder"],
            person=council.holder_person,
            service=other,
            rating=1,
            text="Bad",
        )


def test_a_missing_rating_is_an_error_on_the_form(
    client: Any, council: Any, acme_service: Any
) -> None:
    client.force_login(council.users["holder"])
    url = reverse("directory:review_new", args=[acme_service.pk])
    response = client.post(url, {"person": council.holder_person.pk, "text": "Fine"})
    assert "Choose a rating from 1 to 5" in response.content.decode()
    assert not ServiceReview.objects.exists()


def test_a_rejected_review_is_never_shown(client: Any, council: Any, acme_service: Any) -> None:
    review = review_write(
        actor=council.users["holder"],
        person=council.holder_person,
        service=acme_service,
        rating=1,
        text="Names a carer",
    )
    review_moderate(actor=council.users["commissioner"], review_id=review.pk, publish=False)
    page = client.get(reverse("directory:service", args=[acme_service.pk])).content.decode()
    assert "Names a carer" not in page


def test_the_provider_replies_to_a_published_review_of_its_own_service(
    client: Any, council: Any, acme_service: Any
) -> None:
    review = review_write(
        actor=council.users["holder"],
        person=council.holder_person,
        service=acme_service,
        rating=3,
        text="Sometimes late",
    )
    provider_id = acme_service.organization_id
    with pytest.raises(DirectoryRefused, match=NOT_PUBLISHED):
        review_reply(
            actor=council.users["provider"], provider_id=provider_id, review=review, reply="Sorry"
        )
    review_moderate(actor=council.users["commissioner"], review_id=review.pk, publish=True)
    client.force_login(council.users["provider"])
    client.post(
        reverse("directory:review_reply", args=[review.pk]), {"reply": "We have added a round"}
    )
    page = client.get(reverse("directory:service", args=[acme_service.pk])).content.decode()
    assert "Reply from Acme Care: We have added a round" in page
    with pytest.raises(DirectoryRefused, match=NOT_YOUR_REVIEW):
        review_reply(
            actor=council.users["provider"],
            provider_id=provider_id + 1000,
            review=review,
            reply="X",
        )


def test_the_person_is_told_when_their_review_is_decided(council: Any, acme_service: Any) -> None:
    from selfdirect.notify.models import Message

    review = review_write(
        actor=council.users["holder"],
        person=council.holder_person,
        service=acme_service,
        rating=5,
        text="Lovely",
    )
    review_moderate(actor=council.users["commissioner"], review_id=review.pk, publish=True)
    subjects = {
        m.recipient.username: m.subject
        for m in Message.objects.filter(person=council.holder_person)
    }
    assert subjects["holder"] == "Your review of Acme Home Care is published"
    assert subjects["representative"] == "Ada's review of Acme Home Care is published"


def test_a_review_is_in_the_persons_whole_record_export(council: Any, acme_service: Any) -> None:
    import json

    from selfdirect.portal.record_export import person_record

    review_write(
        actor=council.users["holder"],
        person=council.holder_person,
        service=acme_service,
        rating=4,
        text="Kind",
    )
    record = json.loads(json.dumps(person_record(council.holder_person)))
    exported = record["service_reviews"][0]
    assert exported["service_id"] == str(acme_service.pk)
    assert (exported["rating"], exported["text"]) == (4, "Kind")
