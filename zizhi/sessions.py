"""The database session store, refusing session keys Django could not have made.

Django makes keys of lowercase letters and digits, but looks up whatever the cookie holds; a
cookie with a NUL character (a quoted cookie may carry "\\000", which Python's cookie parser
turns into NUL) reached PostgreSQL, which refuses NUL in text, as a server error on every
page and API route (found by the API fuzz). Such a key now counts as no session.
"""

import string

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore

KEY_CHARS = frozenset(string.ascii_lowercase + string.digits)


class SessionStore(DbSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and set(key) <= KEY_CHARS
