from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "selfdirect.surveys"
    label = "surveys"
    verbose_name = "Outcome surveys"

    def ready(self) -> None:
        from selfdirect.surveys import jobs

        jobs.register()
