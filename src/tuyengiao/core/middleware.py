from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Vietnamese unless the user chose another language in the selector.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers run an English browser: the interface must stay Vietnamese for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response


class PermissionsPolicyMiddleware:
    """Turns off for every page the browser features the site does not use (settings)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class ApiQueryMiddleware:
    """A query parameter of the API holding a NUL character is refused 400, by name, before any
    view: PostgreSQL cannot compare a text with one (it would be a 500 in every search)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            bad = [k for k, v in request.GET.lists() if "\x00" in k or any("\x00" in x for x in v)]
            if bad:
                message = _("Không được có ký tự null.")
                return JsonResponse({"errors": {k: [message] for k in bad}}, status=400)
        return self.get_response(request)
