from django.urls import path, re_path

from selfdirect.evaluation import views_ibsen as views

app_name = "ibsen"

urlpatterns = [
    path("ibsen/", views.outcomes, name="outcomes"),
    re_path(
        r"^ibsen/download\.(?P<fmt>csv|xlsx|pdf)$",
        views.outcomes_download,
        name="outcomes_download",
    ),
    path("cost-effectiveness/", views.cost_effectiveness, name="cost_effectiveness"),
    re_path(
        r"^cost-effectiveness/download\.(?P<fmt>csv|xlsx|pdf)$",
        views.cost_effectiveness_download,
        name="cost_effectiveness_download",
    ),
]
