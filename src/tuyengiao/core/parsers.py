"""The API's JSON parser, with limits. Its own module: DRF imports it (DEFAULT_PARSER_CLASSES)
while `rest_framework.views` loads, so it must not import that."""

import codecs
import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status

MAX_JSON_DEPTH = 32  # arrays and objects inside each other; no operation needs more than 4


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def not_json() -> exceptions.ParseError:
    return exceptions.ParseError(_("Nội dung gửi lên không phải JSON hợp lệ (UTF-8)."))


def too_large() -> TooLarge:
    limit = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) // 1024
    return TooLarge(_("Nội dung gửi lên quá lớn (tối đa %(kb)s KB).") % {"kb": limit})


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in `body`, counted without parsing it (the parser
    recurses once per level: a body nested a thousand deep would exhaust the stack)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with limits: the body's size (DATA_UPLOAD_MAX_MEMORY_SIZE, as Django
    limits a form), its nesting (MAX_JSON_DEPTH), and no NaN or Infinity; every refusal a 4xx."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        read = -1 if limit is None else limit + 1
        body = stream.read(read) if stream is not None else b""
        if limit is not None and len(body) > limit:
            raise too_large()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        if json_depth(body) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(n)s cấp).") % {"n": MAX_JSON_DEPTH}
            )
        try:
            text = codecs.decode(body, encoding)
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, LookupError, RecursionError):
            raise not_json() from None


def _refuse_constant(name):
    raise ValueError(name)
