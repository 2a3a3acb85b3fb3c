from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "selfdirect.surveys"
    label = "surveys"
    verbose_name = "Outcome surveys"
