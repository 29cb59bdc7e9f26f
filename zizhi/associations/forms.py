from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, ServiceCategory


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    signup_deadline = forms.DateTimeField(
        label=_("报名和取消截止时间（不填按社区规则）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    capacity = forms.IntegerField(label=_("名额（不填为不限）"), required=False, min_value=1)
    audience = forms.ChoiceField(label=_("参加对象"), choices=Audience.choices)
    category = forms.ChoiceField(label=_("服务类别"), choices=ServiceCategory.choices)
    is_volunteer_service = forms.BooleanField(
        label=_("计入志愿服务时长"), required=False, initial=True
    )
    minors_allowed = forms.BooleanField(label=_("适合未成年人"), required=False)
    description = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
