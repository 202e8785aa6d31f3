from django.apps import AppConfig


class AllyshipConfig(AppConfig):
    name = "allyship"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from django.urls import register_converter

        from allyship.converters import IdConverter

        # Before any URLconf is read: every app's id URLs use <id:...>.
        register_converter(IdConverter, "id")
