from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "selfdirect.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from selfdirect.monitoring import receivers, services  # noqa: F401

        services.register()
