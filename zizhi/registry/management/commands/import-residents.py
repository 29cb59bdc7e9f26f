"""`zizhi import-residents FILE --community CODE [--dry-run] [--actor PHONE]`.

Django finds commands by file name and loads them with importlib, so the dashed file name
works (`call_command("import-residents", ...)`), though no `import` statement could name it.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from zizhi.accounts.models import User
from zizhi.registry import actions, roster
from zizhi.registry.models import Community
from zizhi.registry.spreadsheets import SpreadsheetError

SHOWN_ERRORS = 200


class Command(BaseCommand):
    help = "Check a roster (.xlsx or .csv) in full, then import it into one community."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the roster, .xlsx or .csv")
        parser.add_argument("--community", required=True, help="community code, e.g. HD")
        parser.add_argument("--dry-run", action="store_true", help="check and count only")
        parser.add_argument(
            "--actor", help="phone of the staff member to record; without it: system"
        )

    def handle(self, *args, file, community, dry_run, actor, **options):
        try:
            target = Community.objects.get(code=community)
        except Community.DoesNotExist as exc:
            raise CommandError(_("没有代码为 %(code)s 的社区") % {"code": community}) from exc
        user = None
        if actor:
            user = User.objects.filter(phone=actor).first()
            if user is None:
                raise CommandError(_("没有手机号为 %(phone)s 的用户") % {"phone": actor})
        path = Path(file)
        try:
            table = roster.read(path.read_bytes(), path.name)
        except OSError as exc:
            raise CommandError(_("无法打开文件：%(error)s") % {"error": exc}) from exc
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from exc

        quiet = options["verbosity"] < 1
        with self._bar(len(table.rows), _("检查"), quiet) as bar:
            plan = roster.check(target, table, progress=bar.update)
        if plan.errors:
            self._print_errors(plan)
            raise CommandError(
                _("%(n)d 行有问题，没有导入任何数据；请改好文件后重新导入") % {"n": plan.bad_rows}
            )
        self._print_counts(_("检查通过"), plan.total_rows, plan.counts)
        if dry_run:
            return
        try:
            with self._bar(len(plan.rows), _("导入"), quiet) as bar:
                counts = actions.do_import_residents(
                    plan, actor=user, progress=bar.update, system=user is None
                )
        except PermissionDenied as exc:
            raise CommandError(_("%(phone)s 不是该社区的工作人员") % {"phone": actor}) from exc
        self._print_counts(_("导入完成"), plan.total_rows, counts)

    def _bar(self, total, label, quiet):
        return tqdm(total=total, desc=label, unit=_("行"), disable=quiet, file=self.stderr._out)

    def _print_counts(self, label, total, counts):
        self.stdout.write(
            _("%(label)s：共 %(total)d 行，新增 %(new)d，更新 %(updated)d，不变 %(unchanged)d")
            % {"label": label, "total": total, **counts}
        )

    def _print_errors(self, plan):
        for error in plan.errors[:SHOWN_ERRORS]:
            self.stderr.write(_("第 %(line)d 行 [%(column)s] %(value)s：%(reason)s") % error)
        if len(plan.errors) > SHOWN_ERRORS:
            self.stderr.write(
                _("……另有 %(n)d 条问题未列出") % {"n": len(plan.errors) - SHOWN_ERRORS}
            )
