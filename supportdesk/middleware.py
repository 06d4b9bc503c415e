from django.contrib.auth.views import redirect_to_login

# The guide pages are the links desk staff send to candidates; everything else
# is for logged-in staff. Listed here so no new view can forget its login check.
PUBLIC_PREFIXES = ("/guide/", "/accounts/login/", "/i18n/", "/static/", "/api/", "/admin/", "/healthz")


class LoginRequiredExceptPublicMiddleware:
    """Redirects anonymous users to the login page except on public paths.

    The API authenticates with tokens itself and answers 401/403 as JSON, so it
    is left to Django REST framework; the admin has its own login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.user.is_authenticated or path.startswith(PUBLIC_PREFIXES) or path == "/favicon.ico":
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())
