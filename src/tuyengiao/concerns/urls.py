from django.urls import path

from .views import index, intake, picture, triage

app_name = "concerns"

urlpatterns = [
    path("", index.index, name="index"),
    *intake.urlpatterns,
    *triage.urlpatterns,
    *picture.urlpatterns,
]
