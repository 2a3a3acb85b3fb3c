"""Making a statutory return: the rows are built by ``cld``; making the return is a look at
every person in it, so each person's audit log shows they were sent to NHS England."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from selfdirect.audit.services import looks_record
from selfdirect.returns.cld import CldReturn, Period, cld_build


@transaction.atomic
def cld_return_make(*, period: Period, actor: User | AnonymousUser | None = None) -> CldReturn:
    """The CLD return for ``period``, with a look recorded for each person in it."""
    result = cld_build(period)
    looks_record(
        actor=actor,
        people=result.person_ids,
        summary=f"NHS England Client Level Data return for {period}",
    )
    return result
