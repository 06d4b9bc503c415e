from django import forms
from django.utils.translation import gettext_lazy as _

from guide.models import Route
from tickets.models import Channel, College, candidate_number_validator
from tickets.selectors import category_choices as table_category_choices
from tickets.validation import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH


class IntakeForm(forms.Form):
    text = forms.CharField(
        label=_("考生原话"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 5, "autofocus": True, "placeholder": _("粘贴或输入考生的原话")}
        ),
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.PHONE)
    candidate_number = forms.CharField(
        label=_("考生号"),
        required=False,
        max_length=15,
        validators=[candidate_number_validator],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": _("15位数字")}
        ),
    )
    candidate_name = forms.CharField(label=_("考生姓名"), required=False, max_length=100)
    college = forms.ModelChoiceField(
        label=_("学院"),
        queryset=College.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("（未知）"),
    )
    contact_phone = forms.CharField(
        label=_("手机号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    contact_email = forms.EmailField(label=_("邮箱"), required=False)
    contact_wechat = forms.CharField(label=_("微信号"), required=False, max_length=64)
    # Blank means "accept the engine's suggestion"; a value that differs is a correction.
    category = forms.ChoiceField(label=_("问题分类"), required=False)
    route = forms.ChoiceField(
        label=_("处理方式"), required=False, choices=[("", _("（按建议）"))] + Route.choices
    )

    def __init__(self, *args, category_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("（按建议）"))] + list(
            category_choices or table_category_choices()
        )


class CorrectForm(forms.Form):
    category = forms.ChoiceField(label=_("问题分类"), choices=table_category_choices)
    route = forms.ChoiceField(label=_("处理方式"), choices=Route.choices)
    note = forms.CharField(label=_("备注"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, category_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if category_choices:
            self.fields["category"].choices = category_choices


class AnswerForm(forms.Form):
    reply_text = forms.CharField(label=_("答复文本"), widget=forms.Textarea(attrs={"rows": 8}))
    note = forms.CharField(label=_("备注"), required=False, max_length=NOTE_MAX_LENGTH)


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("发给信息中心的说明"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("备注"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("合并到工单号"), min_value=1)
    note = forms.CharField(label=_("备注"), required=False, max_length=NOTE_MAX_LENGTH)
