"""The ledger's pages (read only)."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.ledger import views

app_name = "ledger"
urlpatterns: list[URLPattern | URLResolver] = [
    path("people/<int:person_id>/", views.person_ledger, name="person"),
]
