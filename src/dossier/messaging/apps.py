from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "dossier.messaging"
    label = "messaging"
    verbose_name = "短信与邮件"
