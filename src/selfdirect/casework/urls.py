from django.urls import path

from selfdirect.casework import views

app_name = "casework"
urlpatterns = [
    path("front-door/", views.queue, name="queue"),
    path("people/<int:person_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:contact_id>/", views.contact, name="contact"),
    path(
        "contacts/<int:contact_id>/start-assessment/",
        views.contact_start,
        name="contact_start",
    ),
    path("people/<int:person_id>/notes/", views.notes, name="notes"),
    path("people/<int:person_id>/carers-assessment/", views.carer_offer, name="carer_offer"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
]
