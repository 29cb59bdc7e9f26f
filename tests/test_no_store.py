"""Pages that show personal data send Cache-Control: no-store (issue 9, PIPL); public pages
for anonymous visitors keep their caching; static files are untouched."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.greening_rows import adopt, plot
from zizhi.accounts.actions import do_create_api_token
from zizhi.accounts.privacy import NoStoreForPersonalData

from .test_notices import published


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user=None, **extra) -> Client:
    c = Client(**extra)
    if user is not None:
        c.force_login(user)
    return c


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_middleware_comes_right_after_authentication(settings):
    mw = settings.MIDDLEWARE
    auth = mw.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert mw[auth + 1] == "zizhi.accounts.privacy.NoStoreForPersonalData"


def test_representative_urls(world):
    notice = published(world)
    p = plot(world.hd, world.worker_a, "月季花坛")
    adoption = adopt(p, world.resident_a, world.worker_a)
    resident = world.resident_a.resident
    token = do_create_api_token("程序", actor=world.worker_a)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    anonymous, worker, own = client_for(), client_for(world.worker_a), client_for(world.resident_a)
    rows = [
        # (who, client, url, extra headers, no-store expected); every one answers 200
        ("anonymous", anonymous, reverse("web:community", args=["HD"]), {}, False),
        ("anonymous", anonymous, reverse("notices:board", args=["HD"]), {}, False),
        ("anonymous", anonymous, reverse("notices:pdf", args=["HD", notice.pk]), {}, False),
        ("anonymous", anonymous, "/api/v1/communities", {}, False),
        ("staff", worker, reverse("web:home"), {}, True),
        ("staff", worker, reverse("registry:roster", args=["HD"]), {}, True),
        ("staff", worker, reverse("registry:resident", args=["HD", resident.pk]), {}, True),
        ("staff", worker, reverse("registry:export", args=["HD"]), {}, True),
        ("staff", worker, reverse("greening:agreement_pdf", args=["HD", adoption.pk]), {}, True),
        ("staff", worker, reverse("notices:pdf", args=["HD", notice.pk]), {}, True),
        ("staff", worker, reverse("web:community", args=["HD"]), {}, True),
        ("staff, API by session", worker, "/api/v1/residents", {}, True),
        ("resident", own, reverse("web:home"), {}, True),
        ("resident", own, reverse("web:my_data"), {}, True),
        ("resident", own, reverse("web:my_data_export"), {}, True),
        ("API token", anonymous, "/api/v1/residents", bearer, True),
        ("API token", anonymous, "/api/v1/me", bearer, True),
    ]
    wrong = []
    for who, client, url, headers, expected in rows:
        response = client.get(url, **headers)
        assert response.status_code == 200, (who, url, response.status_code)
        if no_store(response) != expected:
            wrong.append((who, url, response.get("Cache-Control")))
    assert wrong == []


def test_a_form_answer_to_an_anonymous_visitor_is_not_kept(world):
    """A failed activation echoes the phone that was typed: the answer is not stored."""
    response = client_for().post(
        reverse("accounts:activate"),
        {"phone": "13912345678", "code": "WRONG", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200 and no_store(response)


def test_a_failed_login_is_not_kept(world):
    response = client_for().post(
        reverse("accounts:login"), {"username": world.worker_a.phone, "password": "wrong"}
    )
    assert response.status_code == 200 and no_store(response)


def test_the_public_certificate_check_is_not_kept(world):
    """It shows the volunteer's name and masked ID number to whoever holds the link."""
    for name in ("associations:verify", "api:verify_certificate"):
        response = client_for().get(reverse(name, args=["NOSUCHCODE"]))
        assert no_store(response), name


def test_an_explicit_private_or_no_store_is_kept():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from zizhi.accounts.models import User

    for given in ("private, max-age=3600", "private, no-store", "no-cache, no-store"):

        def view(request, given=given):
            response = HttpResponse("x")
            response["Cache-Control"] = given
            return response

        request = RequestFactory().get("/x/")
        request.user = User(phone="13900000000", name="x")
        response = NoStoreForPersonalData(view)(request)
        assert response["Cache-Control"] == given


def test_a_public_cache_header_gives_way_to_no_store_for_a_signed_in_user():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from zizhi.accounts.models import User

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=86400"
        return response

    request = RequestFactory().get("/x/")
    request.user = User(phone="13900000000", name="x")
    response = NoStoreForPersonalData(view)(request)
    assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache"
    request = RequestFactory().get("/x/")
    assert NoStoreForPersonalData(view)(request)["Cache-Control"] == "public, max-age=86400"


def test_static_files_are_untouched(client, settings):
    """Whitenoise answers static files before the session and this middleware."""
    mw = settings.MIDDLEWARE
    assert mw.index("whitenoise.middleware.WhiteNoiseMiddleware") < mw.index(
        "zizhi.accounts.privacy.NoStoreForPersonalData"
    )
