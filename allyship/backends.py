from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from allyship.models import User
from allyship.permissions import with_roles
from allyship.prepared import PreparedGet
from learning.models import LearnerStats


def _signed_in_person() -> QuerySet[User]:
    # The learner version is read here so a cached page's key costs no query of its own
    # (learning.selectors.version_of).
    learner_versions = LearnerStats.objects.filter(user=OuterRef("pk")).values("version")[:1]
    return with_roles(
        User._default_manager.annotate(learner_version=Coalesce(Subquery(learner_versions), 0))
    )


SIGNED_IN = PreparedGet(_signed_in_person)


class PeopleBackend(ModelBackend):
    """Django's model backend, loading the signed-in person with their roles, which the
    navigation shows, and their learner data version, which keys cached pages, in one
    precompiled query. Their department and manager are read only by the pages that show
    them (the learner home, once per version)."""

    def get_user(self, user_id):
        user = SIGNED_IN.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
