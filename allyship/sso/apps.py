from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "allyship.sso"
    label = "sso"
    verbose_name = "Single sign-on"
