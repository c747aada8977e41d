from django.urls import URLPattern

app_name = "banquets"
urlpatterns: list[URLPattern] = []
