"""The choice of what an outcomes report covers: the instrument version, a period and
whether to count proxy answers."""

from __future__ import annotations

from typing import Any

from django import forms

from selfdirect.forms_gov import GovDateField
from selfdirect.surveys.models import Instrument

UNTIL_BEFORE_SINCE = "The end of the period must be on or after its start"
PROXY_CHOICES = (
    ("include", "Include answers given by someone else on the person's behalf"),
    ("exclude", "Leave out answers given by someone else"),
)


class ReportChoiceForm(forms.Form):
    version = forms.ChoiceField(label="Version of the survey", required=False)
    since = GovDateField(label="From (optional)", required=False)
    until = GovDateField(label="To (optional)", required=False)
    proxy = forms.ChoiceField(
        label="Proxy answers",
        choices=PROXY_CHOICES,
        initial="include",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, versions: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(v.version): v for v in versions}
        version = self.fields["version"]
        assert isinstance(version, forms.ChoiceField)
        version.choices = [
            (str(v.version), f"Version {v.version} ({v.get_status_display().lower()})")
            for v in versions
        ]
        if versions:
            version.initial = str(versions[0].version)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", UNTIL_BEFORE_SINCE)
        return data
