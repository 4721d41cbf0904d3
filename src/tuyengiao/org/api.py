"""What the API modules of every app share about units: a unit named by id, in scope."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .queries import units_for


@extend_schema_field(OpenApiTypes.INT)
class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    """A unit id; a unit outside the user's subtree does not exist."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": gettext_lazy("Không có đơn vị với id {pk_value} trong phạm vi của bạn."),
    }

    def get_queryset(self):
        return units_for(self.context["request"].user)
