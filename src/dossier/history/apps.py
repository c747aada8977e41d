from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "dossier.history"
    label = "history"
    verbose_name = "消费记录"
