"""`zizhi backup FILE` and `zizhi restore FILE`: one .tar archive with the database, the
uploaded files and a manifest of counts and checksums; a restore checks every checksum before
it writes anything, then proves the copy: counts, audit chains, the Moral Bank, the tallies.

The archive (an uncompressed tar; the dump and the photos are compressed already):
  database.dump      PostgreSQL: pg_dump --format=custom
  database.sqlite3   SQLite: a copy made with sqlite3's backup API
  media/<path>       every file under MEDIA_ROOT
  manifest.json      see _manifest()
ZIZHI_DATA_KEY is not in it: the ID numbers in the dump stay encrypted with it."""

import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ChainHead

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_tables() -> list[str]:
    """The table of every concrete model (with many-to-many tables), sorted."""
    tables = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    return sorted(tables)


def app_version() -> str:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=settings.BASE_DIR.parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    except OSError:
        pass
    try:
        return importlib.metadata.version("zizhi")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted((p.relative_to(root).as_posix(), p) for p in found)


# --- reading the database at one moment ---------------------------------------------------


def _counts_and_heads(cursor, qn) -> tuple[dict, list]:
    counts = {}
    for table in model_tables():
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
        counts[table] = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT {qn('key')}, seq, last_hash FROM {qn(ChainHead._meta.db_table)} "
        f"ORDER BY {qn('key')}"
    )
    heads = [{"key": k, "seq": s, "last_hash": h} for k, s, h in cursor.fetchall()]
    return counts, heads


def _pg_env_args(name: str) -> tuple[dict, list]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--dbname", name]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(_("找不到 %(tool)s：请安装 PostgreSQL 客户端工具") % {"tool": name})
    return path


def _dump_postgresql(out: Path) -> tuple[dict, list]:
    """pg_dump and the counts read in one snapshot (exported by a read-only transaction)."""
    import psycopg

    pg_dump = _tool("pg_dump")
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            env, args = _pg_env_args(connection.settings_dict["NAME"])
            done = subprocess.run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(out), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(_("pg_dump 失败：%(err)s") % {"err": done.stderr.strip()})
            return _counts_and_heads(cursor, connection.ops.quote_name)
    finally:
        raw.rollback()
        raw.close()


def _dump_sqlite(out: Path) -> tuple[dict, list]:
    """A file is read through a connection of its own (WAL: writers go on meanwhile); an
    in-memory database (tests) through Django's, which must not be in a transaction (the
    backup would wait for it forever)."""
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        if connection.in_atomic_block:
            raise BackupError(_("不能在事务中备份内存数据库"))
        connection.ensure_connection()
        source = connection.connection
    else:
        source = sqlite3.connect(name, timeout=60)
    copy = sqlite3.connect(out)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _counts_and_heads(copy.cursor(), connection.ops.quote_name)
    finally:
        copy.close()
        if source is not connection.connection:
            source.close()


# --- backup -------------------------------------------------------------------------------


def backup(path: Path, *, force=False, progress=None) -> dict:
    """Write the archive to path (through path.part, renamed at the end). Returns the manifest."""
    path = Path(path)
    if path.exists() and not force:
        raise BackupError(_("%(path)s 已存在；要覆盖请加 --force") % {"path": path})
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": vendor})
    files = media_files()
    created_at = timezone.now()
    part = path.with_name(path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="zizhi-backup-") as tmp:
        dump = Path(tmp) / DUMPS[vendor]
        dumper = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
        counts, heads = dumper(dump)
        if progress:
            progress(1)
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "version": app_version(),
            "vendor": vendor,
            "database": {"name": dump.name, "sha256": sha256_of(dump), "size": dump.stat().st_size},
            "counts": counts,
            "chain_heads": heads,
            "files": {},
        }
        try:
            with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
                tar.add(dump, arcname=dump.name)
                for rel, file in files:
                    manifest["files"][rel] = {
                        "sha256": sha256_of(file),
                        "size": file.stat().st_size,
                    }
                    tar.add(file, arcname=f"media/{rel}")
                    if progress:
                        progress(1)
                text = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(text), int(created_at.timestamp())
                tar.addfile(info, io.BytesIO(text))
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
    return manifest


# --- restore ------------------------------------------------------------------------------


def _safe_rel(rel: str) -> bool:
    p = PurePosixPath(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts and "\\" not in rel


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, AttributeError) as e:
        raise BackupError(_("归档里没有可读的 manifest.json：%(err)s") % {"err": e}) from e
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不认识的归档格式：%(f)s") % {"f": manifest.get("format")})
    return manifest


def unpack_verified(archive: Path, into: Path, progress=None) -> dict:
    """Extract into a scratch folder, checking every member against the manifest's SHA-256.
    Raises BackupError naming every difference; nothing outside `into` is written."""
    try:
        tar = tarfile.open(archive, "r:")
    except (OSError, tarfile.TarError) as e:
        raise BackupError(_("无法读取归档 %(path)s：%(err)s") % {"path": archive, "err": e}) from e
    with tar:
        manifest = read_manifest(tar)
        expected = {manifest["database"]["name"]: manifest["database"]}
        for rel, entry in manifest["files"].items():
            if not _safe_rel(rel):
                raise BackupError(_("清单里有不安全的文件名：%(name)s") % {"name": rel})
            expected[f"media/{rel}"] = entry
        problems, seen = [], set()
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile():
                problems.append(_("清单里没有的成员：%(name)s") % {"name": member.name})
                continue
            seen.add(member.name)
            target = into / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(member) as src, open(target, "wb") as dst:
                for block in iter(lambda src=src: src.read(1 << 20), b""):
                    digest.update(block)
                    dst.write(block)
            if digest.hexdigest() != expected[member.name]["sha256"]:
                problems.append(_("校验和不符：%(name)s") % {"name": member.name})
            if progress:
                progress(1)
        for name in sorted(set(expected) - seen):
            problems.append(_("归档里缺少：%(name)s") % {"name": name})
    if problems:
        raise BackupError(_("归档已损坏，未做任何改动。") + "\n" + "\n".join(problems))
    return manifest


