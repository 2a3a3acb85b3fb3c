from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "selfdirect.operations"
    label = "operations"
    verbose_name = "Operations (backups and restoring)"
