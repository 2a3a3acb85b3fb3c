from django.apps import AppConfig


class NotifyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "selfdirect.notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from selfdirect.notify import receivers  # noqa: F401
