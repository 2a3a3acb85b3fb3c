"""The referrals a support organisation receives, on its provider pages (/provider/referrals/)."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.peers import views

app_name = "peer_referrals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.provider_referrals, name="list"),
    path("<int:referral_id>/", views.provider_decide, name="decide"),
]
