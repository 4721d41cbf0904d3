from django.urls import path, re_path

from .views import approvals, define, entry, excel, tables

app_name = "figures"
urlpatterns = [
    # what a unit owes, one report, approvals
    path("", entry.index, name="index"),
    path("reports/open/", entry.report_open, name="open"),
    path("reports/<int:pk>/", entry.report_entry, name="report"),
    path("reports/<int:pk>/withdraw/", entry.report_withdraw, name="withdraw"),
    path("reports/<int:pk>/approve/", entry.report_approve, name="approve"),
    path("reports/<int:pk>/unlock/", entry.report_unlock, name="unlock"),
    path("reports/<int:pk>/return/", entry.report_return, name="return"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/approve/", approvals.approve_many, name="approve_many"),
    # roll-up tables and completeness, their charts and exports
    path("table/", tables.table_page, name="table"),
    re_path(r"^table/chart\.(?P<fmt>svg|png)$", tables.table_chart, name="table_chart"),
    path("table/export.xlsx", tables.table_export, name="table_export"),
    path("completeness/", tables.completeness_page, name="completeness"),
    re_path(
        r"^completeness/chart\.(?P<fmt>svg|png)$",
        tables.completeness_chart,
        name="completeness_chart",
    ),
    path("completeness/export.xlsx", tables.completeness_export, name="completeness_export"),
    # definitions: indicators, report forms, validation rules
    path("indicators/", define.indicator_list, name="indicator_list"),
    path("indicators/new/", define.indicator_create, name="indicator_new"),
    path("indicators/<int:pk>/", define.indicator_edit, name="indicator_edit"),
    path("data-sets/", define.data_set_list, name="data_set_list"),
    path("data-sets/new/", define.data_set_create, name="data_set_new"),
    path("data-sets/<int:pk>/", define.data_set_detail, name="data_set_detail"),
    path("data-sets/<int:pk>/edit/", define.data_set_edit, name="data_set_edit"),
    path("data-sets/<int:pk>/schedule/", define.data_set_schedule, name="data_set_schedule"),
    path("data-sets/<int:pk>/rules/new/", define.rule_create, name="rule_new"),
    path("rules/<int:pk>/", define.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", define.rule_delete, name="rule_delete"),
    # Excel templates to fill offline
    path("excel/", excel.excel_page, name="excel"),
    path("excel/template.xlsx", excel.excel_template, name="excel_template"),
]
