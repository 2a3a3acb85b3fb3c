from django.urls import path

from selfdirect.allocation import calibration_views, views, whatif_views

app_name = "allocation"
urlpatterns = [
    path("from-assessment/<int:assessment_id>/", views.calculate, name="calculate"),
    path("<int:allocation_id>/", views.detail, name="detail"),
    path("<int:allocation_id>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:allocation_id>/letter.pdf", views.letter, name="letter"),
    path("what-if/", whatif_views.what_if, name="whatif"),
    path("calibration/", calibration_views.calibration, name="calibration"),
    path("<int:allocation_id>/look-again/", views.challenge_new, name="challenge_new"),
    path("challenges/<int:challenge_id>/decide/", views.challenge_decide, name="challenge_decide"),
]
