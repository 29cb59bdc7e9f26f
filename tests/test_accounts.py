"""Login by phone, activation codes, lockout, session rotation, staff idle timeout."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zizhi.accounts import actions
from zizhi.accounts.models import ActivationCode, Role, RoleKind, User
from zizhi.audit.models import Event

from . import factories as f


def test_user_model_logs_in_by_phone_with_argon2(db):
    from django.conf import settings as project_settings
    from django.test import override_settings

    from zizhi import settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = f.user()
        assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        assert user.password.startswith("argon2")
        assert user.check_password(f.PASSWORD)
    assert User.USERNAME_FIELD == "phone"


def test_login_page_logs_in_and_rotates_the_session(client, world):
    client.get(reverse("accounts:login"))
    before = client.cookies.get("sessionid")
    response = client.post(
        reverse("accounts:login"),
        {"username": world.worker_a.phone, "password": f.PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after


def test_login_accepts_full_width_phone(client, world):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in world.worker_a.phone)
    response = client.post(
        reverse("accounts:login"), {"username": full_width, "password": f.PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_says_so_in_chinese(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": world.worker_a.phone, "password": "nope"}
    )
    assert response.status_code == 200
    assert "手机号或密码不对" in response.content.decode()


def _fail(client, phone, ip, **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": phone, "password": "wrong-password"},
        REMOTE_ADDR=ip,
        **headers,
    )


def test_five_failures_lock_the_phone_and_ip_pair(client, world):
    phone = world.worker_a.phone
    for _ in range(4):
        assert _fail(client, phone, "10.1.1.1").status_code == 200
    assert _fail(client, phone, "10.1.1.1").status_code == 429
    # Even the right password is refused while locked.
    response = client.post(
        reverse("accounts:login"),
        {"username": phone, "password": f.PASSWORD},
        REMOTE_ADDR="10.1.1.1",
    )
    assert response.status_code == 429
    assert "暂停登录" in response.content.decode()
    # Another IP for the same phone is not locked (the lock is per phone and IP).
    response = client.post(
        reverse("accounts:login"),
        {"username": phone, "password": f.PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302


def test_forged_x_forwarded_for_does_not_reset_the_lock(client, world):
    phone = world.worker_a.phone
    for i in range(5):
        _fail(client, phone, "10.2.2.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}")
    for i in range(100):
        response = client.post(
            reverse("accounts:login"),
            {"username": phone, "password": f.PASSWORD},
            REMOTE_ADDR="10.2.2.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
        assert response.status_code == 429


def test_issue_activation_code_and_activate(client, world):
    r = f.resident(world.hd, name="钱七", phone="13700001111")
    code = actions.do_issue_activation_code(r, actor=world.worker_a)
    assert re.fullmatch(r"\d{8}", code)
    # Only the hash is stored.
    assert not ActivationCode.objects.filter(code_hash=code).exists()
    response = client.post(
        reverse("accounts:activate"),
        {
            "phone": "137 0000 1111",
            "code": code,
            "password1": "Hu-dong-2026",
            "password2": "Hu-dong-2026",
        },
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.user.phone == "13700001111"
    assert r.user.check_password("Hu-dong-2026")
    assert Event.objects.filter(verb="account.activate", community=world.hd).exists()
    # The code works once.
    with pytest.raises(ValidationError):
        actions.do_activate_account("13700001111", code, "Another-pass-1")


def test_activation_with_wrong_phone_fails_and_counts(world):
    r = f.resident(world.hd, phone="13700002222")
    code = actions.do_issue_activation_code(r, actor=world.worker_a)
    for _ in range(5):
        with pytest.raises(ValidationError):
            actions.do_activate_account("13799999999", code, "Good-pass-2026")
    # Five wrong phones expire the code, even with the right phone afterwards.
    with pytest.raises(ValidationError):
        actions.do_activate_account("13700002222", code, "Good-pass-2026")
    assert ActivationCode.objects.get().failed_attempts == 5
    assert Event.objects.filter(verb="account.activation_failed").count() == 5


def test_activation_form_shows_clear_errors(client, db):
    response = client.post(
        reverse("accounts:activate"),
        {"phone": "123", "code": "12", "password1": "a", "password2": "b"},
    )
    html = response.content.decode()
    assert "请填写11位手机号" in html and "激活码是8位数字" in html


def test_new_code_expires_the_old_one(world):
    r = f.resident(world.hd, phone="13700003333")
    old = actions.do_issue_activation_code(r, actor=world.worker_a)
    actions.do_issue_activation_code(r, actor=world.worker_a)
    with pytest.raises(ValidationError):
        actions.do_activate_account("13700003333", old, "Good-pass-2026")


def test_only_staff_of_the_community_issue_codes(world):
    r = f.resident(world.hd)
    for outsider in (world.worker_b, world.worker_c, world.subadmin_other, world.resident_a):
        with pytest.raises(PermissionDenied):
            actions.do_issue_activation_code(r, actor=outsider)
    assert actions.do_issue_activation_code(r, actor=world.subadmin)


def test_activation_code_page_prints_a_slip(client, world):
    r = f.resident(world.hd, name="吴九")
    client.force_login(world.worker_a)
    response = client.post(reverse("registry:activation_code", args=["HD", r.pk]))
    html = response.content.decode()
    assert "吴九" in html and re.search(r'class="code">\d{8}<', html)


def test_activation_without_phone_gives_a_message(client, world):
    r = f.resident(world.hd)
    r.phone = ""
    r.save()
    client.force_login(world.worker_a)
    response = client.post(reverse("registry:activation_code", args=["HD", r.pk]), follow=True)
    assert "没有登记手机号" in response.content.decode()


def test_grant_role_by_subdistrict_admin_only_in_its_subdistrict(world):
    newbie = f.user(name="新同事")
    actions.do_grant_role(newbie, RoleKind.COMMUNITY_WORKER, scope=world.xh, actor=world.subadmin)
    assert Role.objects.filter(user=newbie, community=world.xh).exists()
    with pytest.raises(PermissionDenied):
        actions.do_grant_role(
            newbie, RoleKind.COMMUNITY_WORKER, scope=world.nhc, actor=world.subadmin
        )
    with pytest.raises(PermissionDenied):
        actions.do_grant_role(
            newbie, RoleKind.COMMUNITY_WORKER, scope=world.hd, actor=world.worker_a
        )
    assert Event.objects.filter(verb="account.grant_role").count() == 1


def test_staff_idle_timeout_logs_out(client, world, settings):
    settings.STAFF_IDLE_TIMEOUT = 60
    client.force_login(world.worker_a)
    assert client.get(reverse("registry:roster", args=["HD"])).status_code == 200
    session = client.session
    session["zizhi_last_seen"] -= 120
    session.save()
    response = client.get(reverse("registry:roster", args=["HD"]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("registry:roster", args=["HD"])).status_code == 302


def test_staff_idle_timeout_on_the_api_answers_401(client, world, settings):
    settings.STAFF_IDLE_TIMEOUT = 60
    client.force_login(world.worker_a)
    assert client.get("/api/v1/me").status_code == 200
    session = client.session
    session["zizhi_last_seen"] -= 120
    session.save()
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "超时" in response.json()["detail"]


def test_residents_are_never_timed_out(client, world, settings):
    settings.STAFF_IDLE_TIMEOUT = 60
    client.force_login(world.resident_a)
    client.get("/me/")
    assert "zizhi_last_seen" not in client.session
    assert client.get("/me/").status_code == 200


def test_disabled_account_loses_its_session(client, world):
    client.force_login(world.worker_a)
    world.worker_a.is_active = False
    world.worker_a.save()
    assert client.get(reverse("registry:roster", args=["HD"])).status_code == 302
