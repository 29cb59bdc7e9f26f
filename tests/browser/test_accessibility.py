"""axe-core on every public and resident page: normal and large text, phone and desktop width;
forms showing errors and the staff pages at both widths.

No violation of impact serious or critical is allowed.
"""

import pytest
from playwright.sync_api import expect

from zizhi.governance.demo import REPRESENTATIVES, SECRETARY
from zizhi.registry.demo import RESIDENT_LOGINS, WORKER_LOGINS
from zizhi.registry.models import Resident

from .conftest import log_in

pytestmark = pytest.mark.browser

HD_WORKER_PHONE = next(w.phone for w in WORKER_LOGINS if w.community == "HD")
WIDTHS = (390, 1280)
BLOCKING = ("serious", "critical")
PAGES = {
    "home (anonymous)": (None, "/"),
    "community public page": (None, "/c/HD/"),
    "login": (None, "/accounts/login/"),
    "activate": (None, "/accounts/activate/"),
    "resident home": (RESIDENT_LOGINS[0].phone, "/"),
    "my data (/me/)": (RESIDENT_LOGINS[0].phone, "/me/"),
    "notice board": (None, "/c/HD/notices/"),
    "notice board, expired": (None, "/c/HD/notices/?show=expired"),
    "a notice (anonymous)": (None, "notice"),
    "a notice (resident, objection form)": (RESIDENT_LOGINS[0].phone, "notice"),
    "inbox (resident)": (RESIDENT_LOGINS[0].phone, "/accounts/inbox/"),
    "representative home": (REPRESENTATIVES[0].phone, "/"),
    "meeting (representative)": (REPRESENTATIVES[0].phone, "meeting"),
    "poll with its result (representative)": (REPRESENTATIVES[0].phone, "poll"),
    "matter in review (branch secretary)": (SECRETARY.phone, "review"),
    "consultation (resident)": (RESIDENT_LOGINS[0].phone, "consult"),
}


def governance_path(kind: str) -> str:
    """Pages of the demo's governance data of HD."""
    from zizhi.governance.models import Matter, Meeting, Poll

    if kind == "meeting":
        return f"/c/HD/meetings/{Meeting.objects.filter(community__code='HD').first().pk}/"
    if kind == "poll":
        return f"/c/HD/polls/{Poll.objects.filter(item__meeting__community__code='HD').first().pk}/"
    state = "in_review" if kind == "review" else "in_consultation"
    matter = Matter.objects.get(community__code="HD", state=state)
    return f"/c/HD/matters/{matter.pk}/" + ("consult/" if kind == "consult" else "")


def notice_path() -> str:
    """A current notice of HD with an answered objection (the demo has one)."""
    from zizhi.notices.models import Objection

    notice = Objection.objects.filter(notice__community__code="HD").first().notice
    return f"/c/HD/notices/{notice.pk}/"


def blocking_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def describe(where: str, violations: list[dict]) -> str:
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      {', '.join(map(str, node['target']))}")
            lines.append(f"        {node.get('failureSummary', '').replace(chr(10), ' | ')}")
    return "\n".join(lines)


def check_widths(page, label: str, problems: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})  # media queries apply at once
        violations = blocking_violations(page)
        if violations:
            problems.append(describe(f"{label} at {width}px", violations))


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(page, name):
    phone, path = PAGES[name]
    if path == "notice":
        path = notice_path()
    elif not path.startswith("/"):
        path = governance_path(path)
    if phone:
        log_in(page, phone)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    problems: list[str] = []
    check_widths(page, f"{name} {path}, normal text", problems)

    page.get_by_role("button", name="大字模式").click()
    page.wait_for_load_state()
    assert "large-text" in (page.locator("html").get_attribute("class") or "")
    assert page.url.endswith(path)
    check_widths(page, f"{name} {path}, large text", problems)

    assert not problems, "axe found serious or critical violations:\n" + "\n\n".join(problems)


def test_forms_showing_errors_have_no_serious_accessibility_violations(page):
    problems: list[str] = []
    page.goto("/accounts/login/")
    page.fill("input[name=username]", HD_WORKER_PHONE)
    page.fill("input[name=password]", "not-the-password")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_widths(page, "login with a wrong password", problems)

    page.goto("/accounts/activate/")
    for field, value in (("phone", "123"), ("code", "1"), ("password1", "1"), ("password2", "2")):
        page.fill(f"input[name={field}]", value)
    page.get_by_role("button", name="开通").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    check_widths(page, "activate with errors", problems)

    assert not problems, "axe found serious or critical violations:\n" + "\n\n".join(problems)


def test_staff_pages_have_no_serious_accessibility_violations(page):
    resident = Resident.objects.filter(community__code="HD", household__isnull=False).first()
    paths = [
        "/",
        "/c/HD/residents/",
        f"/c/HD/residents/{resident.pk}/",
        "/c/HD/households/",
        f"/c/HD/households/{resident.household_id}/",
        "/c/HD/import/",
        "/audit/",
        "/c/HD/notices/manage/",
        notice_path().replace("/notices/", "/notices/manage/"),
        "/c/HD/matters/",
        "/c/HD/matters/new/",
        governance_path("review"),
        "/c/HD/meetings/",
        "/c/HD/meetings/new/",
        governance_path("meeting"),
        governance_path("poll"),
        "/c/HD/bodies/",
        "/c/HD/charter/",
    ]
    log_in(page, HD_WORKER_PHONE)
    problems: list[str] = []
    for path in paths:
        page.goto(path)
        check_widths(page, f"staff page {path}", problems)
    assert not problems, "axe found serious or critical violations:\n" + "\n\n".join(problems)
