"""Personal-assistant employers: PA records, insurance, the true cost, timesheets, payroll."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.employers import views

app_name = "employers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("people/<int:person_id>/", views.employer_person, name="person"),
    path("people/<int:person_id>/assistants/new", views.assistant_new, name="assistant_new"),
    path("people/<int:person_id>/insurance", views.insurance_new, name="insurance"),
    path("people/<int:person_id>/true-cost/", views.true_cost, name="true_cost"),
    path("people/<int:person_id>/timesheets/new", views.timesheet_new, name="timesheet_new"),
    path("people/<int:person_id>/payroll.csv", views.payroll_csv, name="payroll_csv"),
    path("assistants/<int:assistant_id>/", views.assistant_detail, name="assistant"),
    path("assistants/<int:assistant_id>/edit", views.assistant_edit, name="assistant_edit"),
    path("assistants/<int:assistant_id>/training/new", views.training_new, name="training_new"),
    path(
        "timesheets/<int:timesheet_id>/approve", views.timesheet_approve, name="timesheet_approve"
    ),
    path(
        "timesheets/<int:timesheet_id>/send-back",
        views.timesheet_send_back,
        name="timesheet_send_back",
    ),
    path("assistants/<int:assistant_id>/link", views.pa_link, name="pa_link"),
    path("links/<int:link_id>/stop", views.pa_link_revoke, name="pa_link_revoke"),
    # The PA's own page, without signing in (decision 0054); "token" is hidden in the logs.
    path("pa/<str:token>/", views.pa_timesheet, name="pa_timesheet"),
    path("rates/", views.cost_rates, name="rates"),
]
