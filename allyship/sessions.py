"""Django's database sessions, read with SQL compiled once per process (allyship.prepared).

Every signed-in request reads its session; compiling that query each time cost more than
running it. Same table, same rules: a session past its expiry date is not found.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from allyship.prepared import PreparedGet

SESSIONS = PreparedGet(lambda: Session.objects.all())


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = SESSIONS.get(self.session_key, using=self.model.objects.db)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
