from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "selfdirect.employers"
    label = "employers"
    verbose_name = "Personal-assistant employers"

    def ready(self) -> None:
        from selfdirect.employers import receivers  # noqa: F401
