from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "dossier.imports"
    label = "imports"
    verbose_name = "导入"
