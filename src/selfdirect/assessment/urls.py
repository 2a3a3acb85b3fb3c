from django.urls import path

from selfdirect.assessment import views

app_name = "assessment"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("for-person/<int:person_id>/", views.start_for_person, name="start_for_person"),
    path("<int:assessment_id>/", views.detail, name="detail"),
    path("<int:assessment_id>/questions/<slug:section_id>/", views.question, name="question"),
    path("<int:assessment_id>/check/", views.check, name="check"),
    path("<int:assessment_id>/submitted/", views.submitted, name="submitted"),
    path("<int:assessment_id>/review/<slug:section_id>/", views.review, name="review"),
    path("<int:assessment_id>/agree/", views.agree, name="agree"),
    path("<int:assessment_id>/eligibility/", views.decide, name="eligibility"),
    path(
        "<int:assessment_id>/eligibility/letter.pdf",
        views.eligibility_letter,
        name="eligibility_letter",
    ),
    path("<int:assessment_id>/referrals/<int:referral_id>/", views.referral, name="referral"),
]
