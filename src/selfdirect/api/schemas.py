"""API schemas: people and relationships, with Client Level Data code values as strings."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import StrictBool

from selfdirect.api.common import DateText, Id, text
from selfdirect.people.forms import PersonForm, RelationshipForm


class PersonOut(Schema):
    id: int
    la_person_id: str
    nhs_number: str | None
    given_name: str
    family_name: str
    date_of_birth: dt.date
    date_of_death: dt.date | None
    gender: str
    ethnicity: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    phone: str
    email: str
    client_type: str
    primary_support_reason: str
    user_group: str
    accommodation_status: str
    employment_status: str
    has_unpaid_carer: str
    autism: str
    visual_impairment: str
    hearing_impairment: str
    dementia: str
    needs_easy_read: bool
    needs_large_print: bool
    needs_bsl: bool
    interpreter_language: str
    preferred_contact_method: str
    communication_notes: str
    communication_needs: list[str]
    team: int | None = Field(None, alias="team_id")
    updated_at: dt.datetime


class PersonChanges(Schema):
    """Fields to set; on PATCH only those given change (at least one). Dates as YYYY-MM-DD."""

    given_name: str | None = text(PersonForm, "given_name", None)
    family_name: str | None = text(PersonForm, "family_name", None)
    date_of_birth: DateText | None = None
    date_of_death: DateText | None = None
    nhs_number: str | None = text(PersonForm, "nhs_number", None)
    gender: str | None = text(PersonForm, "gender", None)
    ethnicity: str | None = text(PersonForm, "ethnicity", None)
    address_line_1: str | None = text(PersonForm, "address_line_1", None)
    address_line_2: str | None = text(PersonForm, "address_line_2", None)
    town: str | None = text(PersonForm, "town", None)
    postcode: str | None = text(PersonForm, "postcode", None)
    phone: str | None = text(PersonForm, "phone", None)
    email: str | None = text(PersonForm, "email", None)
    client_type: str | None = text(PersonForm, "client_type", None)
    primary_support_reason: str | None = text(PersonForm, "primary_support_reason", None)
    user_group: str | None = text(PersonForm, "user_group", None)
    accommodation_status: str | None = text(PersonForm, "accommodation_status", None)
    employment_status: str | None = text(PersonForm, "employment_status", None)
    has_unpaid_carer: str | None = text(PersonForm, "has_unpaid_carer", None)
    autism: str | None = text(PersonForm, "autism", None)
    visual_impairment: str | None = text(PersonForm, "visual_impairment", None)
    hearing_impairment: str | None = text(PersonForm, "hearing_impairment", None)
    dementia: str | None = text(PersonForm, "dementia", None)
    needs_easy_read: StrictBool | None = None
    needs_large_print: StrictBool | None = None
    needs_bsl: StrictBool | None = None
    interpreter_language: str | None = text(PersonForm, "interpreter_language", None)
    preferred_contact_method: str | None = text(PersonForm, "preferred_contact_method", None)
    communication_notes: str | None = text(PersonForm, "communication_notes", None)
    team: Id | None = None


class PersonPage(Schema):
    items: list[PersonOut]
    count: int
    page: int
    pages: int


class RelationshipOut(Schema):
    id: int
    person_id: int
    related_person_id: int
    related_person_name: str
    kind: str
    legal_basis: str
    description: str
    is_main_carer: bool
    shares_household: bool
    can_see_record: bool
    start_date: dt.date
    end_date: dt.date | None


class RelationshipIn(Schema):
    """Required fields are checked with the page's form after the permission check, so a
    caller without access learns nothing from validation messages."""

    related_la_person_id: str = Field("", max_length=20)
    kind: str = text(RelationshipForm, "kind")
    legal_basis: str = text(RelationshipForm, "legal_basis")
    description: str = text(RelationshipForm, "description")
    is_main_carer: StrictBool = False
    shares_household: StrictBool = False
    can_see_record: StrictBool = False
    start_date: DateText = ""
