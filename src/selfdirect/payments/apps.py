from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "selfdirect.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from selfdirect.payments import jobs, receivers  # noqa: F401

        jobs.register()
