from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "selfdirect.peers"
    label = "peers"
    verbose_name = "Peer support: budget buddies and referrals to support organisations"

    def ready(self) -> None:
        from selfdirect.peers import receivers  # noqa: F401
