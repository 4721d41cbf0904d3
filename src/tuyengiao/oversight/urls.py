from django.urls import path

from .views import conferences, exports, inspections, plans, recommendations

app_name = "oversight"
urlpatterns = [
    path("", inspections.index, name="index"),
    # the annual plan
    path("plans/", plans.plan_list, name="plans"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/items/", plans.plan_item_add, name="plan_item_add"),
    path("plan-items/<int:pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
    # one inspection, step by step
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/edit/", inspections.inspection_edit, name="inspection_edit"),
    path(
        "inspections/<int:pk>/announce/",
        inspections.inspection_announce,
        name="inspection_announce",
    ),
    path("inspections/<int:pk>/record/", inspections.inspection_record, name="inspection_record"),
    path("inspections/<int:pk>/record-file/", inspections.record_file, name="record_file"),
    path(
        "inspections/<int:pk>/conclude/",
        inspections.inspection_conclude,
        name="inspection_conclude",
    ),
    path("inspected/<int:pk>/self-report/", inspections.self_report, name="self_report"),
    path(
        "inspected/<int:pk>/self-report/file/",
        inspections.self_report_file,
        name="self_report_file",
    ),
    # recommendations, followed to the end
    path("recommendations/", recommendations.matrix, name="matrix"),
    path("recommendations/list/", recommendations.recommendation_list, name="recommendations"),
    path(
        "recommendations/<int:pk>/",
        recommendations.recommendation_detail,
        name="recommendation",
    ),
    path(
        "recommendations/<int:pk>/report/",
        recommendations.recommendation_report,
        name="recommendation_report",
    ),
    path(
        "recommendations/<int:pk>/accept/",
        recommendations.recommendation_accept,
        name="recommendation_accept",
    ),
    path(
        "recommendations/<int:pk>/return/",
        recommendations.recommendation_return,
        name="recommendation_return",
    ),
    path("recommendations/<int:pk>/evidence/", recommendations.evidence, name="evidence"),
    path("recurring/", recommendations.recurring, name="recurring"),
    path("settings/", recommendations.settings, name="settings"),
    # conferences
    path("conferences/", conferences.conference_list, name="conferences"),
    path("conferences/new/", conferences.conference_new, name="conference_new"),
    path("conferences/<int:pk>/", conferences.conference_detail, name="conference"),
    path("conferences/<int:pk>/edit/", conferences.conference_edit, name="conference_edit"),
    path("conferences/<int:pk>/tasks/", conferences.conference_tasks, name="conference_tasks"),
    # documents
    path("inspections/<int:pk>/conclusion.docx", exports.conclusion_docx, name="conclusion_docx"),
    path("plans/<int:pk>/plan.xlsx", exports.plan_xlsx, name="plan_xlsx"),
    path("recommendations/open.xlsx", exports.open_xlsx, name="open_xlsx"),
]
