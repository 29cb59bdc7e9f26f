from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from zizhi.audit.backup import BackupError, backup, media_files


class Command(BaseCommand):
    help = (
        "Write one .tar archive with the database (pg_dump, or a SQLite copy), every uploaded "
        "file and manifest.json (counts, SHA-256 checksums, audit chain heads). "
        "ZIZHI_DATA_KEY is not in it: keep it apart."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. zizhi-2026-11-29.tar")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")

    def handle(self, *args, file, force, **options):
        with tqdm(
            total=1 + len(media_files()),
            unit=_("个文件"),
            disable=options["verbosity"] < 1,
            file=self.stderr._out,
        ) as bar:
            try:
                manifest = backup(Path(file), force=force, progress=bar.update)
            except BackupError as e:
                raise CommandError(str(e)) from e
        self.stdout.write(
            _(
                "已备份到 %(file)s：%(vendor)s 数据库 %(rows)d 行，%(files)d 个上传文件，%(heads)d 条审计链。"
            )
            % {
                "file": file,
                "vendor": manifest["vendor"],
                "rows": sum(manifest["counts"].values()),
                "files": len(manifest["files"]),
                "heads": len(manifest["chain_heads"]),
            }
        )
        self.stdout.write(
            _("注意：归档里的身份证号是加密的，ZIZHI_DATA_KEY 不在归档里，请另行妥善保管。")
        )
