from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "dossier.personnel"
    label = "personnel"
    verbose_name = "人事档案"
