from __future__ import annotations

from typing import Any

import pytest

from selfdirect.assessment.models import Questionnaire
from selfdirect.assessment.services import questionnaires_install_defaults


@pytest.fixture
def questionnaires(db: Any) -> dict[str, Questionnaire]:
    questionnaires_install_defaults()
    return {q.kind: q for q in Questionnaire.objects.all()}
