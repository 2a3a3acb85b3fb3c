from django.urls import URLPattern, URLResolver

app_name = "charging"
urlpatterns: list[URLPattern | URLResolver] = []
