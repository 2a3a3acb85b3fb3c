"""Peer support: budget buddies and asking a support organisation to make contact."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.peers import views

app_name = "peers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.coordinate, name="coordinate"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/offer/", views.offer, name="offer"),
    path("people/<int:person_id>/ask/", views.ask, name="ask"),
    path("people/<int:person_id>/support/", views.support, name="support"),
    path("people/<int:person_id>/support/<uuid:service_id>/", views.refer, name="refer"),
    path("offers/<int:offer_id>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("requests/<int:request_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:request_id>/match/", views.match, name="match"),
    path("links/<int:link_id>/", views.link, name="link"),
]
