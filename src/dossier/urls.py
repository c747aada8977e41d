from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dossier.api.urls import api
from dossier.web import views as web_views

urlpatterns = [
    path("", include("dossier.web.urls")),
    path("guests/", include("dossier.guests.urls")),
    path("imports/", include("dossier.imports.urls")),
    path("search/", include("dossier.search.urls")),
    path("duplicates/", include("dossier.duplicates.urls")),
    path("records/", include("dossier.records.urls")),
    path("messaging/", include("dossier.messaging.urls")),
    path("care/", include("dossier.care.urls")),
    path("classes/", include("dossier.classes.urls")),
    path("analyses/", include("dossier.analyses.urls")),
    path("banquets/", include("dossier.banquets.urls")),
    path("collection/", include("dossier.collection.urls")),
    path("personnel/", include("dossier.personnel.urls")),
    path("inbox/", include("dossier.transfer.urls")),
    path("api/v1/", api.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", web_views.favicon),
]