def _refuse_unless_empty(manifest: dict) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            _("归档来自 %(a)s 数据库，当前是 %(b)s")
            % {"a": manifest["vendor"], "b": connection.vendor}
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            _(
                "目标数据库不是空的（已有 %(n)d 张表），恢复不会覆盖它。请新建一个空数据库并让 "
                "DATABASE_URL 指向它：PostgreSQL 用 createdb 新建一个库，SQLite 用一个还不存在"
                "的文件（或新的 ZIZHI_VAR_DIR）；不要先运行 migrate，归档里带着表结构。"
            )
            % {"n": len(tables)}
        )
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        raise BackupError(_("不能恢复到内存数据库"))
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir() and any(p.is_file() for p in root.rglob("*")):
        raise BackupError(
            _("上传文件目录 %(root)s 不是空的，恢复不会覆盖它；请换一个空目录（ZIZHI_VAR_DIR）")
            % {"root": root}
        )


def _load_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        env, args = _pg_env_args(connection.settings_dict["NAME"])
        done = subprocess.run(
            [
                _tool("pg_restore"),
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                *args,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(_("pg_restore 失败：%(err)s") % {"err": done.stderr.strip()})
        return
    connection.close()
    source, target = sqlite3.connect(dump), sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def restore(archive: Path, progress=None) -> list[str]:
    """Check, restore, then prove the copy. Returns what was checked, one line each."""
    with tempfile.TemporaryDirectory(prefix="zizhi-restore-") as tmp:
        scratch = Path(tmp)
        manifest = unpack_verified(Path(archive), scratch, progress)
        _refuse_unless_empty(manifest)
        _load_database(scratch / manifest["database"]["name"])
        root = Path(settings.MEDIA_ROOT)
        for rel in manifest["files"]:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(scratch / "media" / rel, target)
    lines = [
        _("校验和：数据库和 %(n)d 个上传文件与清单一致") % {"n": len(manifest["files"])},
        *prove(manifest),
    ]
    return lines


# --- proving a restored copy --------------------------------------------------------------


def prove(manifest: dict) -> list[str]:
    """Counts, audit chains, the Moral Bank and the tallies of the restored database against
    the manifest. Raises BackupError naming each difference; returns what was checked."""
    from zizhi.moralbank.reconcile import reconcile

    from .log import verify

    problems, lines = [], []
    with connection.cursor() as cursor:
        counts, heads = _counts_and_heads(cursor, connection.ops.quote_name)
    for table, n in sorted(manifest["counts"].items()):
        if counts.get(table) != n:
            problems.append(
                _("表 %(t)s：清单 %(a)s 行，恢复后 %(b)s 行")
                % {"t": table, "a": n, "b": counts.get(table)}
            )
    lines.append(
        _("行数：%(t)d 张表共 %(n)d 行，与清单一致")
        % {"t": len(manifest["counts"]), "n": sum(manifest["counts"].values())}
    )
    if heads != manifest["chain_heads"]:
        problems.append(_("审计链的链头与清单不同"))
    at = datetime.datetime.fromisoformat(manifest["created_at"])
    checked, broken = verify(now=at)
    for p in broken:
        problems.append(
            _("审计链 %(c)s 第 %(s)s 条：%(r)s") % {"c": p.chain, "s": p.seq, "r": p.reason}
        )
    lines.append(
        _("审计：%(n)d 条事件逐条校验无误，%(h)d 条链的链头与清单一致")
        % {"n": checked, "h": len(heads)}
    )
    report = reconcile()
    if not report.ok:
        problems.append(
            _("道德银行对不上账：%(m)d 个账户余额不符，%(u)d 笔分录不平，总账合计 %(t)s")
            % {"m": len(report.mismatched), "u": len(report.unbalanced), "t": report.total}
        )
    lines.append(
        _("道德银行：%(a)d 个账户、%(e)d 笔分录对账平衡，总账合计为 0")
        % {"a": report.accounts, "e": report.entries}
    )
    polls, wrong = recount_polls()
    problems += [_("表决 %(id)d 重新计票不一致") % {"id": pk} for pk in wrong]
    lines.append(_("表决：%(n)d 次已截止的表决重新计票，与保存的结果一致") % {"n": polls})
    if problems:
        raise BackupError(_("恢复后的核对发现问题：") + "\n" + "\n".join(problems))
    return lines


def recount_polls() -> tuple[int, list[int]]:
    """Every closed or published poll counted again: online polls from their ballots (counts
    and the stored hash), paper and show-of-hands polls from the tellers' agreed counts.
    Returns (polls recounted, ids of those that differ)."""
    from zizhi.governance import tally
    from zizhi.governance.actions.polls import agreed_teller_counts
    from zizhi.governance.models import Poll, PollMode, PollStatus

    n, wrong = 0, []
    closed = Poll.objects.filter(status__in=[PollStatus.CLOSED, PollStatus.PUBLISHED])
    for poll in closed.order_by("pk").iterator(chunk_size=500):
        n += 1
        if poll.mode == PollMode.ONLINE:
            ok = tally.verify(poll)
        else:
            ok = agreed_teller_counts(poll) == (poll.yes, poll.no, poll.abstain)
        if not ok:
            wrong.append(poll.pk)
    return n, wrong
