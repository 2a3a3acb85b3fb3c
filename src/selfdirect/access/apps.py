from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "selfdirect.access"
    label = "access"
    verbose_name = "Users, teams and access"

    def ready(self) -> None:
        from selfdirect.access import signals  # noqa: F401
