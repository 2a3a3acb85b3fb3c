"""Checks on the arrays handed to the analysis: one answer per response in every column,
and only the codes the question allows. A bad column is refused with a message naming it
(selfdirect.refusals.Refused, ``field`` = the column's name); nothing is computed."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from selfdirect.refusals import Refused

WRONG_LENGTH = "{name} has {got} answers but there are {expected} responses: every column needs one answer per response."
OUT_OF_RANGE = "{name} has the code {code}, which is not one of the allowed codes ({allowed})."
NOT_A_COLUMN = "{name} must be a single column of whole-number codes, not a {shape} array."
WRONG_WIDTH = "{name} needs {expected} items per response but has {got}."
NO_RESPONSES = "There are no responses to analyse."


def codes(
    values: npt.ArrayLike,
    *,
    name: str,
    allowed: Iterable[int],
    expected: int | None = None,
    width: int | None = None,
) -> npt.NDArray[np.int16]:
    """``values`` as an int16 array, refused unless every code is in ``allowed``, it has
    ``expected`` rows (when given) and is one column (``width`` None) or ``width`` columns."""
    array = np.asarray(values)
    if array.dtype.kind == "b":
        array = array.astype(np.int16)
    if array.dtype.kind not in "iu":
        if (
            array.dtype.kind == "f"
            and np.all(np.isfinite(array))
            and np.all(array == np.round(array))
        ):
            array = array.astype(np.int64)
        else:
            bad = next((v for v in array.ravel() if not _whole(v)), array.dtype)
            raise Refused(
                OUT_OF_RANGE.format(name=name, code=bad, allowed=_list(allowed)), field=name
            )
    if width is None and array.ndim != 1:
        raise Refused(
            NOT_A_COLUMN.format(name=name, shape="x".join(map(str, array.shape))), field=name
        )
    if width is not None:
        if array.ndim != 2:
            raise Refused(WRONG_WIDTH.format(name=name, expected=width, got="one"), field=name)
        if array.shape[1] != width:
            raise Refused(
                WRONG_WIDTH.format(name=name, expected=width, got=array.shape[1]), field=name
            )
    if expected is not None and array.shape[0] != expected:
        raise Refused(
            WRONG_LENGTH.format(name=name, got=array.shape[0], expected=expected), field=name
        )
    allowed_sorted = sorted(set(allowed))
    bad_mask = ~np.isin(array, allowed_sorted)
    if bad_mask.any():
        code = array[bad_mask].ravel()[0]
        raise Refused(
            OUT_OF_RANGE.format(name=name, code=int(code), allowed=_list(allowed_sorted)),
            field=name,
        )
    return array.astype(np.int16, copy=False)


def _whole(value: object) -> bool:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(number) and number == round(number))


def _list(allowed: Iterable[int]) -> str:
    return ", ".join(str(v) for v in sorted(set(allowed)))
