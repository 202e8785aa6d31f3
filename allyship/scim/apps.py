from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "allyship.scim"
    label = "scim"
    verbose_name = "SCIM provisioning"
