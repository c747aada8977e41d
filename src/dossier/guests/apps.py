from django.apps import AppConfig


class GuestsConfig(AppConfig):
    name = "dossier.guests"
    label = "guests"
    verbose_name = "客史档案"
