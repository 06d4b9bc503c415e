from pathlib import Path

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tickets.models import Channel

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
EXTENSIONS = {".csv", ".txt", ".xlsx"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV 或 XLSX 文件"),
        help_text=_(
            "列：text（内容）、channel（渠道）、candidate_number（考生号）、college（学院）、"
            "contact（联系方式）、created_at（时间）；中文表头亦可。"
            "CSV 可为 UTF-8 或 GB18030 编码。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    default_channel = forms.ChoiceField(
        label=_("默认渠道"),
        required=False,
        choices=[("", _("（无：每行须注明渠道）"))] + list(Channel.choices),
        help_text=_("用于“渠道”为空的行。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix == ".xls":
            raise forms.ValidationError(
                _("不支持旧版 .xls 格式：请在 Excel 中另存为 .xlsx 或 CSV。")
            )
        if suffix not in EXTENSIONS:
            raise forms.ValidationError(_("只接受 .csv 或 .xlsx 文件。"))
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件过大（%(size)s），上限 %(max)s；请拆分后分批导入。")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        head = upload.read(4)
        upload.seek(0)
        if (suffix == ".xlsx") != head.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(_("文件内容与扩展名不符：请确认是 CSV 或 XLSX 文件。"))
        return upload
