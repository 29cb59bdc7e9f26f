"""The suggestion pages: a resident files (with photos, a building or a point on the plan, the
offer to support a similar open one), reads the timeline, supports and rates; the status lookup
without login; the worker's list (overdue, filters, search, pages), the worker's page with
exactly the moves allowed now, entering a suggestion for a resident who phoned, the deadline
and holiday settings, the Excel export; the subdistrict's rates and escalations."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zizhi.governance.models import Body
from zizhi.proposals import actions
from zizhi.proposals import models as _models
from zizhi.registry.models import LocalUnit

from . import factories as f
from .upload_files import REAL_PNG

CalendarDay, DeadlineSettings = _models.CalendarDay, _models.DeadlineSettings
Suggestion, SuggestionStatus, Support = (
    _models.Suggestion,
    _models.SuggestionStatus,
    _models.Support,
)

PNG = REAL_PNG


def png(name="p.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text_of(response) -> str:
    return response.content.decode()


def main(html: str) -> str:
    """The page's main part, without the CSRF token (it differs per response)."""
    html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def file(world, title="3栋门口路灯坏了", text="晚上很黑，老人容易摔倒", actor=None, **kw):
    kw.setdefault("category", "facilities")
    return actions.do_file_suggestion(
        world.hd, title=title, text=text, actor=actor or world.resident_a, **kw
    )


def accepted(world, **kw):
    s = file(world, **kw)
    actions.do_accept_suggestion(s, actor=world.worker_a)
    s.refresh_from_db()
    return s


def replied(world, **kw):
    s = accepted(world, **kw)
    actions.do_assign_suggestion(s, user=world.worker_a, actor=world.worker_a)
    s.refresh_from_db()
    actions.do_start_suggestion(s, actor=world.worker_a)
    s.refresh_from_db()
    actions.do_reply_suggestion(s, "已修好", actor=world.worker_a)
    s.refresh_from_db()
    return s


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def buildings(world):
    for n in range(1, 7):
        f.household(world.hd, f"{n}栋", "101")
    return {b.name: b for b in world.hd.buildings.all()}


def form_data(**over):
    data = {"title": "小区门口增设休息座椅", "text": "老人走累了没地方坐", "category": "care"}
    data.update(over)
    return data


# --- filing ------------------------------------------------------------------------------


def test_the_form_offers_categories_buildings_the_plan_and_a_photo_input(world, buildings):
    response = client_for(world.resident_a).get(reverse("proposals:new", args=["HD"]))
    assert response.status_code == 200
    html = text_of(response)
    for label in ("环境卫生", "设施维修", "养老助残", "其他"):
        assert label in html
    assert 'accept="image/*"' in html and "multiple" in html
    assert html.count("data-building=") == len(buildings)  # the plan draws every building
    assert f'<option value="{buildings["3栋"].pk}">3栋</option>' in html
    show_name = re.search(r'<input[^>]*name="show_name"[^>]*>', html).group(0)
    assert "checked" not in show_name


def test_the_form_is_for_residents_of_the_community_only(world):
    url = reverse("proposals:new", args=["HD"])
    assert client_for(world.resident_b).get(url).status_code == 404
    assert client_for(world.worker_a).get(url).status_code == 404
    assert client_for().get(url)["Location"].startswith(reverse("accounts:login"))


def test_a_resident_files_with_photos_and_a_point_and_sees_the_number(world, buildings, media):
    client = client_for(world.resident_a)
    response = client.post(
        reverse("proposals:new", args=["HD"]),
        form_data(building=buildings["2栋"].pk, plan_x="40.5", plan_y="12", photos=[png(), png()]),
    )
    s = Suggestion.objects.get()
    assert response["Location"] == reverse("proposals:filed", args=["HD", s.pk])
    assert s.resident == world.resident_a.resident and s.channel == "online"
    assert s.building == buildings["2栋"] and (s.plan_x, s.plan_y) == (40.5, 12.0)
    assert not s.show_name and s.photos.count() == 2
    page = text_of(client.get(response["Location"]))
    assert s.number in page and "sg-number" in page
    assert s.accept_due.strftime("%Y年%-m月%-d日") in page
    assert reverse("proposals:lookup") in page and "后四位" in page


