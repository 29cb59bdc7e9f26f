import segno
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zizhi.accounts.actions import do_add_admin_device


class Command(BaseCommand):
    help = (
        "Give a superuser a TOTP authenticator for the admin (ZIZHI_ADMIN=true): prints the "
        "otpauth:// link and its QR code to scan with an authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("phone", help="the superuser's phone (zizhi createsuperuser)")
        parser.add_argument("--name", default="authenticator", help="a name for the device")

    def handle(self, *args, phone, name, **options):
        try:
            device = do_add_admin_device(phone, name)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from e
        url = device.config_url
        if options["verbosity"] >= 1:
            segno.make(url, error="m").terminal(out=self.stdout._out, compact=True)
        self.stdout.write(url)
        self.stdout.write(
            _("请用身份验证器应用扫描上面的二维码；登录管理后台时输入它显示的 6 位动态码。")
        )
