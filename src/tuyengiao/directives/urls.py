from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("new/", views.directive_create, name="new"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/send/", views.directive_send, name="send"),
    path("<int:pk>/send/receivers/", views.send_receivers, name="send_receivers"),
    path("<int:pk>/export.xlsx", views.directive_export, name="export"),
    path("<int:pk>/attachment/", views.directive_attachment, name="attachment"),
    path("steps/<int:pk>/", views.step_record, name="step"),
    path("steps/<int:pk>/file/", views.step_file, name="step_file"),
]
