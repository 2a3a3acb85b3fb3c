from django.urls import path

from selfdirect.planning import views

app_name = "planning"
urlpatterns = [
    path("for-budget/<int:allocation_id>/", views.plan_new, name="new"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:plan_id>/reviews/new/", views.review_request, name="review_request"),
    path("reviews/", views.review_queue, name="reviews"),
    path("funding-streams/", views.funding_streams, name="streams"),
    path(
        "people/<int:person_id>/contribution/",
        views.contribution_new,
        name="contribution_new",
    ),
    path("reviews/<int:review_id>/", views.review_record, name="review"),
    path("reviews/<int:review_id>/recorded/", views.review_detail, name="review_detail"),
    path("<int:plan_id>/outcomes/new/", views.outcome_new, name="outcome_new"),
    path("<int:plan_id>/my-outcomes/new/", views.outcome_own, name="outcome_own"),
    path("<int:plan_id>/my-support/new/", views.support_own, name="support_own"),
    path(
        "<int:plan_id>/suggestions/<int:proposal_id>/add/",
        views.proposal_accept,
        name="proposal_accept",
    ),
    path(
        "<int:plan_id>/suggestions/<int:proposal_id>/answer/",
        views.proposal_answer,
        name="proposal_answer",
    ),
    path("<int:plan_id>/new-version/", views.plan_revise, name="revise"),
    path("<int:plan_id>/safeguarding/", views.safeguarding, name="safeguarding"),
    path("<int:plan_id>/lines/new/", views.line_new, name="line_new"),
    path("<int:plan_id>/lines/<int:line_id>/edit/", views.line_edit, name="line_edit"),
    path("<int:plan_id>/lines/<int:line_id>/remove/", views.line_remove, name="line_remove"),
    path("<int:plan_id>/outcomes/<int:outcome_id>/edit/", views.outcome_edit, name="outcome_edit"),
    path(
        "<int:plan_id>/outcomes/<int:outcome_id>/remove/",
        views.outcome_remove,
        name="outcome_remove",
    ),
    path("<int:plan_id>/submit/", views.plan_submit, name="submit"),
    path("<int:plan_id>/approve/", views.plan_approve, name="approve"),
    path("<int:plan_id>/lines/<int:line_id>/switch/", views.line_switch, name="line_switch"),
    path("<int:plan_id>/switches/<int:switch_id>/undo/", views.switch_undo, name="switch_undo"),
]
