from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "dossier.records"
    label = "records"
    verbose_name = "文书档案"
