from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "selfdirect.invoices"
    label = "invoices"
    verbose_name = "Provider invoices"
