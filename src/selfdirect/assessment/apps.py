from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "selfdirect.assessment"
    label = "assessment"
    verbose_name = "Assessment and eligibility"
