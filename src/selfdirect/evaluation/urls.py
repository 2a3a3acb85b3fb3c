from django.urls import path

from selfdirect.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("outcomes/", views.holders, name="outcomes"),
    path("outcomes/holders.csv", views.holders_csv, name="outcomes_csv"),
    path("outcomes/holders.xlsx", views.holders_xlsx, name="outcomes_xlsx"),
    path("outcomes/holders.pdf", views.holders_pdf, name="outcomes_pdf"),
    path("carers/", views.carers, name="carers"),
    path("carers/carers.csv", views.carers_csv, name="carers_csv"),
    path("carers/carers.xlsx", views.carers_xlsx, name="carers_xlsx"),
    path("carers/carers.pdf", views.carers_pdf, name="carers_pdf"),
]
