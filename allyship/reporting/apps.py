from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "allyship.reporting"
    label = "reporting"
    verbose_name = "Reporting"
