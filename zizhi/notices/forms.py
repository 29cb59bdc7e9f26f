from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, Category


class NoticeForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}))
    period_days = forms.IntegerField(
        label=_("公示天数"), min_value=1, max_value=MAX_PERIOD_DAYS, initial=DEFAULT_PERIOD_DAYS
    )
    source_label = forms.CharField(
        label=_("来源（可不填）"),
        max_length=200,
        required=False,
        help_text=_("例如：2026年第3次居民代表大会决议"),
    )
    source_url = forms.CharField(label=_("来源链接（可不填）"), max_length=500, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因（将向居民公开）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件"), help_text=_("PDF、JPG、PNG、DOCX 或 XLSX，不超过 10 MB")
    )
    name = forms.CharField(label=_("显示名称（可不填）"), max_length=200, required=False)


class PostingForm(forms.Form):
    posted_at = forms.DateTimeField(
        label=_("张贴时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("张贴地点"), max_length=200)
    photo = forms.FileField(label=_("照片"), help_text=_("JPG 或 PNG，不超过 10 MB"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("您的异议"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
