"""Survey responses as dicts become the analysis's columns: blanks missing, only consenting
responses counted, and a non-code refused by name."""

from __future__ import annotations

import numpy as np
import pytest

from selfdirect.evaluation import frame, poet, synthetic
from selfdirect.refusals import Refused


def test_rows_become_columns_with_blanks_missing_and_only_consenting_responses() -> None:
    rows = [
        {"consent_to_report": True, "dignity": 5, "spent_pa": 1},
        {"consent_to_report": False, "dignity": 1, "spent_pa": 0},  # did not agree: left out
        {"consent_to_report": True, "dignity": None},  # spent_pa not asked, dignity blank
        {"dignity": 4, "spent_pa": 1},  # no consent recorded: left out
    ]
    out = frame.columns(rows, ["dignity", "spent_pa"])
    assert out["dignity"].tolist() == [5, -1] and out["spent_pa"].tolist() == [1, -1]
    assert frame.columns(rows, ["dignity"], consent_key=None)["dignity"].tolist() == [5, 1, -1, 4]


def test_a_value_that_is_not_a_code_is_refused_by_name() -> None:
    with pytest.raises(Refused) as refused:
        frame.columns([{"consent_to_report": True, "dignity": "better"}], ["dignity"])
    assert str(refused.value) == "Response 1: dignity is 'better', not a whole-number code."
    assert refused.value.field == "dignity"


def test_the_synthetic_survey_through_the_adapter_gives_the_same_tables() -> None:
    survey = synthetic.generate(2_000, seed=9)
    keys = [*survey.factors, *survey.outcomes]
    cols = frame.columns(survey.rows(), keys)
    for key in survey.factors:
        assert np.array_equal(cols[key], survey.factors[key])
    direct = poet.association_table(survey.factors, survey.outcomes, factor_order=poet.TABLES[6])
    adapted = poet.association_table(cols, cols, factor_order=poet.TABLES[6])
    assert adapted.rows() == direct.rows()
