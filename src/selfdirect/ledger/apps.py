from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "selfdirect.ledger"
    label = "ledger"
    verbose_name = "Ledger"
