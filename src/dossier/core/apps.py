from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dossier.core"
    label = "core"
    verbose_name = "Dossier core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from dossier.core.dbsetup import tune_connection

        connection_created.connect(tune_connection)
