"""/api/v1/people: the same rules as the pages — capabilities from access.rules, records
from people.selectors, validation by the pages' forms, changes through people.services."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError

from selfdirect.access.selectors import acting_user, teams_of
from selfdirect.api.common import (
    NOTHING_TO_CHANGE,
    form_data,
    form_errors,
    page_of,
    problem,
    require,
    responses,
)
from selfdirect.api.schemas import (
    PersonChanges,
    PersonOut,
    PersonPage,
    RelationshipIn,
    RelationshipOut,
)
from selfdirect.audit.services import look_record, looks_record
from selfdirect.people import selectors, services
from selfdirect.people.forms import PERSON_DEFAULTS, PERSON_FIELDS, PersonForm, RelationshipForm
from selfdirect.people.models import Person, Relationship

router = Router(tags=["people"])


class ListParams(Schema):
    q: str = ""
    page: int = 1
    page_size: int = 25


@router.get("/people", response=responses(PersonPage), summary="Search the people you may see")
def people_list(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    require(request, "person.search")
    people = selectors.person_list(user=request.user, query=params.q)
    items, count, pages = page_of(people, params.page, params.page_size)
    looks_record(actor=request.user, people=items, summary="Appeared in search results")
    return {"items": items, "count": count, "page": params.page, "pages": pages}


@router.get("/people/{person_id}", response=responses(PersonOut), summary="One person")
def person_get(request: HttpRequest, person_id: int) -> Person:
    require(request, "person.record")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    look_record(actor=request.user, record=person, summary="Record")
    return person


def _teams(request: HttpRequest) -> Any:
    return teams_of(request.user)


@router.post("/people", response=responses(PersonOut, 201), summary="Add a person")
def person_create(request: HttpRequest, payload: PersonChanges) -> Status[Person]:
    require(request, "person.create")
    form = PersonForm(
        data=form_data({**PERSON_DEFAULTS, **payload.dict(exclude_unset=True)}),
        teams=_teams(request),
    )
    if not form.is_valid():
        raise form_errors(form)
    return Status(
        201, services.person_create(actor=acting_user(request.user), fields=form.cleaned_data)
    )


@router.patch(
    "/people/{person_id}",
    response=responses(PersonOut),
    summary="Change some of a person's details",
)
def person_update(request: HttpRequest, person_id: int, payload: PersonChanges) -> Person:
    require(request, "person.edit")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    current = model_to_dict(person, fields=PERSON_FIELDS)
    changes = payload.dict(exclude_unset=True)
    if not changes:
        raise problem("", NOTHING_TO_CHANGE)
    form = PersonForm(
        data=form_data({**current, **changes}),
        instance=Person.objects.get(pk=person.pk),
        teams=_teams(request),
    )
    if not form.is_valid():
        raise form_errors(form)
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
    response=responses(list[RelationshipOut]),
    summary="A person's carers and representatives",
)
def relationships_list(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    require(request, "person.record")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    look_record(actor=request.user, record=person, summary="Carers and representatives")
    return [_relationship_out(r) for r in person.relationships.all()]


@router.post(
    "/people/{person_id}/relationships",
    response=responses(RelationshipOut, 201),
    summary="Add a carer or representative",
)
def relationship_create(
    request: HttpRequest, person_id: int, payload: RelationshipIn
) -> Status[dict[str, Any]]:
    require(request, "relationship.edit")
    person = selectors.person_detail(user=request.user, person_id=person_id)
    form = RelationshipForm(
        data=form_data(payload.dict()), linkable=selectors.people_linkable_by(request.user)
    )
    if not form.is_valid():
        raise form_errors(form)
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
