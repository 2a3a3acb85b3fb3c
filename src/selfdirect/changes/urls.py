"""Requests to change support, the team's list, closing providers and providers' notices."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.changes import views

app_name = "changes"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("people/<int:person_id>/", views.person_requests, name="person"),
    path("people/<int:person_id>/ask/", views.ask, name="ask"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/decision/", views.decide, name="decide"),
    path("closures/", views.closures, name="closures"),
    path("closures/new/", views.closure_new, name="closure_new"),
    path("closures/<int:closure_id>/", views.closure_detail, name="closure"),
    path("provider-notices/", views.provider_notices, name="provider_notices"),
]
