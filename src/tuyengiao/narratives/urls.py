from django.urls import path

from . import views, views_reports

app_name = "narratives"
urlpatterns = [
    path("read/", views.read, name="read"),
    path("read/record/", views.record, name="record"),
    # the periodic narrative reports
    path("", views_reports.report_list, name="list"),
    path("new/", views_reports.report_new, name="new"),
    path("children/", views_reports.children, name="children"),
    path("<int:pk>/", views_reports.report_detail, name="detail"),
    path("<int:pk>/redraft/", views_reports.report_redraft, name="redraft"),
    path("<int:pk>/send/", views_reports.report_send, name="send"),
    path("<int:pk>/docx/", views_reports.report_docx, name="docx"),
    path("<int:pk>/xlsx/", views_reports.report_xlsx, name="xlsx"),
]
