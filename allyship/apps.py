from django.apps import AppConfig


class AllyshipConfig(AppConfig):
    name = "allyship"
    verbose_name = "Organisation"
