from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CaseKind, Referral


def _date(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _area(label, rows=4, required=True):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ApplyForm(forms.Form):
    """A resident's own request: big, plain, few fields."""

    kind = forms.ChoiceField(
        label=_("是什么事"), choices=CaseKind.choices, widget=forms.RadioSelect
    )
    description = _area(_("发生了什么（请简单说说）"), rows=6)
    other_name = forms.CharField(label=_("对方是谁（姓名或称呼）"), max_length=50)
    other_building = forms.CharField(
        label=_("对方住哪栋楼（知道就填）"), max_length=50, required=False
    )
    other_phone = forms.CharField(label=_("对方电话（知道就填）"), max_length=20, required=False)


class RegisterForm(forms.Form):
    """A worker registers a walk-in case with both parties."""

    kind = forms.ChoiceField(label=_("纠纷类型"), choices=CaseKind.choices)
    description = _area(_("事情经过"))
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=50)
    applicant_phone = forms.CharField(label=_("申请人电话"), max_length=20, required=False)
    applicant_building = forms.CharField(label=_("申请人楼栋"), max_length=50, required=False)
    respondent_name = forms.CharField(label=_("被申请人姓名"), max_length=50)
    respondent_phone = forms.CharField(label=_("被申请人电话"), max_length=20, required=False)
    respondent_building = forms.CharField(label=_("被申请人楼栋"), max_length=50, required=False)

    def parties(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "side": side,
                "name": d[f"{side}_name"],
                "phone": d[f"{side}_phone"],
                "building": d[f"{side}_building"],
            }
            for side in ("applicant", "respondent")
        ]


class LeadForm(forms.Form):
    user = forms.TypedChoiceField(label=_("调解负责人"), coerce=int)
    follow_up_days = forms.IntegerField(
        label=_("结案前回访间隔（天）"), min_value=1, max_value=365, initial=30
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *choices]


class SessionForm(forms.Form):
    held_on = _date(_("调解日期"))
    place = forms.CharField(label=_("地点"), max_length=100)
    mediators = forms.TypedMultipleChoiceField(
        label=_("到场调解员"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = _area(_("调解记录（仅调解员和负责人可见）"), rows=6)
    minutes = forms.IntegerField(
        label=_("调解时长（分钟，计入到场调解员的志愿服务）"),
        min_value=0,
        max_value=600,
        required=False,
        initial=0,
    )

    def __init__(self, *args, mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].choices = list(mediators)


class OutcomeForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("调解结果"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("达成协议")), ("no", _("未达成协议"))],
        widget=forms.RadioSelect,
    )
    facts = _area(_("纠纷事实及争议"))
    terms = _area(_("协议内容（每行一条）"), required=False)
    performance_deadline = forms.DateField(
        label=_("履行期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    referral_to = forms.ChoiceField(
        label=_("未达成协议时引导去向"), choices=[("", "—"), *Referral.choices], required=False
    )
    referral_note = _area(_("引导说明"), rows=3, required=False)


class FollowUpForm(forms.Form):
    kept = forms.ChoiceField(
        label=_("协议履行情况"),
        choices=[("yes", _("已履行")), ("no", _("未履行")), ("na", _("不适用（未达成协议）"))],
        widget=forms.RadioSelect,
    )
    note = _area(_("回访情况"), rows=3)

    def kept_value(self):
        return {"yes": True, "no": False}.get(self.cleaned_data["kept"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)
