from django.urls import path

from . import views

app_name = "second_factor"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("setup/", views.setup, name="setup"),
    path("codes/", views.codes, name="codes"),
    path("codes.txt", views.codes_download, name="codes_download"),
    path("codes/new/", views.regenerate, name="regenerate"),
    path("disable/", views.disable, name="disable"),
    path("verify/", views.verify, name="verify"),
]
