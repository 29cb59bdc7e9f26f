from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CountBase, MatterType, ReviewOutcome, Stance


class MatterForm(forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=200)
    matter_type = forms.ChoiceField(label=_("事项类别"), choices=MatterType.choices)
    text = forms.CharField(label=_("事项内容"), widget=forms.Textarea(attrs={"rows": 6}))
    why_major = forms.CharField(
        label=_("属于重大事项的理由"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("意见或会议情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpinionForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    stance = forms.ChoiceField(label=_("意见"), choices=Stance.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("具体意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审议结论"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    conclusion = forms.CharField(
        label=_("审议意见（拟否决时即否决理由，请示时即请示内容）"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    base = forms.ChoiceField(
        label=_("拟否决时征求意见的基数"),
        choices=[
            (CountBase.ADULT_RESIDENTS, CountBase.ADULT_RESIDENTS.label),
            (CountBase.HOUSEHOLDS, CountBase.HOUSEHOLDS.label),
        ],
        required=False,
    )


class InstructionForm(forms.Form):
    instruction = forms.CharField(label=_("批复意见"), widget=forms.Textarea(attrs={"rows": 3}))


class DoorAnswerForm(forms.Form):
    who = forms.CharField(label=_("居民手机号或姓名"), max_length=50)
    consent = forms.TypedChoiceField(
        label=_("是否同意否决"),
        choices=[("1", _("同意否决")), ("0", _("不同意否决"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class AgendaForm(forms.Form):
    meeting = forms.IntegerField(label=_("居民代表大会会议"))


class ImplementationForm(forms.Form):
    title = forms.CharField(label=_("实施事项"), max_length=200)
    responsible = forms.CharField(label=_("责任人"), max_length=50)
    deadline = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}))


class FinishForm(forms.Form):
    step = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 2}))
