"""Forms of the suggestion pages: a resident's suggestion (also entered by a worker for a
resident who came or phoned), the handling steps, the rating, the status lookup, the deadline
settings and the export period."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zizhi.notices.files import MAX_BYTES, PHOTO_KINDS, check_upload

from .models import Channel, Rating, SuggestionCategory

MAX_PHOTOS = 3


class Form(forms.Form):
    """Labels without Django's ":" suffix (the Chinese labels read better without it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos, JPG or PNG, each checked by its first bytes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("最多上传%(n)s张照片，您选了%(k)s张") % {"n": MAX_PHOTOS, "k": len(files)}
            )
        for upload in files:
            check_upload(upload, PHOTO_KINDS, what=_("照片"))
        return files


class SuggestionForm(Form):
    title = forms.CharField(
        label=_("建议的标题"),
        max_length=120,
        help_text=_("一句话说清楚，例如：3栋门口路灯坏了"),
    )
    text = forms.CharField(
        label=_("具体内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("在哪里、什么情况、希望怎么解决"),
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=SuggestionCategory.choices, widget=forms.RadioSelect
    )
    building = forms.ModelChoiceField(
        label=_("在哪栋楼附近（可不选）"),
        queryset=None,
        required=False,
        empty_label=_("不涉及某栋楼"),
    )
    plan_x = forms.FloatField(required=False, min_value=0, max_value=100, widget=forms.HiddenInput)
    plan_y = forms.FloatField(required=False, min_value=0, max_value=100, widget=forms.HiddenInput)
    photos = PhotosField(
        label=_("照片（可不传）"),
        required=False,
        help_text=_("最多3张，JPG 或 PNG，每张不超过 10 MB"),
    )
    show_name = forms.BooleanField(
        label=_("可以公开我的姓名"),
        required=False,
        initial=False,
        help_text=_("不勾选时，公开栏上只显示“居民”"),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["building"].queryset = community.buildings.order_by("name")
        self.fields["photos"].widget.attrs.update(
            {
                "data-max-files": MAX_PHOTOS,
                "data-max-bytes": MAX_BYTES,
                "data-too-many": _("最多上传%(n)s张照片") % {"n": MAX_PHOTOS},
                "data-too-big": _("照片太大，每张不能超过 %(mb)d MB") % {"mb": MAX_BYTES // 2**20},
                "data-wrong-type": _("照片只能是 JPG 或 PNG 格式"),
            }
        )

    def clean(self):
        data = super().clean()
        # a point on the plan needs both coordinates
        if (data.get("plan_x") is None) != (data.get("plan_y") is None):
            data["plan_x"] = data["plan_y"] = None
        return data

    def action_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "text": d["text"],
            "category": d["category"],
            "building": d["building"],
            "plan_x": d["plan_x"],
            "plan_y": d["plan_y"],
            "photos": d["photos"],
            "show_name": d["show_name"],
        }


class StaffEntryForm(SuggestionForm):
    """A worker enters a suggestion for a resident who came to the office or phoned."""

    who = forms.CharField(
        label=_("居民（手机号或姓名）"),
        max_length=50,
        help_text=_("须是本社区花名册上的居民，居民可以凭手机号后四位查询办理进度"),
    )
    channel = forms.ChoiceField(
        label=_("登记方式"),
        choices=[(Channel.OFFICE, Channel.OFFICE.label), (Channel.PHONE, Channel.PHONE.label)],
        widget=forms.RadioSelect,
        initial=Channel.OFFICE,
    )

    field_order = ["who", "channel"]


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("不予受理的理由（居民会看到）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(Form):
    note = forms.CharField(
        label=_("说明（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(Form):
    user = forms.ModelChoiceField(label=_("交给社区工作人员"), queryset=None, required=False)
    body = forms.ModelChoiceField(label=_("或交给社区组织"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("或交给辖区单位"), queryset=None, required=False)
    note = forms.CharField(
        label=_("交办说明（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, community, **kwargs):
        from zizhi.accounts.models import RoleKind, User
        from zizhi.governance.models import Body

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            roles__community=community, roles__kind=RoleKind.COMMUNITY_WORKER
        ).distinct()
        self.fields["user"].label_from_instance = lambda u: u.name or u.phone
        self.fields["body"].queryset = Body.objects.filter(community=community)
        self.fields["unit"].queryset = community.local_units.all()

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("user", "body", "unit") if data.get(k)]
        if len(chosen) != 1:
            raise ValidationError(_("请在工作人员、社区组织、辖区单位中选择一个承办方"))
        return data


class ReplyForm(Form):
    reply = forms.CharField(
        label=_("答复内容（居民会看到）"), widget=forms.Textarea(attrs={"rows": 4})
    )


class RateForm(Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果满意吗？"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("还想说的话（可不填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LookupForm(Form):
    number = forms.CharField(
        label=_("建议编号"),
        max_length=32,
        help_text=_("提交后告诉您的编号，例如 HD-2026-00042"),
    )
    last4 = forms.RegexField(
        label=_("手机号后四位"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("请输入4位数字")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{4}"}
        ),
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class DeadlineForm(Form):
    accept_days = forms.IntegerField(label=_("受理期限（工作日）"), min_value=1, max_value=30)
    reply_days = forms.IntegerField(label=_("答复期限（工作日）"), min_value=1, max_value=90)


class CalendarDayForm(Form):
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    is_workday = forms.TypedChoiceField(
        label=_("这一天"),
        choices=[("0", _("放假")), ("1", _("上班（调休补班）"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明（例如：国庆节）"), max_length=50, required=False)


class PeriodForm(Form):
    start = forms.DateField(
        label=_("从"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("到"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                raise ValidationError(_("结束日期不能早于开始日期"))
            if data["end"] - data["start"] > datetime.timedelta(days=366):
                raise ValidationError(_("一次最多一年"))
        return data


def month_period(today: datetime.date) -> dict:
    """The initial period: the last full month (the monthly report)."""
    first = today.replace(day=1)
    last_month_end = first - datetime.timedelta(days=1)
    return {"start": last_month_end.replace(day=1), "end": last_month_end}
