from django.urls import URLPattern

app_name = "analyses"
urlpatterns: list[URLPattern] = []
