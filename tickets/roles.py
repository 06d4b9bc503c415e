"""The desk's roles as Django groups. What a role may do is tickets.permissions;
which tickets it sees, tickets.selectors.visible_tickets."""

DESK = "desk"
COLLEGE_TEACHER = "college_teacher"
REPORT_VIEWER = "report_viewer"
ROLE_GROUPS = (DESK, COLLEGE_TEACHER, REPORT_VIEWER)


def has_role(user, group_name: str) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_supportdesk_groups", None)
    if cached is None:
        cached = user._supportdesk_groups = group_names(user)
    return group_name in cached


def group_names(user) -> set[str]:
    """The names of the user's groups, read once per request (has_role keeps
    them on the user). One plain statement: every signed-in page asks, and the
    ORM's compile of `user.groups.values_list("name")` cost about 0.4 ms of
    worker CPU each time, the statement some 30 µs."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connections, router

    membership = get_user_model().groups.through
    connection = connections[router.db_for_read(membership)]
    quote = connection.ops.quote_name
    group = Group._meta
    link = membership._meta
    sql = (
        f"SELECT g.{quote(group.get_field('name').column)} "
        f"FROM {quote(group.db_table)} g INNER JOIN {quote(link.db_table)} m "
        f"ON m.{quote(link.get_field('group').column)} = g.{quote(group.pk.column)} "
        f"WHERE m.{quote(link.get_field('user').column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        return {name for (name,) in cursor.fetchall()}


def is_desk(user) -> bool:
    """Desk staff and admins see every ticket."""
    return user.is_authenticated and (user.is_superuser or has_role(user, DESK))


def college_of(user):
    """The college of an admissions teacher, or None."""
    if not has_role(user, COLLEGE_TEACHER):
        return None
    profile = getattr(user, "desk_profile", None)
    return profile.college if profile else None


def is_teacher(user) -> bool:
    return college_of(user) is not None
