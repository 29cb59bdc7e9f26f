from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from zizhi.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `zizhi backup` into an empty database (no tables: a new "
        "database, not migrated) and an empty MEDIA_ROOT. Every checksum is checked first; "
        "then the counts, the audit chains, the Moral Bank and the tallies are proved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `zizhi backup`")

    def handle(self, *args, file, **options):
        with tqdm(unit=_("个文件"), disable=options["verbosity"] < 1, file=self.stderr._out) as bar:
            try:
                lines = restore(Path(file), progress=bar.update)
            except BackupError as e:
                raise CommandError(str(e)) from e
        for line in lines:
            self.stdout.write("OK " + line)
        self.stdout.write(_("已从 %(file)s 恢复。") % {"file": file})
