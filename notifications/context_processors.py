def unread_notifications(request):
    """The header's counter: unread notifications of a desk member (one COUNT)."""
    from tickets import roles

    user = getattr(request, "user", None)
    if user is None or not roles.is_desk(user):
        return {}
    from notifications.services import unread

    return {"unread_notifications": unread(user).count()}
