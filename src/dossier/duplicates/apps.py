from django.apps import AppConfig


class DuplicatesConfig(AppConfig):
    name = "dossier.duplicates"
    label = "duplicates"
    verbose_name = "重复档案"
