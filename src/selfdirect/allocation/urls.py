from django.urls import path

from selfdirect.allocation import calibration_views, views, whatif_views

app_name = "allocation"
urlpatterns = [
    path("from-assessment/<int:assessment_id>/", views.calculate, name="calculate"),
    path("<int:allocation_id>/", views.detail, name="detail"),
    path("<int:allocation_id>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:allocation_id>/letter.pdf", views.letter, name="letter"),
    path("<int:allocation_id>/panel/refer/", views.refer_to_panel, name="refer_to_panel"),
    path("<int:allocation_id>/panel/decide/", views.panel_decide, name="panel_decide"),
    path("panel/", views.panel_queue, name="panel_queue"),
    path("panel-decisions/<int:decision_id>/", views.panel_decision, name="panel_decision"),
    path("panel-decisions/<int:decision_id>/letter.pdf", views.panel_letter, name="panel_letter"),
    path("what-if/", whatif_views.what_if, name="whatif"),
    path("what-if/scenarios/", whatif_views.scenario_list, name="scenarios"),
    path("what-if/scenarios/<int:scenario_id>/", whatif_views.scenario_detail, name="scenario"),
    path(
        "what-if/scenarios/<int:scenario_id>/delete/",
        whatif_views.scenario_delete,
        name="scenario_delete",
    ),
    path("calibration/", calibration_views.calibration, name="calibration"),
    path("<int:allocation_id>/look-again/", views.challenge_new, name="challenge_new"),
    path("<int:allocation_id>/look-again/log/", views.challenge_log, name="challenge_log"),
    path("challenges/<int:challenge_id>/decide/", views.challenge_decide, name="challenge_decide"),
    path(
        "challenges/<int:challenge_id>/letter.pdf", views.challenge_letter, name="challenge_letter"
    ),
]
