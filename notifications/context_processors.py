SHOWN_AT_MOST = 99


def unread_notifications(request):
    """The header's counter: unread notifications of a desk member, "99+" beyond
    (reads at most 100 ids by the recipient/read index, no COUNT)."""
    from tickets import roles

    user = getattr(request, "user", None)
    if user is None or not roles.is_desk(user):
        return {}
    # Once per request: a page that renders a second template with the request
    # (django-tables2's {% render_table %}) runs the context processors again.
    counted = getattr(request, "_unread_notifications", None)
    if counted is None:
        from notifications.services import unread

        ids = unread(user).order_by().values_list("pk", flat=True)[: SHOWN_AT_MOST + 1]
        n = len(ids)
        counted = request._unread_notifications = f"{SHOWN_AT_MOST}+" if n > SHOWN_AT_MOST else n
    return {"unread_notifications": counted}
