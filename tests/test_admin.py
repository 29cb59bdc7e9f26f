"""The admin: off by default; when on, superusers only, with a one-time code, read-only."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zizhi.accounts.models import User
from zizhi.audit.models import Event
from zizhi.registry.models import Community

PASSWORD = "correct-horse-battery"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("13900000001", PASSWORD, name="运维")


@pytest.fixture
def device(superuser):
    call_command("admin-device", superuser.phone, "--name", "手机", verbosity=0)
    return TOTPDevice.objects.get(user=superuser)


def login(client, user, device=None, token=None):
    data = {"username": user.phone, "password": PASSWORD, "next": "/admin/"}
    if device is not None:
        data |= {"otp_device": device.persistent_id, "otp_token": token or totp(device.bin_key)}
    return client.post("/admin/login/", data)


def test_the_admin_is_off_by_default(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


def test_zizhi_admin_true_mounts_it_at_the_chosen_path():
    code = (
        "import django; django.setup(); from django.urls import resolve; "
        "print(resolve('/ops-7f3/login/').url_name)"
    )
    env = {**os.environ, "ZIZHI_DEV": "1", "ZIZHI_ADMIN": "true", "ZIZHI_ADMIN_PATH": "ops-7f3"}
    env["DJANGO_SETTINGS_MODULE"] = "zizhi.settings"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "login", out.stderr


@pytest.mark.urls("tests.urls_admin")
def test_a_password_alone_does_not_open_the_admin(client, superuser, device):
    answer = login(client, superuser)
    assert answer.status_code == 200  # the login form again
    assert client.get("/admin/").status_code == 302


@pytest.mark.urls("tests.urls_admin")
def test_a_wrong_code_does_not_open_the_admin(client, superuser, device):
    wrong = f"{(int(totp(device.bin_key)) + 1) % 1_000_000:06d}"
    assert login(client, superuser, device, wrong).status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.urls("tests.urls_admin")
def test_password_and_code_open_a_read_only_admin(client, superuser, device, world):
    assert login(client, superuser, device).status_code == 302
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "自治平台 系统管理" in index.content.decode()
    url = f"/admin/registry/community/{world.hd.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and world.hd.name in page.content.decode()
    before = Community.objects.get(pk=world.hd.pk).name
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert client.get("/admin/registry/community/add/").status_code == 403
    assert client.post(f"/admin/registry/community/{world.hd.pk}/delete/").status_code == 403
    assert Community.objects.get(pk=world.hd.pk).name == before
    # hidden columns: the password hash is not shown
    user_page = client.get(f"/admin/accounts/user/{superuser.pk}/change/").content.decode()
    assert superuser.password not in user_page


@pytest.mark.urls("tests.urls_admin")
def test_staff_who_are_not_superusers_stay_out(client, world):
    world.worker_a.is_staff = True
    world.worker_a.set_password(PASSWORD)
    world.worker_a.save()
    TOTPDevice.objects.create(user=world.worker_a, name="x", confirmed=True)
    device = TOTPDevice.objects.get(user=world.worker_a)
    login(client, world.worker_a, device)
    assert client.get("/admin/").status_code == 302


def test_the_device_command_is_audited_and_refuses_non_superusers(superuser, world):
    call_command("admin-device", superuser.phone, verbosity=0)
    assert Event.objects.filter(verb="account.add_admin_device", object_id=str(superuser.pk))
    with pytest.raises(CommandError, match="超级管理员"):
        call_command("admin-device", world.worker_a.phone, verbosity=0)
    with pytest.raises(CommandError, match="没有这个手机号"):
        call_command("admin-device", "13999999999", verbosity=0)
