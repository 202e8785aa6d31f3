from django.contrib.auth.backends import ModelBackend

from allyship.models import User


class PeopleBackend(ModelBackend):
    """Django's model backend, loading the signed-in person with their department and manager,
    which the pages show, in the same query."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("department", "manager").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
