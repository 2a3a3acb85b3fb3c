"""/api/v1/people: the same rules as the pages — capabilities from access.rules, records
from access.selectors, validation by the pages' forms, changes through people.services."""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Paginator
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError

from selfdirect.access.selectors import acting_user, teams_of, user_can
from selfdirect.api.schemas import (
    PersonChanges,
    PersonOut,
    PersonPage,
    RelationshipIn,
    RelationshipOut,
)
from selfdirect.people import selectors, services
from selfdirect.people.forms import PERSON_DEFAULTS, PERSON_FIELDS, PersonForm, RelationshipForm
from selfdirect.people.models import Person, Relationship

router = Router(tags=["people"])
MAX_PAGE_SIZE = 100


class ListParams(Schema):
    q: str = ""
    page: int = 1
    page_size: int = 25


def _require(request: HttpRequest, capability: str) -> None:
    if not user_can(request.user, capability):
        raise HttpError(403, "Your role does not allow this")


def _field_errors(form: BaseForm) -> ValidationError:
    """Form errors in the shape ninja uses for its own 422s, one item per message."""
    return ValidationError(
        [
            {
                "loc": ["body", name if name != "__all__" else "__all__"],
                "msg": str(message),
                "type": "value_error",
            }
            for name, messages in form.errors.items()
            for message in messages
        ]
    )


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            data[name] = "on" if value else ""
        elif value is None:
            data[name] = ""
        else:
            data[name] = str(value) if not hasattr(value, "isoformat") else value.isoformat()
    return data


@router.get("/people", response=PersonPage, summary="Search the people you may see")
def people_list(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    _require(request, "person.search")
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise ValidationError(
            [
                {
                    "loc": ["query", "page_size"],
                    "msg": f"page_size must be from 1 to {MAX_PAGE_SIZE}",
                    "type": "value_error",
                }
            ]
        )
    people = selectors.person_list(user=request.user, query=params.q)
    paginator = Paginator(people, params.page_size)
    if params.page < 1 or (params.page > paginator.num_pages and params.page != 1):
        raise ValidationError(
            [
                {
                    "loc": ["query", "page"],
                    "msg": f"page must be from 1 to {paginator.num_pages}",
                    "type": "value_error",
                }
            ]
        )
    page = paginator.page(params.page)
    return {
        "items": list(page.object_list),
        "count": paginator.count,
        "page": params.page,
        "pages": max(1, math.ceil(paginator.count / params.page_size)),
    }


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def person_get(request: HttpRequest, person_id: int) -> Person:
    _require(request, "person.view")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    services.person_viewed(actor=acting_user(request.user), person=person)
    return person


def _teams(request: HttpRequest) -> Any:
    return teams_of(request.user)


@router.post("/people", response={201: PersonOut}, summary="Add a person")
def person_create(request: HttpRequest, payload: PersonChanges) -> Status[Person]:
    _require(request, "person.create")
    form = PersonForm(
        data=_form_data({**PERSON_DEFAULTS, **payload.dict(exclude_unset=True)}),
        teams=_teams(request),
    )
    if not form.is_valid():
        raise _field_errors(form)
    return Status(
        201, services.person_create(actor=acting_user(request.user), fields=form.cleaned_data)
    )


@router.patch(
    "/people/{person_id}", response=PersonOut, summary="Change some of a person's details"
)
def person_update(request: HttpRequest, person_id: int, payload: PersonChanges) -> Person:
    _require(request, "person.edit")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    current = model_to_dict(person, fields=PERSON_FIELDS)
    changes = payload.dict(exclude_unset=True)
    form = PersonForm(
        data=_form_data({**current, **changes}),
        instance=Person.objects.get(pk=person.pk),
        teams=_teams(request),
    )
    if not form.is_valid():
        raise _field_errors(form)
    fields = {name: form.cleaned_data[name] for name in changes}
    return services.person_update(
        actor=acting_user(request.user), person=Person.objects.get(pk=person.pk), fields=fields
    )


def _relationship_out(rel: Relationship) -> dict[str, Any]:
    return {
        **model_to_dict(rel, exclude=["person", "related_person"]),
        "id": rel.pk,
        "person_id": rel.person_id,
        "related_person_id": rel.related_person_id,
        "related_person_name": rel.related_person.full_name,
    }


@router.get(
    "/people/{person_id}/relationships",
    response=list[RelationshipOut],
    summary="A person's carers and representatives",
)
def relationships_list(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    _require(request, "person.view")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    return [_relationship_out(r) for r in person.relationships.all()]


@router.post(
    "/people/{person_id}/relationships",
    response={201: RelationshipOut},
    summary="Add a carer or representative",
)
def relationship_create(
    request: HttpRequest, person_id: int, payload: RelationshipIn
) -> Status[dict[str, Any]]:
    _require(request, "relationship.edit")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    form = RelationshipForm(data=_form_data(payload.dict()))
    if not form.is_valid():
        raise _field_errors(form)
    related = form.cleaned_data["related_la_person_id"]
    if related.pk == person.pk:
        raise ValidationError(
            [
                {
                    "loc": ["body", "related_la_person_id"],
                    "msg": "A person cannot be their own carer or representative",
                    "type": "value_error",
                }
            ]
        )
    rel = services.relationship_add(
        actor=acting_user(request.user),
        person=person,
        fields={**form.cleaned_data, "related_person": related},
    )
    return Status(201, _relationship_out(rel))
