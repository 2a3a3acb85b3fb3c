"""Recovery of a direct payment surplus: finance's pages, the team's and the person's."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.recovery import views

app_name = "recovery"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list, name="cases"),
    path("people/<int:person_id>/new/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/send-letter/", views.letter_send, name="letter_send"),
    path("cases/<int:case_id>/explanation/", views.explanation, name="explanation"),
    path("cases/<int:case_id>/adjustments/", views.adjustments, name="adjustments"),
    path("cases/<int:case_id>/decision/", views.decide, name="decide"),
    path("cases/<int:case_id>/plan/", views.plan, name="plan"),
    path("cases/<int:case_id>/appeal-decision/", views.appeal_decide, name="appeal_decide"),
    path("cases/<int:case_id>/letters/<slug:kind>/", views.letter, name="letter"),
    path("yours/<int:case_id>/", views.yours, name="yours"),
    path("yours/<int:case_id>/explain/", views.your_explanation, name="your_explanation"),
    path("yours/<int:case_id>/appeal/", views.your_appeal, name="your_appeal"),
]
