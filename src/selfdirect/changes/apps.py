from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "selfdirect.changes"
    label = "changes"
    verbose_name = "Requests to change provider or way of holding"

    def ready(self) -> None:
        from selfdirect.changes import receivers  # noqa: F401
