"""Administrators' pages for trust: everyone's API tokens and role changes, under /admin/."""

from django.urls import path

from selfdirect.access import admin_views as views

app_name = "access_admin"
urlpatterns = [
    path("api-tokens/", views.token_list, name="tokens"),
]
