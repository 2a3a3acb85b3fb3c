"""What other apps add to a provider's home page, without the provider pages importing them
(decision 0011, page_signals.page_additions).

``provider_home_shown`` is sent with ``provider`` (a Provider), ``user`` (its member of staff
reading the page), ``people`` (the ids of the people it supports now) and ``today``. A
receiver returns a dict; the provider's home reads these keys:

- ``"change_requests"``: the requests to change (a provider, or how a line is held) that
  concern this provider, as a list of dicts ``{"person": Person, "what": str, "status": str,
  "href": str}``, in the person's words. Only requests about the people in ``people``.
- ``"referrals"``: the referrals people made to the organisation (peer support), as
  ``{"waiting": int, "href": str}``: how many wait for its answer and where to answer them.

Until an app answers, the page says that no request to change concerns the provider.
"""

from __future__ import annotations

from django.dispatch import Signal

provider_home_shown = Signal()
