from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dossier.search"
    label = "search"
    verbose_name = "检索"
