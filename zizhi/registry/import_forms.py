from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .spreadsheets import SpreadsheetError, kind_of


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("花名册文件"),
        error_messages={
            "required": gettext_lazy("请选择要上传的花名册文件"),
            "empty": gettext_lazy("文件是空的"),
            "invalid": gettext_lazy("没有收到文件，请重新选择"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            kind_of(upload.name)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if upload.size > settings.ROSTER_MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大（%(size)s），最大 %(max)s；请分成几个文件导入")
                % {
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(settings.ROSTER_MAX_BYTES),
                }
            )
        return upload
