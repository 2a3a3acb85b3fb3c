"""Letters in the format a reader asks for (issue 13, docs/easy-read.md, decision 0041).

A letter comes in large print and with its easy-read part first when the person's recorded
communication needs say so (Person.needs_large_print, needs_easy_read). Anyone who may read
the letter can also ask for either format on request, with ``?print=large`` or
``?version=easy-read`` on the letter's address. This context processor tells every letter
template what was asked for; the letters read ``large_print`` and ``easy_read_letter``
beside the person's needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

LARGE_PRINT = "large"
EASY_READ = "easy-read"


def asked_for(request: HttpRequest | None) -> dict[str, bool]:
    get = request.GET if request is not None else {}
    return {
        "large_print": get.get("print") == LARGE_PRINT,
        "easy_read_letter": get.get("version") == EASY_READ,
    }


def letter_formats(request: HttpRequest) -> dict[str, Any]:
    return asked_for(request)
