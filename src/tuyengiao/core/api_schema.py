"""The API's errors in its OpenAPI schema: one `Error` component (the shapes of core/api.py),
and on every operation each error status it can answer, so that none is undocumented.

A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): the views
declare their successes and any error with a body of its own (409); the rest is the same for
every operation and is added here.
"""

ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Mọi lỗi của API: 400 {errors: {trường: [lời]}} (trường lồng nhau viết theo đường dẫn, "
        "ví dụ plan.0.kind; lỗi chung ở non_field_errors), các lỗi khác {detail: lời}; "
        "bằng tiếng Việt."
    ),
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

DESCRIPTIONS = {
    400: "Dữ liệu hoặc tham số không hợp lệ: {errors: {trường: [lời]}}.",
    401: "Chưa đăng nhập (gửi “Authorization: Token <khoá>” hoặc phiên đăng nhập).",
    403: "Không có quyền thực hiện thao tác này.",
    404: "Không có, hoặc ngoài phạm vi của người dùng.",
    405: "Phương thức không được hỗ trợ.",
    413: "Nội dung gửi lên quá lớn.",
    415: "Kiểu nội dung không được nhận.",
}

WRITES = {"post", "put", "patch", "delete"}


def error_statuses(method: str, operation: dict) -> set[int]:
    codes = {401, 404}  # 404: outside the scope, a bad page, and every operation to a collaborator
    if method in WRITES:
        codes |= {400, 403}
        if "requestBody" in operation:
            codes |= {413, 415}
    if any(p.get("in") in ("query", "path") for p in operation.get("parameters", [])):
        codes.add(400)
    return codes


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code in error_statuses(method, operation):
                declared = responses.get(str(code))
                if declared is None:
                    responses[str(code)] = {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    }
                elif _is_bare_object(declared):
                    declared["content"] = {"application/json": {"schema": ERROR_REF}}
                    if not declared.get("description"):
                        declared["description"] = DESCRIPTIONS[code]
    return result


def _is_bare_object(response: dict) -> bool:
    """A status declared with OpenApiTypes.OBJECT (no shape), or no body at all."""
    content = response.get("content")
    if not content:
        return True
    return all(
        media.get("schema", {}).get("type") == "object"
        and "properties" not in media.get("schema", {})
        for media in content.values()
    )
