from django.urls import path

from selfdirect.assessment import admin_views as views

app_name = "assessment_admin"
urlpatterns = [
    path("", views.questionnaire_list, name="list"),
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
    path("versions/<int:version_id>/", views.version_detail, name="version"),
    path("versions/<int:version_id>/sections/new/", views.section_edit, name="section_new"),
    path(
        "versions/<int:version_id>/sections/<slug:section_id>/", views.section_edit, name="section"
    ),
    path(
        "versions/<int:version_id>/sections/<slug:section_id>/remove/",
        views.section_remove,
        name="section_remove",
    ),
    path("versions/<int:version_id>/preview/<int:number>/", views.preview, name="preview"),
    path("versions/<int:version_id>/export/", views.export, name="export"),
    path("versions/<int:version_id>/import/", views.import_into_draft, name="import"),
]
