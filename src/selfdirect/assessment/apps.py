from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "selfdirect.assessment"
    label = "assessment"
    verbose_name = "Assessment and eligibility"

    def ready(self) -> None:
        from selfdirect.assessment import receivers  # noqa: F401
