import pytest

from guide.knowledge_store import record_correction
from guide.models import LabelledExample

pytestmark = pytest.mark.django_db


def test_a_correction_is_stored_as_a_labelled_example(desk):
    record_correction(
        text=" 旧号停机了 ", category="phone_change", route="escalate", ticket_id=7, user=desk
    )
    example = LabelledExample.objects.get()
    assert (
        example.text,
        example.category,
        example.route,
        example.ticket_id,
        example.created_by,
    ) == (
        "旧号停机了",
        "phone_change",
        "escalate",
        7,
        desk,
    )


@pytest.mark.parametrize("category, route", [("nope", "escalate"), ("sms_code", "later")])
def test_unknown_codes_are_refused_and_nothing_is_saved(category, route):
    with pytest.raises(ValueError):
        record_correction(text="验证码没收到", category=category, route=route)
    assert not LabelledExample.objects.exists()


def test_an_empty_text_teaches_nothing():
    record_correction(text="   ", category="sms_code", route="guide_answer")
    assert not LabelledExample.objects.exists()
