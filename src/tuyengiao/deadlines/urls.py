from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.obligation_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.obligation_detail, name="detail"),
]
