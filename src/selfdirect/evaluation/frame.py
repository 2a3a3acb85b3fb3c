"""From survey responses as dicts (keyed by item code, as the survey app gives them) to the
columns the analysis reads. Pluggable: anything that yields such dicts will do, e.g. the
survey app's responses or the synthetic survey (``synthetic.SyntheticSurvey.rows``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from selfdirect.refusals import Refused

MISSING = -1
CONSENT_KEY = "consent_to_report"
NOT_A_CODE = "Response {row}: {key} is {value!r}, not a whole-number code."


def columns(
    rows: Iterable[Mapping[str, object]],
    keys: Sequence[str],
    *,
    consent_key: str | None = CONSENT_KEY,
) -> dict[str, npt.NDArray[np.int16]]:
    """One int16 column per key. An item absent or None in a response is MISSING (-1).
    Only responses whose ``consent_key`` is True are kept (POET counts only those who
    agreed to their answers being used; pass None to keep every response). Codes are
    checked when the columns are analysed."""
    kept = [row for row in rows if consent_key is None or row.get(consent_key) is True]
    out = {key: np.full(len(kept), MISSING, dtype=np.int16) for key in keys}
    for i, row in enumerate(kept):
        for key in keys:
            value = row.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise Refused(NOT_A_CODE.format(row=i + 1, key=key, value=value), field=key)
            out[key][i] = int(value)
    return out
