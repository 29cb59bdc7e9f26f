"""`zizhi backup` and `zizhi restore`: the drill (the small demo and an uploaded file backed up,
restored by another process into a fresh database: equal counts, a verifying audit chain, a
balanced ledger, recomputed tallies, the same bytes), a corrupted archive refused before
anything is written, a non-empty database refused. On SQLite, and on PostgreSQL with
pg_dump / pg_restore into a scratch database the test creates and drops."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zizhi.audit.backup import model_tables
from zizhi.registry import demo

PHOTO = bytes(range(256)) * 40 + "照片".encode()
PROOF = (
    "from zizhi.audit.log import verify; from zizhi.moralbank.reconcile import reconcile; "
    "from zizhi.audit.backup import recount_polls; import json; "
    "n, bad = recount_polls(); "
    "print(json.dumps([len(verify()[1]), reconcile().ok, n, bad]))"
)


def counts_here() -> dict:
    with connection.cursor() as cursor:
        out = {}
        for table in model_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            out[table] = cursor.fetchone()[0]
    return out


@contextmanager
def fresh_database(tmp_path):
    """(DATABASE_URL, ZIZHI_VAR_DIR, count(table) or None if no tables) of a new, empty
    database: a SQLite file not made yet, or a scratch PostgreSQL database dropped after."""
    var = tmp_path / "restored"
    var.mkdir()
    if connection.vendor == "sqlite":
        path = var / "zizhi.sqlite3"

        def tables():
            if not path.exists():
                return []
            with sqlite3.connect(path) as db:
                return [r[0] for r in db.execute("SELECT name FROM sqlite_master")]

        def count(table):
            with sqlite3.connect(path) as db:
                return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

        yield f"sqlite:///{path}", var, tables, count
        return
    import psycopg

    db = connection.settings_dict
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    name = f"zizhi_bk_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:

        def tables():
            with psycopg.connect(f"{server}/{name}") as c:
                q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                return [r[0] for r in c.execute(q)]

        def count(table):
            with psycopg.connect(f"{server}/{name}") as c:
                return c.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

        yield f"{server}/{name}", var, tables, count
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def zizhi(url, var, *args):
    env = {**os.environ, "DATABASE_URL": url, "ZIZHI_VAR_DIR": str(var), "ZIZHI_DEV": "1"}
    return subprocess.run(
        [sys.executable, "-c", "from zizhi.manage import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def with_photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "suggestions" / "2026" / "照片 1.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(PHOTO)


def drill(settings, tmp_path):
    with_photo(settings, tmp_path)
    demo.build(residents=140)
    archive = tmp_path / "zizhi.tar"
    call_command("backup", str(archive), verbosity=0)
    source = counts_here()
    assert source["registry_resident"] == 140
    with fresh_database(tmp_path) as (url, var, tables, count):
        done = zizhi(url, var, "restore", str(archive), "-v", "0")
        assert done.returncode == 0, done.stdout + done.stderr
        for word in ("校验和", "行数", "审计", "道德银行", "表决"):
            assert f"OK {word}" in done.stdout, done.stdout
        assert {t: count(t) for t in source} == source  # equal counts, every table
        restored = var / "media" / "suggestions" / "2026" / "照片 1.jpg"
        assert restored.read_bytes() == PHOTO
        proof = zizhi(url, var, "shell", "-v", "0", "-c", PROOF)
        assert proof.returncode == 0, proof.stderr
        problems, balanced, polls, wrong = json.loads(proof.stdout.strip().splitlines()[-1])
        assert (problems, balanced, wrong) == (0, True, [])  # audit clean, ledger balanced
        assert polls >= 10  # the demo's closed polls, recounted


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_drill_on_sqlite(settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite drill (the PostgreSQL one runs on PostgreSQL)")
    drill(settings, tmp_path)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_drill_on_postgresql(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump / pg_restore need PostgreSQL")
    drill(settings, tmp_path)


def flip_a_byte_of_the_dump(archive):
    with tarfile.open(archive) as tar:
        member = next(m for m in tar if m.name.startswith("database."))
    with open(archive, "r+b") as f:
        f.seek(member.offset_data + member.size // 2)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_corrupted_archive_is_refused_before_anything_is_written(settings, tmp_path):
    with_photo(settings, tmp_path)
    archive = tmp_path / "zizhi.tar"
    call_command("backup", str(archive), verbosity=0)
    flip_a_byte_of_the_dump(archive)
    with fresh_database(tmp_path) as (url, var, tables, count):
        done = zizhi(url, var, "restore", str(archive), "-v", "0")
        assert done.returncode != 0
        assert "校验和不符：database." in done.stderr, done.stderr
        assert "未做任何改动" in done.stderr
        assert tables() == []
        assert not (var / "media").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_non_empty_database_is_refused_and_an_archive_is_not_overwritten(settings, tmp_path):
    with_photo(settings, tmp_path)
    archive = tmp_path / "zizhi.tar"
    call_command("backup", str(archive), verbosity=0)
    before = archive.read_bytes()
    with pytest.raises(CommandError, match="已存在；要覆盖请加 --force"):
        call_command("backup", str(archive), verbosity=0)
    assert archive.read_bytes() == before
    settings.MEDIA_ROOT = tmp_path / "other-media"
    with pytest.raises(CommandError, match="目标数据库不是空的.*createdb"):
        call_command("restore", str(archive), verbosity=0)
    assert not settings.MEDIA_ROOT.exists()
