"""Refusing personal data in free text, field by field (the search is `text.privacy`)."""

from django.core.exceptions import ValidationError

from tuyengiao.text.privacy import describe, personal_data


def refuse_personal_data(**texts: str) -> None:
    """A ValidationError naming, for each field, the phone numbers, ID numbers or e-mail
    addresses found in its text; nothing when there is none."""
    errors = {}
    for field, text in texts.items():
        findings = personal_data(text or "")
        if findings:
            errors[field] = describe(findings)
    if errors:
        raise ValidationError(errors)
