from django.urls import URLPattern

app_name = "personnel"
urlpatterns: list[URLPattern] = []
