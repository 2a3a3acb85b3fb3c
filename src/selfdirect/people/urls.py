from django.urls import path

from selfdirect.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_search, name="list"),
    path("new/", views.person_new, name="new"),
    path("import/", views.person_import, name="import"),
    path("<int:person_id>/", views.person_summary, name="detail"),
    path("<int:person_id>/edit/", views.person_edit, name="edit"),
    path("<int:person_id>/history/", views.person_history, name="history"),
    path("<int:person_id>/relationships/new/", views.relationship_new, name="relationship_new"),
    path(
        "<int:person_id>/relationships/<int:relationship_id>/end/",
        views.relationship_end,
        name="relationship_end",
    ),
    path("<int:person_id>/consents/new/", views.consent_new, name="consent_new"),
    path("<int:person_id>/named-worker/", views.named_worker, name="named_worker"),
]
