from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AssetKind, AssetState, Category, Direction
from .money import parse_yuan


class YuanField(forms.CharField):
    """An amount in yuan typed as text ('1,234.50'); cleaned to integer fen."""

    def __init__(self, *, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return parse_yuan(value, allow_zero=self.allow_zero)


class OpenPeriodForm(forms.Form):
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)
    opening = YuanField(
        label=_("期初余额（元，只有第一个账期填写）"), required=False, allow_zero=True
    )

    def __init__(self, *args, first: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month
        if not first:
            del self.fields["opening"]


class EntryForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    direction = forms.ChoiceField(
        label=_("收支"), choices=Direction.choices, widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    amount = YuanField(label=_("金额（元）"))
    counterparty = forms.CharField(
        label=_("对方（付款或收款的单位、个人）"),
        max_length=100,
        required=False,
        help_text=_("会向居民公开；个人捐赠者不愿具名的写“匿名”"),
    )
    description = forms.CharField(label=_("摘要（这笔钱做什么用）"), max_length=300)
    receipt_no = forms.CharField(label=_("票据号（可不填）"), max_length=50, required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(community=community)
        self.fields["category"].label_from_instance = str

    def clean(self):
        data = super().clean()
        if data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("请填写金额"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"), help_text=_("请使用下载的模板"))


class ReceiptForm(forms.Form):
    file = forms.FileField(label=_("票据文件"), help_text=_("JPG、PNG 或 PDF，不超过 10 MB"))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因（社区据此修改）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CategoryForm(forms.Form):
    direction = forms.ChoiceField(label=_("收支"), choices=Direction.choices)
    name = forms.CharField(label=_("类别名称"), max_length=30)


class AssetForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=AssetKind.choices)
    location = forms.CharField(label=_("存放地点"), max_length=200, required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=100000, initial=1)
    value = YuanField(label=_("价值（元，可不填）"), required=False, allow_zero=True)
    manager_name = forms.CharField(label=_("管理人姓名"), max_length=50)
    manager_phone = forms.CharField(
        label=_("管理人手机号（可不填）"),
        max_length=20,
        required=False,
        help_text=_("填写后与该工作人员或居民的账号关联"),
    )
    acquired_on = forms.DateField(
        label=_("取得日期（可不填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    state = forms.ChoiceField(label=_("状态"), choices=AssetState.choices)
    state_note = forms.CharField(
        label=_("状态说明（已处置的必须填写）"), max_length=300, required=False
    )

    def action_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "kind": d["kind"],
            "location": d["location"],
            "quantity": d["quantity"],
            "value_fen": d["value"],
            "manager_name": d["manager_name"],
            "manager_user": d["manager_phone"] or None,
            "acquired_on": d["acquired_on"],
            "state": d["state"],
            "state_note": d["state_note"],
        }


def asset_initial(asset) -> dict:
    from .money import plain_yuan

    return {
        "name": asset.name,
        "kind": asset.kind,
        "location": asset.location,
        "quantity": asset.quantity,
        "value": plain_yuan(asset.value_fen) if asset.value_fen is not None else "",
        "manager_name": asset.manager_name,
        "manager_phone": asset.manager_user.phone if asset.manager_user else "",
        "acquired_on": asset.acquired_on,
        "state": asset.state,
        "state_note": asset.state_note,
    }
