"""The shell and the staff/resident/public pages render and keep to their scope."""

import pytest
from django.urls import reverse

from . import factories as f


def login(client, user):
    client.force_login(user)
    return client


def test_public_home_lists_communities(client, world):
    html = client.get("/").content.decode()
    assert "湖东社区" in html and "南湖社区" in html
    assert client.get("/c/HD/").status_code == 200
    assert client.get("/c/NOPE/").status_code == 404


def test_page_titles_name_the_page_and_the_platform(client, world):
    assert "<title>首页 · 自治平台</title>" in client.get("/").content.decode()
    assert "<title>湖东社区 · 自治平台</title>" in client.get("/c/HD/").content.decode()


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_staff_home_shows_their_community_figures(client, world):
    f.resident(world.hd, name="王五", lives_alone_elderly=True)
    html = login(client, world.worker_a).get("/").content.decode()
    assert "湖东社区" in html
    assert "独居老人" in html
    assert "西湖社区" not in html


def test_subdistrict_admin_switches_between_its_communities(client, world):
    login(client, world.subadmin)
    assert "西湖社区" in client.get("/?c=XH").content.decode()
    # A community of another subdistrict is not offered; the first own community is shown.
    html = client.get("/?c=NH").content.decode()
    assert "南湖社区" not in html


def test_resident_home_and_own_data(client, world):
    login(client, world.resident_a)
    assert "湖东居民" in client.get("/").content.decode()
    html = client.get("/me/").content.decode()
    assert "********" in html
    response = client.get("/me/export.json")
    assert response.json()["name"] == "湖东居民"
    assert response.json()["id_number"].count("*") == 8


def test_staff_have_no_my_data_page(client, world):
    assert login(client, world.worker_a).get("/me/").status_code == 404


def test_roster_search_by_name_initials_tail_phone_building(client, world):
    hh = f.household(world.hd, "7栋", "702")
    r = f.resident(world.hd, name="赵六", hh=hh, phone="13912345678")
    r.name_initials = "zl"
    r.save()
    f.resident(world.xh, name="赵六")  # same name, other community: never listed
    login(client, world.worker_a)
    url = reverse("registry:roster", args=["HD"])
    for q in ["赵六", "zl", "ZL", r.id_tail, "5678", "7栋"]:
        html = client.get(url, {"q": q}).content.decode()
        assert html.count(">赵六</a>") == 1, q
    assert ">赵六</a>" not in client.get(url, {"q": "钱七"}).content.decode()


def test_roster_htmx_returns_rows_only(client, world):
    login(client, world.worker_a)
    response = client.get(reverse("registry:roster", args=["HD"]), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert "共" in response.content.decode()


def test_roster_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    hh = f.household(world.hd, "1栋", "101")
    for i in range(30):
        f.resident(world.hd, name=f"居民{i}", hh=hh)
    login(client, world.worker_a)
    client.get(reverse("registry:roster", args=["HD"]))  # warm session
    with django_assert_max_num_queries(12):
        client.get(reverse("registry:roster", args=["HD"]))


def test_resident_page_and_households(client, world):
    hh = f.household(world.hd, "3栋", "301")
    r = f.resident(world.hd, name="孙八", hh=hh)
    f.resident(world.hd, name="孙九", hh=hh)
    login(client, world.worker_a)
    html = client.get(reverse("registry:resident", args=["HD", r.pk])).content.decode()
    assert "孙八" in html and "孙九" in html and r.id_number_masked in html
    assert "301" in client.get(reverse("registry:households", args=["HD"])).content.decode()
    html = client.get(reverse("registry:household", args=["HD", hh.pk])).content.decode()
    assert "孙八" in html and "孙九" in html


def test_reveal_id_is_audited_and_only_for_own_community(client, world):
    from zizhi.audit.models import Event

    r = f.resident(world.hd, name="周十")
    full = r.reveal_id_number()
    login(client, world.worker_b)
    assert client.post(reverse("registry:reveal_id", args=["HD", r.pk])).status_code == 404
    assert client.post(reverse("registry:reveal_id", args=["XH", r.pk])).status_code == 404
    login(client, world.worker_a)
    response = client.post(reverse("registry:reveal_id", args=["HD", r.pk]))
    assert full in response.content.decode()
    event = Event.objects.get(verb="resident.reveal_id_number")
    assert event.actor == world.worker_a and event.community == world.hd
    assert full not in str(event.summary)


def test_reveal_needs_post(client, world):
    r = f.resident(world.hd)
    login(client, world.worker_a)
    assert client.get(reverse("registry:reveal_id", args=["HD", r.pk])).status_code == 405


@pytest.mark.parametrize("on", ["1", "0"])
def test_large_text_persists_for_anonymous_by_cookie(client, db, on):
    response = client.post("/prefs/large-text/", {"on": on, "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert ('class="large-text"' in html) == (on == "1")


def test_large_text_persists_on_the_account(client, world):
    login(client, world.resident_a)
    client.post("/prefs/large-text/", {"on": "1", "next": "/"})
    world.resident_a.refresh_from_db()
    assert world.resident_a.large_text
    client.cookies.clear()
    login(client, world.resident_a)
    assert 'class="large-text"' in client.get("/").content.decode()


def test_large_text_refuses_offsite_redirect(client, db):
    response = client.post("/prefs/large-text/", {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_to_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "Log in" in html


def test_every_page_sets_chinese_by_default(client, db):
    assert '<html lang="zh-Hans"' in client.get("/").content.decode()


def test_no_asset_comes_from_another_host(client, world):
    """Government intranets have no internet: every script, style and image is ours."""
    import re

    pages = [
        ("/", None),
        ("/c/HD/", None),
        ("/accounts/login/", None),
        ("/", world.worker_a),
        (reverse("registry:roster", args=["HD"]), world.worker_a),
        ("/me/", world.resident_a),
    ]
    for url, user in pages:
        if user:
            client.force_login(user)
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
        assert 'src="/static/django_htmx/htmx' in html, url


def test_inbox_lists_messages_and_marks_them_read(client, world):
    from zizhi.accounts import messaging

    messaging.send([world.resident_a], "会议通知：居民代表大会", "周五下午两点", "/")
    client.force_login(world.resident_a)
    home = client.get("/").content.decode()
    assert 'class="badge"' in home and "1条未读" in home
    inbox = client.get(reverse("accounts:inbox")).content.decode()
    assert "会议通知：居民代表大会" in inbox and "未读" in inbox
    client.post(reverse("accounts:inbox_read"))
    assert world.resident_a.inbox.filter(read_at__isnull=True).count() == 0
    assert 'class="badge"' not in client.get("/").content.decode()
