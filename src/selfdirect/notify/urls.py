"""Messages: the reader's own, and what was sent about a person (staff)."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.notify import views

app_name = "notify"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox, name="inbox"),
    path("<int:message_id>/", views.message, name="message"),
    path("people/<int:person_id>/", views.person_messages, name="person"),
]
