from django.urls import path

from selfdirect.allocation import ras_admin_views as views

app_name = "ras_admin"
urlpatterns = [
    path("", views.ras_list, name="list"),
    path("dated-in-the-past/", views.publications, name="publications"),
    path(
        "dated-in-the-past/<int:request_id>/confirm/",
        views.publication_confirm,
        name="publication_confirm",
    ),
    path(
        "dated-in-the-past/<int:request_id>/decline/",
        views.publication_decline,
        name="publication_decline",
    ),
    path("<int:version_id>/", views.ras_version, name="version"),
    path("<int:version_id>/export/", views.ras_export, name="export"),
]
