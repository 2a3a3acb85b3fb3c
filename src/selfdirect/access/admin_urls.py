"""Administrators' pages for trust: everyone's API tokens and role changes, under /admin/."""

from django.urls import path

from selfdirect.access import admin_views as views

app_name = "access_admin"
urlpatterns = [
    path("api-tokens/", views.token_list, name="tokens"),
    path("role-changes/", views.role_change_list, name="role_changes"),
    path(
        "role-changes/<int:change_id>/confirm/",
        views.role_change_confirm,
        name="role_change_confirm",
    ),
    path(
        "role-changes/<int:change_id>/refuse/", views.role_change_refuse, name="role_change_refuse"
    ),
]
