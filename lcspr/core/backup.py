"""Backup, restore and the check of stored files: the database and the uploaded files belong
together (a database restored alone names files that are not there). Every model with a file
field is found through the app registry, so this module imports no domain app; a model that
records its file's SHA-256 (a `sha256` field) has it checked."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import FileField

from lcspr.core import page_cache

DUMP_PG = "database.dump"
DUMP_SQLITE = "database.sqlite3"
MEDIA = "media"
MANIFEST = "manifest.json"


def media_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def stored_files():
    """Every file a record names: (record label, field, file name, recorded SHA-256 or "")."""
    for model in apps.get_models():
        if any(f.name == "history_id" for f in model._meta.fields):
            continue  # a change-history copy names the same file as its record
        fields = [f.name for f in model._meta.fields if isinstance(f, FileField)]
        has_sha = any(f.name == "sha256" for f in model._meta.fields)
        for field in fields:
            values = ["pk", field, *(["sha256"] if has_sha else [])]
            for row in model._default_manager.exclude(**{field: ""}).values(*values):
                yield (
                    f"{model._meta.label} {row['pk']}",
                    field,
                    row[field],
                    row.get("sha256", ""),
                )


def file_problems() -> list[str]:
    """What is wrong with the stored files: each one missing, or whose SHA-256 differs."""
    root = media_root()
    problems = []
    for record, field, name, recorded in stored_files():
        path = root / name
        if not path.is_file():
            problems.append(f"Missing: {name} ({record}, {field})")
        elif recorded and sha256_of(path) != recorded:
            problems.append(f"SHA-256 does not match its record: {name} ({record}, {field})")
    return problems


def _pg_args() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db["HOST"]:
        args += ["--host", db["HOST"]]
    if db["PORT"]:
        args += ["--port", str(db["PORT"])]
    if db["USER"]:
        args += ["--username", db["USER"]]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {})}
    return args, env


def backup(folder: Path) -> dict:
    """Write the database, the uploaded files and a manifest of the files into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / DUMP_PG), *args],
            env=env,
            check=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(folder / DUMP_SQLITE)) as copy:
            connection.connection.backup(copy)
    else:
        raise RuntimeError(f"No backup for a {connection.vendor} database")
    if (folder / MEDIA).exists():
        shutil.rmtree(folder / MEDIA)
    root = media_root()
    if root.is_dir():
        shutil.copytree(root, folder / MEDIA)
    else:
        (folder / MEDIA).mkdir()
    files = []
    for record, field, name, _ in stored_files():
        path = folder / MEDIA / name
        if path.is_file():
            size, digest = path.stat().st_size, sha256_of(path)
        else:
            size, digest = None, ""
        files.append(
            {"path": name, "size": size, "sha256": digest, "record": record, "field": field}
        )
    manifest = {"database": connection.vendor, "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def database_is_empty() -> bool:
    try:
        return not get_user_model().objects.exists()
    except Exception:  # noqa: BLE001 - no tables yet is empty too
        return True


def restore(folder: Path) -> None:
    """Put back the database and the uploaded files written by backup()."""
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest["database"] != connection.vendor:
        raise RuntimeError(
            f"The backup is of a {manifest['database']} database, not {connection.vendor}"
        )
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        connection.close()
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", *args, str(folder / DUMP_PG)],
            env=env,
            check=True,
        )
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(folder / DUMP_SQLITE)) as source:
            source.backup(connection.connection)
    page_cache.changed()  # nothing rendered from the database before is current any more
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(folder / MEDIA, root, dirs_exist_ok=True)
