from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "dossier.collection"
    label = "collection"
    verbose_name = "资料收集"
