"""Headers that every response carries (Content-Security-Policy, nosniff), templates that
need no inline script, and Django's deployment check passing with production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_pages_and_the_api_carry_a_strict_policy_and_nosniff(client, world):
    client.force_login(world.worker_a)
    for url in (reverse("web:home"), reverse("stats:community", args=["HD"]), "/api/v1/me"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url


def test_the_swagger_page_alone_is_left_out(client):
    assert "Content-Security-Policy" not in client.get("/api/v1/docs")
    assert "Content-Security-Policy" in client.get(reverse("accounts:login"))


def test_no_template_has_an_inline_script_or_handler():
    found = []
    for path in (ROOT / "zizhi").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found, "\n".join(found)


def test_the_deployment_check_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ZIZHI_DEV", "DEBUG", "DATABASE_URL")}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ZIZHI_DATA_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ZIZHI_HTTPS="true",
        ALLOWED_HOSTS="zizhi.example.gov.cn",
        ZIZHI_VAR_DIR=str(tmp_path),
    )
    done = subprocess.run(
        [sys.executable, "-m", "zizhi.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
