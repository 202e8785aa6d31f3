from django.contrib.auth.backends import ModelBackend

from allyship.models import User


class PeopleBackend(ModelBackend):
    """Django's model backend, loading the signed-in person with their department and
    manager, which every page's header shows, in one query. Their roles are columns of their
    own row (User.is_hr_admin, User.has_reports, kept by allyship.services.roles_refresh)."""

    def get_user(self, user_id):
        try:
            user = User.objects.select_related("department", "manager").filter(pk=user_id).first()
        except (ValueError, TypeError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
