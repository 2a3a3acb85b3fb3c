from django.apps import AppConfig


class ChargingConfig(AppConfig):
    name = "selfdirect.charging"
    label = "charging"
    verbose_name = "Charging"

    def ready(self) -> None:
        from selfdirect.charging import receivers  # noqa: F401
