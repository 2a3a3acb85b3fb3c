from django.urls import path

from selfdirect.allocation import ras_admin_views as views

app_name = "ras_admin"
urlpatterns = [
    path("", views.ras_list, name="list"),
    path("<int:version_id>/", views.ras_version, name="version"),
    path("<int:version_id>/export/", views.ras_export, name="export"),
]
