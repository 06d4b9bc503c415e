"""{{ text|private:is_desk }}: the text as stored for desk staff, with phones,
e-mails and ID numbers masked for everyone else (college teachers)."""

from django import template

from supportdesk.privacy import mask_contacts

register = template.Library()


@register.filter
def private(text, reader_is_desk):
    return text if reader_is_desk else mask_contacts(text)
