from django.urls import path, re_path

from .views import bodies, index, intake, overview, triage

app_name = "concerns"
urlpatterns = [
    path("", index.index, name="index"),
    # a collaborator's report and what became of their reports
    path("new/", intake.new, name="new"),
    path("mine/", intake.mine, name="mine"),
    # the office: triage, the concerns and the actions on them
    path("triage/", triage.triage, name="triage"),
    path("reports/<int:pk>/", triage.report_detail, name="report"),
    path("reports/<int:pk>/attach/", triage.report_attach, name="report_attach"),
    path("reports/<int:pk>/open/", triage.report_open, name="report_open"),
    path("photos/<int:pk>/", triage.photo, name="photo"),
    path("list/", triage.concern_list, name="list"),
    # the bodies a unit forwards concerns to
    path("bodies/", bodies.body_list, name="bodies"),
    path("bodies/add/", bodies.body_add, name="body_add"),
    path("bodies/defaults/", bodies.body_defaults, name="body_defaults"),
    path("bodies/<int:pk>/", bodies.body_edit, name="body"),
    path("<int:pk>/", triage.concern_detail, name="concern"),
    path("<int:pk>/<slug:action>/", triage.concern_act, name="act"),
    # the overview and the periodic summaries
    path("overview/", overview.overview_page, name="overview"),
    re_path(r"^overview/chart\.(?P<fmt>svg|png)$", overview.overview_chart, name="overview_chart"),
    path("summaries/", overview.summary_list, name="summaries"),
    path("summaries/draft/", overview.summary_draft, name="summary_draft"),
    path("summaries/<int:pk>/", overview.summary_detail, name="summary"),
    path("summaries/export.docx", overview.summary_docx, name="summary_docx"),
    path("summaries/export.xlsx", overview.summary_xlsx, name="summary_xlsx"),
]
