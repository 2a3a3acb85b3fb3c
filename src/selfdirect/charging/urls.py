"""Financial assessment pages and the charging rates."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.charging import views

app_name = "charging"
urlpatterns: list[URLPattern | URLResolver] = [
    path("people/<int:person_id>/", views.person_page, name="person"),
    path("people/<int:person_id>/start/", views.start, name="start"),
    path("assessments/<int:assessment_id>/", views.detail, name="detail"),
    path("assessments/<int:assessment_id>/fill/", views.fill, name="fill"),
    path("assessments/<int:assessment_id>/defer/", views.defer, name="defer"),
    path("assessments/<int:assessment_id>/light-touch/", views.light_touch, name="light_touch"),
    path("assessments/<int:assessment_id>/complete/", views.complete, name="complete"),
    path("assessments/<int:assessment_id>/letter.pdf", views.letter, name="letter"),
    path("rates/", views.rates, name="rates"),
]
