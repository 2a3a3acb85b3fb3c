from django.http import HttpResponse
from django.urls import path

app_name = "access"
urlpatterns = [
    path("users/", lambda r: HttpResponse(""), name="users"),
    path("teams/", lambda r: HttpResponse(""), name="teams"),
]
