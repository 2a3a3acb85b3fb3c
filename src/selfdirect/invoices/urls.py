"""Provider invoices and statements: sent by providers, decided and paid by finance."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.invoices import views

app_name = "invoices"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.invoice_list_page, name="list"),
    path("new/", views.invoice_new, name="new"),
    path("new/<int:person_id>/", views.invoice_new_for, name="new_for"),
    path("upload/", views.invoice_upload, name="upload"),
    path("<int:invoice_id>/", views.invoice_detail, name="detail"),
    path("<int:invoice_id>/approve/", views.invoice_approve, name="approve"),
    path("<int:invoice_id>/reject/", views.invoice_reject, name="reject"),
    path("<int:invoice_id>/paid/", views.invoice_pay, name="pay"),
]
