from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "selfdirect.returns"
    label = "returns"
    verbose_name = "Statutory returns: NHS England Client Level Data and ASCOF"

    def ready(self) -> None:
        from selfdirect.returns import jobs

        jobs.register()
