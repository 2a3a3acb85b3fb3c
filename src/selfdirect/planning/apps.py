from typing import Any

from django.apps import AppConfig
from django.core import checks


class PlanningConfig(AppConfig):
    name = "selfdirect.planning"
    label = "planning"
    verbose_name = "Support planning"

    def ready(self) -> None:
        from selfdirect.planning import receivers  # noqa: F401

        checks.register(review_timescales_check, checks.Tags.compatibility)


def review_timescales_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A council's review timescales outside the law stop the service at start-up, with the
    reason, rather than when a plan is approved."""
    from selfdirect.planning.services import review_days

    try:
        review_days()
    except (ValueError, KeyError) as wrong:
        return [checks.Error(str(wrong), id="selfdirect.E001")]
    return []
