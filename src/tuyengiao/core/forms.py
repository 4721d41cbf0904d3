from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's validation error beside the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
