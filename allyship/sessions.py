"""Django's database sessions, read with SQL compiled once per process (allyship.prepared).

Every signed-in request reads its session; compiling that query each time cost more than
running it, and checking the stored data's signature cost as much again. Same table, same
rules: a session past its expiry date is not found, data whose signature fails is empty.
"""

import copy

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from allyship.prepared import PreparedGet

SESSIONS = PreparedGet(lambda: Session.objects.all())

# What each stored session string decodes to. Decoding is a pure function of the string,
# the salt and the secret key, so each string's signature is checked once per process.
# Only good decodes are kept (a bad signature is logged by Django every time).
_DECODED: dict[tuple[str, str, str], dict] = {}
DECODED_MAX = 10_000


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = SESSIONS.get(self.session_key, using=self.model.objects.db)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session

    def decode(self, session_data):
        key = (session_data, self.key_salt, settings.SECRET_KEY)
        decoded = _DECODED.get(key)
        if decoded is None:
            decoded = super().decode(session_data)
            if not decoded:
                return decoded
            if len(_DECODED) >= DECODED_MAX:
                _DECODED.clear()
            _DECODED[key] = decoded
        return copy.deepcopy(decoded)
