"""'Your money': the holder's balance and payments, statements, and the spending guide."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.portal import money_views as views

app_name = "money"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.money_choose, name="choose"),
    path("what-it-can-be-spent-on/", views.money_spending, name="spending"),
    path("<int:person_id>/", views.money_person, name="person"),
    path("<int:person_id>/statement/", views.money_statement, name="statement"),
    path("<int:person_id>/statement.pdf", views.money_statement_pdf, name="statement_pdf"),
    path("<int:person_id>/statement.csv", views.money_statement_csv, name="statement_csv"),
]
