"""Statutory returns: the CLD return for analysts, and the ASCOF measures."""

from django.urls import path

from selfdirect.returns import views

app_name = "returns"
urlpatterns = [
    path("cld/", views.cld, name="cld"),
    path("cld/<int:export_id>/", views.cld_export, name="cld_export"),
    path("cld/<int:export_id>/return.csv", views.cld_download, name="cld_download"),
    path(
        "cld/<int:export_id>/validation-report.csv",
        views.cld_report_download,
        name="cld_report_download",
    ),
    path("ascof/", views.ascof, name="ascof"),
    path("ascof/download.csv", views.ascof_csv, name="ascof_csv"),
]
