"""The directory of services: search and read (anyone), providers' listings, approvals."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.directory import views

app_name = "directory"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("your-services/", views.listing, name="listing"),
    path("your-services/<uuid:service_id>/", views.listing_edit, name="listing_edit"),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:change_id>/decide/", views.change_decide, name="change_decide"),
]
