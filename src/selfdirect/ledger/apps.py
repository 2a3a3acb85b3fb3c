from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "selfdirect.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from selfdirect.ledger import receivers  # noqa: F401
