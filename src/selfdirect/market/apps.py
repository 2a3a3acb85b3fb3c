from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "selfdirect.market"
    label = "market"
    verbose_name = "Market oversight"
