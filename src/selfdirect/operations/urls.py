"""Background jobs: your jobs, one job's status, its file."""

from django.urls import path

from selfdirect.operations import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:job_id>/", views.job_detail, name="detail"),
    path("<int:job_id>/download", views.job_download, name="download"),
]
