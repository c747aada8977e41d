from django.apps import AppConfig


class AnalysesConfig(AppConfig):
    name = "dossier.analyses"
    label = "analyses"
    verbose_name = "经营分析"
