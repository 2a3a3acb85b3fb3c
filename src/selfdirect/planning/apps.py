from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "selfdirect.planning"
    label = "planning"
    verbose_name = "Support planning"
