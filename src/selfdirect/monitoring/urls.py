"""Monitoring of direct payments: finance's list, people's statements and flags."""

from django.urls import URLPattern, URLResolver, path

from selfdirect.monitoring import views

app_name = "monitoring"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.monitoring_list, name="list"),
    path("sample", views.sample_draw, name="sample"),
    path("people/<int:person_id>/", views.person_monitoring, name="person"),
    path("people/<int:person_id>/risk", views.risk_new, name="risk"),
    path("people/<int:person_id>/statements/", views.statement_list, name="statements"),
    path("people/<int:person_id>/statements/upload", views.statement_upload, name="upload"),
    path("statements/<int:statement_id>/", views.statement_detail, name="statement"),
    path("flags/<int:flag_id>/explain", views.flag_explain, name="explain"),
    path("flags/<int:flag_id>/decide", views.flag_decide, name="decide"),
]
