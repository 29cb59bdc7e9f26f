"""The staff page for API tokens: create (key shown once), list, revoke."""

from django.test import Client
from django.urls import reverse

from zizhi.accounts.models import ApiToken
from zizhi.audit.models import Event


def test_staff_create_a_token_and_see_the_key_once(client, world):
    client.force_login(world.worker_a)
    response = client.post(reverse("accounts:tokens"), {"name": "报表程序"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("zz_") and key in response.content.decode()
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again and "报表程序" in again
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.json()["name"] == world.worker_a.name


def test_empty_name_is_refused_in_chinese(client, world):
    client.force_login(world.worker_a)
    response = client.post(reverse("accounts:tokens"), {"name": "  "}, follow=True)
    assert "请填写令牌名称" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_from_the_page(client, world):
    client.force_login(world.worker_a)
    client.post(reverse("accounts:tokens"), {"name": "旧程序"})
    token = ApiToken.objects.get()
    response = client.post(reverse("accounts:revoke_token", args=[token.pk]), follow=True)
    assert "令牌已吊销" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.filter(verb="account.revoke_api_token").exists()


def test_residents_have_no_token_page(client, world):
    client.force_login(world.resident_a)
    assert client.get(reverse("accounts:tokens")).status_code == 404
