"""The Django admin for outreach: read here, changed only through the pages, whose services
keep the rules (scope, terms, registered decisions) and the audit log."""

from django.contrib import admin

from tuyengiao.audit.admin import ReadOnlyAdmin

from .models import Exemplar, OutreachSession, Speaker


@admin.register(Speaker)
class SpeakerAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "position", "kind", "level", "term", "unit"]
    list_filter = ["kind", "level", "term"]
    search_fields = ["full_name", "search_key"]


@admin.register(OutreachSession)
class OutreachSessionAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "speaker", "unit", "topic", "audience"]
    date_hierarchy = "held_on"


@admin.register(Exemplar)
class ExemplarAdmin(ReadOnlyAdmin):
    list_display = ["name", "area", "unit", "level", "recognised_on"]
    list_filter = ["area", "level"]
    search_fields = ["name", "search_key"]
