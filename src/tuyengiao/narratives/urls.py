from django.urls import path

from . import views

app_name = "narratives"
urlpatterns = [
    path("read/", views.read, name="read"),
]
