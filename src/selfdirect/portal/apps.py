from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "selfdirect.portal"
    label = "portal"
    verbose_name = "Portal and home pages"

    def ready(self) -> None:
        from selfdirect.portal import jobs

        jobs.register()
