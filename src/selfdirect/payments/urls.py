"""Payment runs for finance officers, and a person's payment dates."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.payments import views

app_name = "payments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/approve/", views.run_approve, name="run_approve"),
    path("runs/<int:run_id>/pay/", views.run_execute, name="run_execute"),
    path("runs/<int:run_id>/payments.csv", views.run_csv, name="run_csv"),
    path("runs/<int:run_id>/bacs.txt", views.run_bacs, name="run_bacs"),
    path("runs/<int:run_id>/files/", views.run_files, name="run_files"),
    path(
        "runs/<int:run_id>/lines/<int:line_id>/problem/",
        views.problem_record,
        name="problem_record",
    ),
    path("runs/<int:run_id>/returns/", views.returns_upload, name="returns_upload"),
    path("problems/<int:problem_id>/pay-again/", views.problem_repay, name="problem_repay"),
    path(
        "problems/<int:problem_id>/do-not-pay-again/",
        views.problem_stop,
        name="problem_stop",
    ),
    path(
        "problems/<int:problem_id>/pay-again.csv",
        views.problem_file,
        {"kind": "csv"},
        name="problem_csv",
    ),
    path(
        "problems/<int:problem_id>/pay-again.txt",
        views.problem_file,
        {"kind": "bacs"},
        name="problem_bacs",
    ),
    path(
        "runs/<int:run_id>/remittance/<int:provider_id>.pdf",
        views.run_remittance,
        name="run_remittance",
    ),
    path("runs/<int:run_id>/reconciliation/", views.run_reconciliation, name="run_reconciliation"),
    path("people/<int:person_id>/dates/", views.person_dates, name="dates"),
    path("people/<int:person_id>/schedule/", views.schedule_set, name="schedule"),
    path(
        "people/<int:person_id>/contributions/",
        views.person_contributions,
        name="contributions",
    ),
]
