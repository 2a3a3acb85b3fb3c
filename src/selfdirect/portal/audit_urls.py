"""The data protection officer's pages: the audit trail of one person or one member of staff,
and the whole record of one person."""

from django.urls import path

from selfdirect.portal import audit_views as views

app_name = "audit_trail"
urlpatterns = [
    path("person/", views.trail_person, name="person"),
    path("person/<int:person_id>/audit-trail.csv", views.trail_person_csv, name="person_csv"),
    path("person/<int:person_id>/record.zip", views.person_record_zip, name="person_record"),
    path(
        "person/<int:person_id>/audit-trail-job",
        views.trail_person_csv_start,
        name="person_csv_start",
    ),
    path(
        "person/<int:person_id>/record-job", views.person_record_start, name="person_record_start"
    ),
    path("staff/", views.trail_staff, name="staff"),
    path(
        "staff/<int:user_id>/audit-trail-job", views.trail_staff_csv_start, name="staff_csv_start"
    ),
    path("staff/<int:user_id>/audit-trail.csv", views.trail_staff_csv, name="staff_csv"),
]
