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
        cached = set(user.groups.values_list("name", flat=True))
        user._supportdesk_groups = cached
    return group_name in cached


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
