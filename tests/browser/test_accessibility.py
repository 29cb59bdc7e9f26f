"""axe-core on every public and resident page: normal and large text, phone and desktop width;
forms showing errors and the staff pages at both widths.

No violation of impact serious or critical is allowed.
"""

import pytest
from playwright.sync_api import expect

from zizhi.governance.demo import REPRESENTATIVES, SECRETARY
from zizhi.registry.demo import RESIDENT_LOGINS, WORKER_LOGINS
from zizhi.registry.models import Resident

from .conftest import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

HD_WORKER_PHONE = next(w.phone for w in WORKER_LOGINS if w.community == "HD")
PARTY_MEMBER = "13900000081"  # zizhi/party/demo.py: an in-service member of HD, reported in
VOLUNTEER = "13900000071"  # zizhi/wishes/demo.py: holds wish claims in HD
MEDIATION_LEAD = "13900000092"  # zizhi/mediation/demo.py: HD's mediation lead
WIDTHS = (390, 1280)
BLOCKING = ("serious", "critical")
PAGES = {
    "home (anonymous)": (None, "/"),
    "community public page": (None, "/c/HD/"),
    "login": (None, "/accounts/login/"),
    "activate": (None, "/accounts/activate/"),
    "resident home": (RESIDENT_LOGINS[0].phone, "/"),
    "my data (/me/)": (RESIDENT_LOGINS[0].phone, "/me/"),
    "ask for a correction": (RESIDENT_LOGINS[0].phone, "/me/correction/"),
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
    "honour roll": (None, "/c/HD/honour-roll/"),
    "my Moral Bank (resident)": (RESIDENT_LOGINS[0].phone, "/bank/"),
    "redeem (resident)": (RESIDENT_LOGINS[0].phone, "/bank/redeem/"),
    "neighbour help (resident)": (RESIDENT_LOGINS[0].phone, "/bank/help/"),
    "green plots": (None, "/c/HD/plots/"),
    "a green plot (its sign's QR page)": (None, "plot"),
    "greening fund": (None, "/c/HD/plots/fund/"),
    "wishes wall": (None, "/c/HD/wishes/"),
    "mediation statistics": (None, "/c/HD/mediation/stats/"),
    "Party service posts": (None, "/c/HD/party/posts/"),
    "my green plots (resident)": (RESIDENT_LOGINS[0].phone, "/greening/"),
    "my adoption, upkeep form (resident)": (RESIDENT_LOGINS[0].phone, "adoption"),
    "my wishes (resident)": (RESIDENT_LOGINS[0].phone, "/wishes/mine/"),
    "my mediation (resident)": (RESIDENT_LOGINS[0].phone, "/mediation/"),
    "ask for mediation (resident)": (RESIDENT_LOGINS[0].phone, "/mediation/apply/"),
    "in-service Party member home": (PARTY_MEMBER, "/"),
    "report-in and my posts (Party member)": (PARTY_MEMBER, "/party/me/"),
    "my wish claims (volunteer)": (VOLUNTEER, "/wishes/claims/"),
    "mediation lead's desk": (MEDIATION_LEAD, "/c/HD/mediation/desk/"),
    "Party branch desk (secretary)": (SECRETARY.phone, "/c/HD/party/"),
    "retired members' care (secretary)": (SECRETARY.phone, "/c/HD/party/care/"),
}
# one test per group, each page in a fresh browser context on one demo build (a demo per page
# made this the slowest part of the suite)
RESIDENT = RESIDENT_LOGINS[0].phone
GROUPS = {
    "public": [name for name, (phone, _) in PAGES.items() if phone is None],
    "resident": [name for name, (phone, _) in PAGES.items() if phone == RESIDENT],
    "members, mediators and secretary": [
        name for name, (phone, _) in PAGES.items() if phone not in (None, RESIDENT)
    ],
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


def greening_path(kind: str) -> str:
    """HD's adopted plot of 王秀英's household (public page), or her adoption (upkeep form)."""
    from zizhi.greening.models import Adoption

    adoption = Adoption.objects.filter(
        community__code="HD", household__members__phone=RESIDENT, status="active"
    ).first()
    if kind == "plot":
        return f"/c/HD/plots/{adoption.plot_id}/"
    return f"/greening/adoptions/{adoption.pk}/"


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


def check_page(page, name: str, problems: list[str]) -> None:
    phone, path = PAGES[name]
    if path == "notice":
        path = notice_path()
    elif path in ("plot", "adoption"):
        path = greening_path(path)
    elif not path.startswith("/"):
        path = governance_path(path)
    if phone:
        log_in(page, phone)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "zh-Hans", name
    if "large-text" in (page.locator("html").get_attribute("class") or ""):
        # the login kept large text from an earlier page: back to normal first
        page.get_by_role("button", name="标准字号").click()
        page.wait_for_load_state()
    check_widths(page, f"{name} {path}, normal text", problems)

    page.get_by_role("button", name="大字模式").click()
    page.wait_for_load_state()
    assert "large-text" in (page.locator("html").get_attribute("class") or ""), name
    assert page.url.endswith(path), name
    check_widths(page, f"{name} {path}, large text", problems)


@pytest.mark.parametrize("group", GROUPS)
def test_pages_have_no_serious_accessibility_violations(browser, site, group):
    problems: list[str] = []
    for name in GROUPS[group]:
        context = browser.new_context(
            base_url=site, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            check_page(context.new_page(), name, problems)
        finally:
            context.close()
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
        "/c/HD/greening/",
        "/c/HD/greening/adoptions/",
        "/c/HD/greening/fund/",
        "/c/HD/wishes/desk/",
        "/c/HD/mediation/",
        "/c/HD/corrections/",
        f"/c/HD/residents/{resident.pk}/erase/",
    ]
    log_in(page, HD_WORKER_PHONE)
    problems: list[str] = []
    for path in paths:
        page.goto(path)
        check_widths(page, f"staff page {path}", problems)
    assert not problems, "axe found serious or critical violations:\n" + "\n\n".join(problems)


def held_meeting():
    """Open the demo's coming HD assembly meeting; everyone but one representative is ticked
    present (she signs in by the QR link). Returns the meeting and her login."""
    from zizhi.accounts.models import User
    from zizhi.governance import actions
    from zizhi.governance.models import Meeting, Membership

    worker = User.objects.get(phone=HD_WORKER_PHONE)
    meeting = Meeting.objects.get(community__code="HD", status="notified")
    actions.do_open_meeting(meeting, actor=worker)
    rep = REPRESENTATIVES[0]
    for seat in (
        Membership.objects.active().filter(body=meeting.body).exclude(user__phone=rep.phone)
    ):
        actions.do_record_attendance(meeting, seat, actor=worker)
    return meeting, worker, rep


def open_poll(meeting, worker):
    from zizhi.governance import actions

    poll = actions.do_create_poll(
        meeting.items.first(), question="是否同意年度工作计划", actor=worker
    )
    return actions.do_open_poll(poll, actor=worker)


def fits_a_phone(page, label: str, problems: list[str]) -> None:
    """At 390px: no sideways scrolling and every button or button-like link >= 44px high."""
    page.set_viewport_size({"width": 390, "height": 844})
    if page.evaluate("document.documentElement.scrollWidth") > 390:
        problems.append(f"{label}: wider than a 390px phone")
    small = page.evaluate(
        """[...document.querySelectorAll('main button, main .btn')]
        .filter(b => b.offsetParent && b.getBoundingClientRect().height < 44)
        .map(b => b.textContent.trim())"""
    )
    if small:
        problems.append(f"{label}: touch targets under 44px: {small}")


def test_member_meeting_sign_in_and_poll_pages_on_a_phone(page, output_dir):
    meeting, worker, rep = held_meeting()
    base = f"/c/HD/meetings/{meeting.pk}/"
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, rep.phone)
    problems: list[str] = []
    page.goto(base)
    expect(page.get_by_text("请扫描会场大屏上的二维码签到")).to_be_visible()
    check_widths(page, "member's meeting page, not signed in", problems)
    page.goto(f"{base}signin/{meeting.signin_token}/")
    check_widths(page, "sign-in landing", problems)
    fits_a_phone(page, "sign-in landing", problems)
    page.get_by_role("button", name="确认签到").click()
    expect(page.get_by_text("签到成功")).to_be_visible()

    poll = open_poll(meeting, worker)
    page.goto(base)
    page.get_by_role("link", name=poll.question).first.click()
    page.wait_for_url(f"**/c/HD/polls/{poll.pk}/")
    for label in ("poll page, three buttons", "poll page, large text"):
        check_widths(page, label, problems)
        fits_a_phone(page, label, problems)
        if "large" not in label:
            page.get_by_role("button", name="大字模式").click()
            page.wait_for_load_state()
    page.screenshot(path=output_dir / "poll-member-390.png", full_page=True)
    page.get_by_role("button", name="赞成").click()
    expect(page.get_by_text("您已投票")).to_be_visible()
    check_widths(page, "poll page, voted", problems)
    page.goto(base)
    check_widths(page, "member's meeting page, signed in, large text", problems)
    fits_a_phone(page, "member's meeting page", problems)
    page.screenshot(path=output_dir / "meeting-member-390.png", full_page=True)
    assert not problems, "problems on the member's pages:\n" + "\n\n".join(problems)


def test_staff_pages_of_a_meeting_in_progress_have_no_serious_violations(page, output_dir):
    """The control panel with the QR code and ticks, the sign-in sheet, an open poll's
    controls with the assisted-ballot form (the demo's meetings are closed or not begun)."""
    meeting, worker, _rep = held_meeting()
    poll = open_poll(meeting, worker)
    log_in(page, HD_WORKER_PHONE)
    problems: list[str] = []
    for path in (
        f"/c/HD/meetings/{meeting.pk}/",
        f"/c/HD/meetings/{meeting.pk}/sheet/",
        f"/c/HD/polls/{poll.pk}/",
    ):
        page.goto(path)
        check_widths(page, f"staff page {path}", problems)
    page.goto(f"/c/HD/meetings/{meeting.pk}/")
    page.screenshot(path=output_dir / "meeting-staff-1280.png", full_page=True)
    assert not problems, "axe found serious or critical violations:\n" + "\n\n".join(problems)
