from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


def normalize_phone(value: str) -> str:
    """Digits only, full-width accepted, +86 dropped."""
    import unicodedata

    digits = "".join(ch for ch in unicodedata.normalize("NFKC", value or "") if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


class PhoneLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("手机号"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "username"}
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("手机号或密码不对，请再试一次。连续输错5次将暂停登录30分钟。"),
        "inactive": _("这个账号已停用，请联系社区。"),
    }

    def clean_username(self):
        return normalize_phone(self.cleaned_data.get("username", ""))


class ActivationForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号"),
        help_text=_("在社区登记的手机号"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("激活码"),
        help_text=_("社区工作人员给您的8位数字"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password1 = forms.CharField(
        label=_("设置密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，不要全是数字"),
    )
    password2 = forms.CharField(
        label=_("再输一次密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        if len(phone) != 11 or not phone.startswith("1"):
            raise forms.ValidationError(_("请填写11位手机号"))
        return phone

    def clean_code(self):
        code = normalize_phone(self.cleaned_data["code"])
        if len(code) != 8:
            raise forms.ValidationError(_("激活码是8位数字"))
        return code

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一样"))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
