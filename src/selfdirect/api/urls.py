"""The API, django-ninja, at /api/."""

from ninja import NinjaAPI

api = NinjaAPI(title="Selfdirect API", version="1", urls_namespace="api")
