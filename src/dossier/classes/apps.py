from django.apps import AppConfig


class ClassesConfig(AppConfig):
    name = "dossier.classes"
    label = "classes"
    verbose_name = "客户分级"
