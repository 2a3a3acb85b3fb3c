from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "selfdirect.recovery"
    label = "recovery"
    verbose_name = "Recovery of surplus"

    def ready(self) -> None:
        from selfdirect.recovery import receivers  # noqa: F401
