from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "selfdirect.recovery"
    label = "recovery"
    verbose_name = "Recovery of surplus"
