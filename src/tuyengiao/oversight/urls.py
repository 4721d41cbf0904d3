from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference"),
]
