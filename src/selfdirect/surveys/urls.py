"""Survey campaigns (staff), answering an invitation (people), paper returns (staff)."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:campaign_id>/letters.pdf", views.campaign_letters, name="letters"),
    path(
        "campaigns/<int:campaign_id>/reminder-letters/",
        views.reminder_letters,
        name="reminder_letters",
    ),
    path(
        "campaigns/<int:campaign_id>/reminder-letters/<int:batch_id>.pdf",
        views.reminder_batch,
        name="reminder_batch",
    ),
    path("invitations/<int:invitation_id>/", views.start, name="start"),
    path("invitations/<int:invitation_id>/who/", views.who, name="who"),
    path("invitations/<int:invitation_id>/questions/<int:number>/", views.page, name="page"),
    path("invitations/<int:invitation_id>/check/", views.check, name="check"),
    path("invitations/<int:invitation_id>/decline/", views.decline, name="decline"),
    path("paper/", views.paper, name="paper"),
    path("paper/<str:reference>/who/", views.paper_who, name="paper_who"),
    path("paper/<str:reference>/questions/<int:number>/", views.paper_page, name="paper_page"),
    path("paper/<str:reference>/check/", views.paper_check, name="paper_check"),
    path("paper/<str:reference>/decline/", views.paper_decline, name="paper_decline"),
]
