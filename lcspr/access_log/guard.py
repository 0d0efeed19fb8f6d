"""The access log is append-only in the database itself: UPDATE and DELETE on its table are
refused, so no admin page, shell or bug can rewrite who read what. The retention job is the one
exception (`deleting_old_rows`): on PostgreSQL it says so for its own transaction only
(`SET LOCAL`); on SQLite, which has no such setting, it lifts the trigger inside its transaction
and puts it back before commit."""

from contextlib import contextmanager

from django.db import connection, transaction

TABLE = "core_accesslog"

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION lcspr_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('lcspr.access_log_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS access_log_append_only ON {TABLE};
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION lcspr_access_log_append_only();
"""
POSTGRESQL_REMOVE = f"""
DROP TRIGGER IF EXISTS access_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS lcspr_access_log_append_only();
"""
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'The access log is append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'The access log is append-only: DELETE refused'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS access_log_no_update",
    "DROP TRIGGER IF EXISTS access_log_no_delete",
]


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INSTALL, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_INSTALL:
            schema_editor.execute(sql)


def remove(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REMOVE, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_REMOVE:
            schema_editor.execute(sql)


@contextmanager
def deleting_old_rows():
    """A transaction in which the retention job may delete rows of the log (and nothing else
    may change them)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL lcspr.access_log_retention = 'on'")
            yield
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS access_log_no_delete")
            yield
            cursor.execute(SQLITE_INSTALL[1])
        else:
            yield
