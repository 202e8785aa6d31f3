from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from learning.summaries import person_saved

        # The one signal: a person saved on their own (the admin, a factory, createsuperuser)
        # keeps the name, department and active flag their learning summary copies.
        post_save.connect(person_saved, sender=get_user_model(), dispatch_uid="summary-person")
