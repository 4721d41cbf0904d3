from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("new/", views.directive_create, name="new"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/send/", views.directive_send, name="send"),
    path("<int:pk>/export.xlsx", views.directive_export, name="export"),
    path("steps/<int:pk>/", views.step_record, name="step"),
]
