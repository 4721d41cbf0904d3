from django.conf import settings
from django.utils import translation
from django.utils.translation import check_for_language


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
