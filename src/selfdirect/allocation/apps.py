from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "selfdirect.allocation"
    label = "allocation"
    verbose_name = "Resource Allocation System"

    def ready(self) -> None:
        from selfdirect.allocation import receivers  # noqa: F401
