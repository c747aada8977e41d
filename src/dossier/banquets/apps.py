from django.apps import AppConfig


class BanquetsConfig(AppConfig):
    name = "dossier.banquets"
    label = "banquets"
    verbose_name = "宴会菜单"
