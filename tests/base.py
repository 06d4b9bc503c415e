"""The people and colleges the tests talk about, by name (healthchecks'
BaseTestCase, as pytest fixtures in tests/conftest.py):

    desk        alice,  desk staff: logs, answers, escalates every ticket
    teacher_a   bob,    college teacher of sice (信息与通信工程学院)
    teacher_b   carol,  college teacher of scse (计算机科学与工程学院)
    viewer      victor, report viewer: weekly reports, no tickets
    admin       admin,  superuser
    nobody      nina,   logged in with no role

    college_a   sice,   college_b   scse

Each signs in with password_of(user). A test needing someone else calls
make_user() with the same arguments the fixtures use.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tickets.models import College, DeskProfile

COLLEGE_A = "sice"
COLLEGE_B = "scse"


def password_of(user_or_name) -> str:
    name = getattr(user_or_name, "username", user_or_name)
    return f"pw-{name}"


def make_user(username, role=None, college=None, *, email=None, superuser=False):
    """A user with a password (password_of), an e-mail, the role's group and,
    for a teacher, the college (a College or its code)."""
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.edu.cn" if email is None else email,
        password=password_of(username),
        is_superuser=superuser,
        is_staff=superuser,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if college:
        if isinstance(college, str):
            college = College.objects.get(code=college)
        DeskProfile.objects.create(user=user, college=college)
    return user
