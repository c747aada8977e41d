from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebConfig(AppConfig):
    name = "dossier.web"
    label = "web"
    verbose_name = "界面"

    def ready(self) -> None:
        from dossier.core.roles import roles_sync
        from dossier.guests.catalogue import catalogue_sync

        post_migrate.connect(roles_sync, sender=self)
        post_migrate.connect(catalogue_sync, sender=self)
