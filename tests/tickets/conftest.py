"""Users and colleges by name: desk staff, a teacher of college A, a teacher of
college B, a report viewer; and a helper to log a ticket."""

import pytest
from django.contrib.auth.models import Group

from tickets import roles, services
from tickets.models import College, DeskProfile


def make_user(django_user_model, username, group=None, college=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.edu.cn", **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if college:
        DeskProfile.objects.create(user=user, college=college)
    return user


@pytest.fixture
def college_a(db):
    return College.objects.get(code="sice")


@pytest.fixture
def college_b(db):
    return College.objects.get(code="scse")


@pytest.fixture
def desk(django_user_model):
    return make_user(django_user_model, "desk1", roles.DESK)


@pytest.fixture
def teacher_a(django_user_model, college_a):
    return make_user(django_user_model, "teacher_a", roles.COLLEGE_TEACHER, college_a)


@pytest.fixture
def teacher_b(django_user_model, college_b):
    return make_user(django_user_model, "teacher_b", roles.COLLEGE_TEACHER, college_b)


@pytest.fixture
def viewer(django_user_model):
    return make_user(django_user_model, "viewer1", roles.REPORT_VIEWER)


@pytest.fixture
def make_ticket(desk):
    def make(text="企业号激活第三步一直收不到手机验证码", **kwargs):
        kwargs.setdefault("channel", "phone")
        kwargs.setdefault("actor", desk)
        return services.ticket_create(text=text, **kwargs)

    return make
