from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "selfdirect.budgets"
    label = "budgets"
    verbose_name = "Ways of holding the budget"

    def ready(self) -> None:
        from selfdirect.budgets import receivers  # noqa: F401