def test_a_wrong_photo_is_refused_and_nothing_typed_is_lost(world, media):
    client = client_for(world.resident_a)
    bad = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image")
    response = client.post(
        reverse("proposals:new", args=["HD"]), form_data(title="我写的标题", photos=[bad])
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "照片只能是 JPG、PNG 文件" in html
    assert 'value="我写的标题"' in html and "老人走累了没地方坐" in html
    assert "照片需要重新选择" in html
    assert not Suggestion.objects.exists()


def test_more_than_three_photos_are_refused(world, media):
    response = client_for(world.resident_a).post(
        reverse("proposals:new", args=["HD"]), form_data(photos=[png() for _ in range(4)])
    )
    assert "最多上传3张照片" in text_of(response)
    assert not Suggestion.objects.exists()


def test_a_missing_title_comes_back_with_the_rest_kept(world):
    response = client_for(world.resident_a).post(
        reverse("proposals:new", args=["HD"]), form_data(title="", text="我写了很多内容")
    )
    assert response.status_code == 200
    assert "我写了很多内容" in text_of(response) and 'aria-invalid="true"' in text_of(response)
    assert not Suggestion.objects.exists()


def test_a_similar_open_suggestion_is_offered_before_saving(world, buildings):
    other = f.resident_user(world.hd, "湖东居民丙")
    existing = accepted(
        world, title="3栋路灯坏了", text="3栋门口路灯不亮", actor=other, building=buildings["3栋"]
    )
    client = client_for(world.resident_a)
    data = form_data(title="3栋门口路灯坏了", text="路灯不亮", building=buildings["3栋"].pk)
    response = client.post(reverse("proposals:new", args=["HD"]), data)
    html = text_of(response)
    assert response.status_code == 200 and "已经有人提过相似的建议" in html
    assert existing.title in html
    assert reverse("proposals:support", args=["HD", existing.pk]) in html  # follow instead
    assert 'value="3栋门口路灯坏了"' in html  # kept
    assert Suggestion.objects.count() == 1
    # "submit mine anyway": the panel sent back the ids the resident has seen
    response = client.post(
        reverse("proposals:new", args=["HD"]), {**data, "seen_similar": str(existing.pk)}
    )
    assert response.status_code == 302
    assert Suggestion.objects.count() == 2


def test_following_a_similar_one_supports_it(world, buildings):
    other = f.resident_user(world.hd, "湖东居民丙")
    existing = accepted(world, title="3栋路灯坏了", actor=other, building=buildings["3栋"])
    client = client_for(world.resident_a)
    response = client.post(
        reverse("proposals:support", args=["HD", existing.pk]),
        form_data(title="3栋路灯坏了", follow="1"),
    )
    assert response["Location"] == reverse("proposals:suggestion", args=["HD", existing.pk])
    existing.refresh_from_db()
    assert existing.support_count == 1 and Suggestion.objects.count() == 1
    page = text_of(client.get(response["Location"]))
    assert "您已附议" in page and "不用再提" in page


def test_the_htmx_panel_offers_public_ones_only_to_residents(world, buildings):
    other = f.resident_user(world.hd, "湖东居民丙")
    public = accepted(world, title="3栋路灯坏了", actor=other, building=buildings["3栋"])
    hidden = file(world, title="3栋路灯不亮了", actor=other, building=buildings["3栋"])
    assert not hidden.public
    url = reverse("proposals:similar", args=["HD"])
    query = {"title": "3栋路灯坏了不亮", "text": "", "building": buildings["3栋"].pk}
    html = text_of(client_for(world.resident_a).get(url, query))
    assert public.title in html and hidden.title not in html
    assert 'name="seen_similar"' in html
    staff_html = text_of(client_for(world.worker_a).get(url, query))
    assert hidden.title in staff_html
    assert client_for(world.resident_b).get(url, query).status_code == 404


def test_the_navigation_links_to_my_suggestions_and_the_form(world):
    client = client_for(world.resident_a)
    html = text_of(client.get("/"))
    assert reverse("proposals:mine") in html and reverse("proposals:start") in html
    assert client.get(reverse("proposals:start"))["Location"] == reverse(
        "proposals:new", args=["HD"]
    )
    assert client_for(world.worker_a).get(reverse("proposals:start")).status_code == 404
    staff = text_of(client_for(world.worker_a).get("/"))
    assert reverse("proposals:staff_list", args=["HD"]) in staff
    public = text_of(client_for().get(reverse("web:community", args=["HD"])))
    assert reverse("proposals:board", args=["HD"]) in public


# --- reading, supporting, rating -----------------------------------------------------------


def test_the_timeline_shows_every_step_with_time_handler_and_due_dates(world):
    s = replied(world)
    html = text_of(
        client_for(world.resident_a).get(reverse("proposals:suggestion", args=["HD", s.pk]))
    )
    for label in ("已登记", "已受理", "已交办", "办理中", "已答复"):
        assert label in html
    assert html.count("<time ") >= 5
    assert world.worker_a.name in html  # the handler
    assert "受理期限" in html and "答复期限" in html
    assert "请评价办理结果" in html  # the resident rates a replied suggestion


def test_others_private_suggestions_are_404(world):
    s = file(world)
    url = reverse("proposals:suggestion", args=["HD", s.pk])
    assert client_for(world.resident_a).get(url).status_code == 200
    other = f.resident_user(world.hd, "湖东居民丙")
    for user in (other, world.resident_b, world.worker_b, None):
        assert client_for(user).get(url).status_code == 404
    assert client_for(world.worker_a).get(url).status_code == 200


def test_a_public_suggestion_hides_the_name_unless_allowed(world):
    s = accepted(world)
    html = text_of(client_for().get(reverse("proposals:suggestion", args=["HD", s.pk])))
    assert s.title in html and world.resident_a.name not in html
    shown = accepted(world, title="增设快递柜", show_name=True)
    html = text_of(client_for().get(reverse("proposals:suggestion", args=["HD", shown.pk])))
    assert world.resident_a.name in html


def test_residents_support_once_and_not_their_own(world):
    s = accepted(world)
    other = f.resident_user(world.hd, "湖东居民丙")
    url = reverse("proposals:support", args=["HD", s.pk])
    client = client_for(other)
    client.post(url)
    client.post(url)
    s.refresh_from_db()
    assert s.support_count == 1 and Support.objects.count() == 1
    client_for(world.resident_a).post(url)  # their own: refused with a message
    s.refresh_from_db()
    assert s.support_count == 1
    response = client_for(world.resident_b).post(url, follow=True)  # another community
    assert response.status_code == 200 and "只有本社区的居民可以附议" in text_of(response)
    assert Support.objects.count() == 1


def test_the_resident_rates_a_reply_and_it_closes(world):
    s = replied(world)
    url = reverse("proposals:rate", args=["HD", s.pk])
    other = f.resident_user(world.hd, "湖东居民丙")
    assert client_for(other).post(url, {"rating": "satisfied"}).status_code == 404
    client_for(world.resident_a).post(url, {"rating": "satisfied", "comment": "谢谢"})
    s.refresh_from_db()
    assert s.status == SuggestionStatus.CLOSED and s.rating == "satisfied"


def test_a_rating_without_a_choice_is_a_message(world):
    s = replied(world)
    response = client_for(world.resident_a).post(
        reverse("proposals:rate", args=["HD", s.pk]), {"rating": "great"}, follow=True
    )
    assert "请选择满意、基本满意或不满意" in text_of(response)
    s.refresh_from_db()
    assert s.status == SuggestionStatus.REPLIED


def test_the_board_puts_the_most_supported_first(world, django_assert_max_num_queries):
    few = accepted(world, title="甲建议")
    many = accepted(world, title="乙建议")
    for n in range(3):
        actions.do_support_suggestion(many, actor=f.resident_user(world.hd, f"居民{n}"))
    actions.do_support_suggestion(few, actor=f.resident_user(world.hd, "居民x"))
    private = file(world, title="丙建议（未受理）")
    client = client_for()
    url = reverse("proposals:board", args=["HD"])
    client.get(url)  # warm up
    with django_assert_max_num_queries(8):
        html = text_of(client.get(url))
    assert html.index("乙建议") < html.index("甲建议")
    assert private.title not in html
    newest = text_of(client.get(url, {"order": "new"}))
    assert newest.index("乙建议") < newest.index("甲建议")
    assert 'aria-current="page">最新' in newest


def test_my_suggestions_lists_mine_only(world):
    mine = file(world, title="我的建议一")
    other = f.resident_user(world.hd, "湖东居民丙")
    theirs = file(world, title="别人的建议", actor=other)
    html = text_of(client_for(world.resident_a).get(reverse("proposals:mine")))
    assert mine.title in html and theirs.title not in html
    assert client_for(world.worker_a).get(reverse("proposals:mine")).status_code == 404


def test_photos_are_served_to_those_who_may_see_the_suggestion(world, media):
    s = file(world, photos=[png()])
    photo = s.photos.get()
    url = reverse("proposals:photo", args=["HD", s.pk, photo.pk])
    response = client_for(world.resident_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert client_for(world.resident_b).get(url).status_code == 404


# --- the lookup without login --------------------------------------------------------------


def test_the_lookup_needs_the_last_four_digits(world):
    s = accepted(world)
    client = client_for()
    url = reverse("proposals:lookup")
    last4 = world.resident_a.resident.phone[-4:]
    found = text_of(client.post(url, {"number": s.number.lower(), "last4": last4}))
    assert s.title in found and "已受理" in found
    assert world.resident_a.name not in found and world.resident_a.name[0] + "*" in found
    assert world.resident_a.resident.phone not in found
    wrong = "0000" if last4 != "0000" else "1111"
    refused = text_of(client.post(url, {"number": s.number, "last4": wrong}))
    unknown = text_of(client.post(url, {"number": "HD-2026-99999", "last4": last4}))
    assert "没有找到" in refused and s.title not in refused

    def answer(html, number):  # what the page says, apart from echoing what was typed
        return re.sub(r'name="last4" value="\d+"', "", main(html)).replace(number, "N")

    assert answer(refused, s.number) == answer(unknown, "HD-2026-99999")


def test_the_lookup_asks_for_four_digits(world):
    response = client_for().post(reverse("proposals:lookup"), {"number": "HD-1", "last4": "12"})
    assert "请输入4位数字" in text_of(response)


# --- the worker's list -----------------------------------------------------------------------


def make_overdue(s, days=5):
    Suggestion.objects.filter(pk=s.pk).update(
        accept_due=timezone.localdate() - datetime.timedelta(days=days)
    )


def test_the_list_flags_overdue_with_words_and_filters(world, django_assert_max_num_queries):
    late = file(world, title="超期的建议")
    make_overdue(late)
    fine = file(world, title="刚提的建议")
    done = accepted(world, title="已受理的建议")
    client = client_for(world.worker_a)
    url = reverse("proposals:staff_list", args=["HD"])
    client.get(url)
    with django_assert_max_num_queries(14):
        html = text_of(client.get(url))
    row = re.search(r"<tr class=\"bad\">.*?</tr>", html, re.S).group(0)
    assert late.title in row and "已超期" in row
    assert fine.title in html and done.title in html
    only_late = text_of(client.get(url, {"overdue": "1"}))
    assert late.title in only_late and fine.title not in only_late
    by_status = text_of(client.get(url, {"status": "accepted"}))
    assert done.title in by_status and fine.title not in by_status
    found = text_of(client.get(url, {"q": late.number}))
    assert late.title in found and fine.title not in found
    by_name = text_of(client.get(url, {"q": world.resident_a.name}))
    assert late.title in by_name


def test_the_list_pages_with_bounded_queries(world, django_assert_max_num_queries):
    for n in range(45):
        file(world, title=f"建议{n:02d}")
    client = client_for(world.worker_a)
    url = reverse("proposals:staff_list", args=["HD"])
    with django_assert_max_num_queries(14):
        first = text_of(client.get(url))
    with django_assert_max_num_queries(14):
        second = text_of(client.get(url, {"page": "2"}))
    assert "下一页" in first and "上一页" in second
    assert "第 1 / " in first


def test_staff_pages_need_a_login_and_the_community(world):
    s = file(world)
    for url in (
        reverse("proposals:staff_list", args=["HD"]),
        reverse("proposals:staff_detail", args=["HD", s.pk]),
        reverse("proposals:staff_new", args=["HD"]),
        reverse("proposals:settings", args=["HD"]),
    ):
        assert client_for().get(url)["Location"].startswith(reverse("accounts:login"))
        assert client_for(world.worker_b).get(url).status_code == 404
        assert client_for(world.resident_a).get(url).status_code == 404
        assert client_for(world.subadmin).get(url).status_code == 200


# --- the worker's page: exactly the moves allowed now ------------------------------------------


def buttons(html: str) -> set[str]:
    """The submit buttons of the page's main part (the header has the logout button)."""
    html = main(html)
    return {
        b.strip()
        for b in re.findall(r'<button type="submit" class="btn[^"]*">([^<]+)</button>', html)
    }


def detail(world, s, user=None) -> str:
    url = reverse("proposals:staff_detail", args=["HD", s.pk])
    return text_of(client_for(user or world.worker_a).get(url))


def act(world, s, verb, data=None, user=None):
    url = reverse("proposals:staff_act", args=["HD", s.pk, verb])
    return client_for(user or world.worker_a).post(url, data or {}, follow=True)


def test_a_registered_suggestion_offers_accept_and_decline_only(world):
    s = file(world)
    assert buttons(detail(world, s)) == {"受理", "确定不予受理"}


def test_decline_needs_a_reason_and_the_resident_sees_it(world):
    s = file(world)
    response = act(world, s, "decline", {"reason": ""})
    assert response.status_code == 200 and "errorlist" in text_of(response)
    s.refresh_from_db()
    assert s.status == SuggestionStatus.REGISTERED
    act(world, s, "decline", {"reason": "属于业主大会决定的事项"})
    s.refresh_from_db()
    assert s.status == SuggestionStatus.NOT_ACCEPTED
    assert buttons(detail(world, s)) == set()
    mine = text_of(
        client_for(world.resident_a).get(reverse("proposals:suggestion", args=["HD", s.pk]))
    )
    assert "属于业主大会决定的事项" in mine


def test_accept_then_assign_to_a_body_or_a_unit(world):
    s = file(world)
    act(world, s, "accept")
    s.refresh_from_db()
    assert s.status == SuggestionStatus.ACCEPTED
    assert "交办" in buttons(detail(world, s)) and "受理" not in buttons(detail(world, s))
    body = Body.objects.create(
        kind="residents_committee", name="湖东居委会", subdistrict=world.dh, community=world.hd
    )
    unit = LocalUnit.objects.create(community=world.hd, name="湖东物业公司")
    response = act(world, s, "assign", {"body": body.pk, "unit": unit.pk})
    assert "请在工作人员、社区组织、辖区单位中选择一个承办方" in text_of(response)
    act(world, s, "assign", {"unit": unit.pk, "note": "请物业处理"})
    s.refresh_from_db()
    assert s.status == SuggestionStatus.ASSIGNED and s.handler_unit == unit
    assert "湖东物业公司" in detail(world, s)


def test_an_illegal_move_is_a_message_not_a_500(world):
    s = file(world)
    response = act(world, s, "reply", {"reply": "答复"})
    assert response.status_code == 200
    assert "msg-error" in text_of(response)
    s.refresh_from_db()
    assert s.status == SuggestionStatus.REGISTERED
    assert act(world, s, "dance").status_code == 404


def test_a_reply_then_the_phone_rating_entered_by_the_worker(world):
    s = accepted(world)
    act(world, s, "assign", {"user": world.worker_a.pk})
    s.refresh_from_db()
    if "开始办理" in buttons(detail(world, s)):
        act(world, s, "start", {"note": ""})
    act(world, s, "reply", {"reply": "座椅已安装"})
    s.refresh_from_db()
    assert s.status == SuggestionStatus.REPLIED
    assert "登记评价" in buttons(detail(world, s))
    act(world, s, "rate", {"rating": "basic"})
    s.refresh_from_db()
    assert s.status == SuggestionStatus.CLOSED and s.rating == "basic"


def test_an_escalation_is_answered_by_the_subdistrict_only(world):
    s = replied(world)
    actions.do_rate_suggestion(s, "dissatisfied", actor=world.resident_a)
    s.refresh_from_db()
    actions.do_reply_suggestion(s, "再次答复", actor=world.worker_a)
    s.refresh_from_db()
    actions.do_rate_suggestion(s, "dissatisfied", actor=world.resident_a)
    s.refresh_from_db()
    assert s.status == SuggestionStatus.ESCALATED
    assert "街道答复" not in buttons(detail(world, s, world.worker_a))
    assert "街道答复" in buttons(detail(world, s, world.subadmin))
    overview = text_of(
        client_for(world.subadmin).get(reverse("proposals:subdistrict", args=["dh"]))
    )
    assert s.title in overview
    act(world, s, "answer", {"answer-reply": "街道协调解决"}, user=world.subadmin)
    s.refresh_from_db()
    assert s.status == SuggestionStatus.REPLIED and "街道协调解决" in s.reply


# --- entering for a resident, settings, export, the subdistrict ---------------------------------


def test_a_worker_enters_a_phoned_suggestion(world, buildings):
    resident = world.resident_a.resident
    url = reverse("proposals:staff_new", args=["HD"])
    client = client_for(world.worker_a)
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(who=resident.phone, channel="phone"))
    s = Suggestion.objects.get()
    assert response["Location"] == reverse("proposals:filed", args=["HD", s.pk])
    assert s.channel == "phone" and s.entered_by == world.worker_a and s.resident == resident
    response = client.post(url, form_data(who="13000000000", channel="office", title="另一件"))
    assert response.status_code == 200 and "没有找到" in text_of(response)
    assert 'value="另一件"' in text_of(response)
    assert Suggestion.objects.count() == 1


def test_settings_change_deadlines_and_the_holiday_table(world):
    client = client_for(world.worker_a)
    url = reverse("proposals:settings", args=["HD"])
    html = text_of(client.get(url))
    assert "受理期限（工作日）" in html
    client.post(url, {"what": "deadlines", "accept_days": "3", "reply_days": "10"})
    setting = DeadlineSettings.objects.get(community=world.hd)
    assert (setting.accept_days, setting.reply_days) == (3, 10)
    day = timezone.localdate() + datetime.timedelta(days=10)
    client.post(
        url, {"what": "day", "date": day.isoformat(), "is_workday": "0", "note": "社区活动"}
    )
    assert CalendarDay.objects.get(community=world.hd, date=day).is_workday is False
    assert "社区活动" in text_of(client.get(url))
    response = client.post(url, {"what": "deadlines", "accept_days": "0", "reply_days": "10"})
    assert response.status_code == 200 and "errorlist" in text_of(response)


def test_the_export_form_offers_last_month(world):
    html = text_of(client_for(world.worker_a).get(reverse("proposals:staff_list", args=["HD"])))
    first = timezone.localdate().replace(day=1)
    last = first - datetime.timedelta(days=1)
    assert f'name="start" value="{last.replace(day=1).isoformat()}"' in html
    assert f'name="end" value="{last.isoformat()}"' in html


def test_the_export_is_an_xlsx_of_the_period(world):
    from openpyxl import load_workbook

    s = file(world, title="=HYPERLINK(1)")
    today = timezone.localdate()
    query = {"start": (today - datetime.timedelta(days=3)).isoformat(), "end": today.isoformat()}
    response = client_for(world.worker_a).get(reverse("proposals:export", args=["HD"]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert s.number in cells
    assert "=HYPERLINK(1)" not in cells  # neutralised against formula injection
    bad = client_for(world.worker_a).get(
        reverse("proposals:export", args=["HD"]), {"start": today.isoformat(), "end": "x"}
    )
    assert bad.status_code == 302
    sub = client_for(world.subadmin).get(
        reverse("proposals:subdistrict_export", args=["dh"]), query
    )
    assert sub.status_code == 200 and sub.content[:2] == b"PK"
    assert (
        client_for(world.worker_a)
        .get(reverse("proposals:subdistrict_export", args=["dh"]), query)
        .status_code
        == 404
    )


def test_the_subdistrict_sees_each_communitys_rates(world):
    file(world)
    client = client_for(world.subadmin)
    url = reverse("proposals:subdistrict", args=["dh"])
    html = text_of(client.get(url))
    assert "湖东社区" in html and "西湖社区" in html and "南湖社区" not in html
    assert "按期率" in html and "满意率" in html
    assert client_for(world.worker_a).get(url).status_code == 404
    assert client_for(world.subadmin_other).get(url).status_code == 404
    bad = client.get(url, {"start": "2026-05-01", "end": "2026-04-01"})
    assert bad.status_code == 200 and "结束日期不能早于开始日期" in text_of(bad)
