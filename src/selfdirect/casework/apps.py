from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "selfdirect.casework"
    label = "casework"
    verbose_name = "Casework: the front door and case notes"

    def ready(self) -> None:
        from selfdirect.casework import receivers  # noqa: F401
