"""Code lists for people, following the NHS England Adult Social Care Client Level Data
(CLD) specification, Release 1 names (see shared/domain/standards.md §2), so statutory
returns are a projection of these fields. Stored values are the CLD strings themselves.
"""

from __future__ import annotations

from django.db import models


class ClientType(models.TextChoices):
    SERVICE_USER = "Service User", "Service user"
    CARER = "Carer", "Carer"
    CARER_BY_ASSOCIATION = "Carer known by association", "Carer known by association"


class PrimarySupportReason(models.TextChoices):
    ACCESS_MOBILITY = (
        "Physical Support: Access & mobility only",
        "Physical support: access and mobility only",
    )
    PERSONAL_CARE = "Physical Support: Personal care support", "Physical support: personal care"
    VISUAL = "Sensory Support: Support for visual impairment", "Sensory support: visual impairment"
    HEARING = (
        "Sensory Support: Support for hearing impairment",
        "Sensory support: hearing impairment",
    )
    DUAL = "Sensory Support: Support for dual impairment", "Sensory support: dual impairment"
    MEMORY = "Support with Memory & Cognition", "Support with memory and cognition"
    LEARNING_DISABILITY = "Learning Disability Support", "Learning disability support"
    MENTAL_HEALTH = "Mental Health Support", "Mental health support"
    SUBSTANCE = "Social Support: Substance misuse support", "Social support: substance misuse"
    ASYLUM = "Social Support: Asylum seeker support", "Social support: asylum seeker"
    ISOLATION = (
        "Social Support: Support for Social Isolation/Other",
        "Social support: social isolation or other",
    )
    CARER = "Social Support: Support to Carer", "Social support: support to carer"
    UNKNOWN = "Not Known", "Not known"


class UserGroup(models.TextChoices):
    """The user groups a Resource Allocation System prices by (IBSEN's groups)."""

    OLDER = "older_people", "Older people"
    PHYSICAL = "physical_disability", "Physical disability"
    LEARNING = "learning_disability", "Learning disability"
    MENTAL_HEALTH = "mental_health", "Mental health"
    CARER = "carer", "Carer"


class Gender(models.TextChoices):
    # NHS Data Dictionary person stated gender codes.
    MALE = "1", "Male"
    FEMALE = "2", "Female"
    OTHER = "9", "Indeterminate or other"
    NOT_KNOWN = "0", "Not known"
    NOT_STATED = "X", "Not stated"


class Ethnicity(models.TextChoices):
    # NHS Data Dictionary ethnic category codes (2001 census classification).
    WHITE_BRITISH = "A", "White: British"
    WHITE_IRISH = "B", "White: Irish"
    WHITE_OTHER = "C", "White: Any other White background"
    MIXED_WHITE_CARIBBEAN = "D", "Mixed: White and Black Caribbean"
    MIXED_WHITE_AFRICAN = "E", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed: White and Asian"
    MIXED_OTHER = "G", "Mixed: Any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British: Any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British: African"
    BLACK_OTHER = "P", "Black or Black British: Any other Black background"
    CHINESE = "R", "Other ethnic groups: Chinese"
    OTHER = "S", "Other ethnic groups: Any other ethnic group"
    NOT_STATED = "Z", "Not stated"
    NOT_KNOWN = "99", "Not known"


class AccommodationStatus(models.TextChoices):
    OWNER = "Owner occupier or shared ownership scheme", "Owner occupier or shared ownership"
    TENANT_COUNCIL = (
        "Tenant - Local Authority/Arms Length Management Organisation/Registered Social Landlord/Housing Association",
        "Tenant: council or housing association",
    )
    TENANT_PRIVATE = "Tenant - private landlord", "Tenant: private landlord"
    FAMILY = (
        "Settled mainstream housing with family/friends",
        "Settled mainstream housing with family or friends",
    )
    SUPPORTED = (
        "Supported accommodation/Supported lodgings/Supported group home",
        "Supported accommodation",
    )
    SHARED_LIVES = "Shared Lives scheme", "Shared Lives scheme"
    SHELTERED = (
        "Sheltered housing/extra care housing/other sheltered housing",
        "Sheltered or extra care housing",
    )
    CARE_HOME = "Registered care home", "Registered care home"
    NURSING_HOME = "Registered nursing home", "Registered nursing home"
    TEMPORARY = "Other temporary accommodation", "Other temporary accommodation"
    ROUGH_SLEEPER = "Rough sleeper/squatting", "Rough sleeper or squatting"
    PRISON = "Prison/Young offenders institution/detention centre", "Prison or detention centre"
    UNKNOWN = "Unknown", "Unknown"


class EmploymentStatus(models.TextChoices):
    NOT_SEEKING = (
        "Not in Paid Employment (not actively seeking work / retired)",
        "Not in paid work: not seeking work or retired",
    )
    SEEKING = "Not in Paid Employment (seeking work)", "Not in paid work: seeking work"
    VOLUNTARY = (
        "Not in Paid Employment (voluntary work only)",
        "Not in paid work: voluntary work only",
    )
    PAID_16_PLUS = "Paid: 16 or more hours a week", "Paid: 16 or more hours a week"
    PAID_UNKNOWN = "Paid: Hours per week unknown", "Paid: hours a week unknown"
    PAID_UNDER_16 = "Paid: Less than 16 hours a week", "Paid: less than 16 hours a week"
    UNKNOWN = "Unknown", "Unknown"


class YesNoUnknown(models.TextChoices):
    YES = "Y", "Yes"
    NO = "N", "No"
    UNKNOWN = "U", "Unknown"


class ContactMethod(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    IN_PERSON = "in_person", "In person"


class RelationshipKind(models.TextChoices):
    UNPAID_CARER = "unpaid_carer", "Unpaid carer"
    NOMINATED_PERSON = "nominated_person", "Representative: nominated person"
    AUTHORISED_PERSON = "authorised_person", "Representative: authorised person"
    ADVOCATE = "advocate", "Independent advocate"
    FAMILY = "family", "Family member or friend"


# Kinds that make the related person a representative able to act for the person.
REPRESENTATIVE_KINDS = frozenset(
    {RelationshipKind.NOMINATED_PERSON, RelationshipKind.AUTHORISED_PERSON}
)


class LegalBasis(models.TextChoices):
    """Why someone may act for the person (Care Act s.32 and the Mental Capacity Act 2005)."""

    NONE = "", "Not applicable"
    PERSON_NOMINATED = "person_nominated", "Nominated by the person, who has capacity"
    LPA_HEALTH_WELFARE = "lpa_health_welfare", "Lasting power of attorney: health and welfare"
    LPA_PROPERTY_FINANCE = (
        "lpa_property_finance",
        "Lasting power of attorney: property and financial affairs",
    )
    DEPUTY = "court_deputy", "Deputy appointed by the Court of Protection"
    COUNCIL_AUTHORISED = "council_authorised", "Authorised by the council (person lacks capacity)"
    CARE_ACT_ADVOCACY = "care_act_advocacy", "Care Act independent advocacy duty"


class ConsentPurpose(models.TextChoices):
    SHARE_WITH_CARERS = "share_with_carers", "Share my record with my carers"
    SHARE_WITH_NHS = "share_with_nhs", "Share information with NHS services"
    SHARE_WITH_PROVIDERS = "share_with_providers", "Share my support details with my providers"
    RESEARCH = "research", "Take part in surveys and research"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
