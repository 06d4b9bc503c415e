from django import forms
from django.utils.translation import gettext_lazy as _

from guide.models import Route
from tickets import validation
from tickets.models import Channel, College
from tickets.selectors import category_choices as table_category_choices
from tickets.validation import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from tickets.widgets import DjangoLayoutSelect

# The fields carry no max_length: the browser's maxlength would silently cut a
# long paste. Each value is checked by tickets.validation, all in one round.


class IntakeForm(forms.Form):
    text = forms.CharField(
        label=_("考生原话"),
        widget=forms.Textarea(
            attrs={"rows": 5, "autofocus": True, "placeholder": _("粘贴或输入考生的原话")}
        ),
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.PHONE)
    candidate_number = forms.CharField(
        label=_("考生号"),
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": _("15位数字")}
        ),
    )
    candidate_name = forms.CharField(label=_("考生姓名"), required=False)
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
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("邮箱"), required=False, widget=forms.EmailInput(attrs={"inputmode": "email"})
    )
    contact_wechat = forms.CharField(label=_("微信号"), required=False)
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

    def clean(self):
        """Every field's rule at once, so the desk fixes all in one round."""
        data = super().clean()
        values = {name: data.get(name) or "" for name in validation.OWN_FIELDS}
        for field, message in validation.field_errors(values).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


class CorrectForm(forms.Form):
    # The <select>s of Django's template, written without a template per option.
    category = forms.ChoiceField(
        label=_("问题分类"), choices=table_category_choices, widget=DjangoLayoutSelect
    )
    route = forms.ChoiceField(label=_("处理方式"), choices=Route.choices, widget=DjangoLayoutSelect)
    note = forms.CharField(label=_("备注"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, category_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if category_choices:
            self.fields["category"].choices = category_choices


class AnswerForm(forms.Form):
    reply_text = forms.CharField(label=_("答复文本"), widget=forms.Textarea(attrs={"rows": 8}))

    def clean_reply_text(self):
        reply = self.cleaned_data["reply_text"].strip()
        if message := validation.length_error(reply, TEXT_MAX_LENGTH):
            raise forms.ValidationError(message)
        return reply

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
