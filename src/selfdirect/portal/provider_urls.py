"""The provider's pages: its home, one person it supports, statements, and its guide."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.portal import provider_views as views

app_name = "provider"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.provider_home, name="home"),
    path("people/<int:person_id>/", views.provider_person, name="person"),
    path("statements/", views.provider_statements, name="statements"),
    path("guide/", views.provider_guide, name="guide"),
]
