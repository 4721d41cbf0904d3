from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page_or_fragment(request, page: str, fragment: str, context: dict):
    """The fragment for an htmx swap, the whole page otherwise.

    One URL answers both, so the response varies on HX-Request (else Back shows a cached bare
    fragment), and htmx's own history restore gets the whole page.
    """
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, fragment if partial else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
