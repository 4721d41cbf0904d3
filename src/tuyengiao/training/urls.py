from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.plan_vs_actual, name="index"),
    path("plan/", views.plan_vs_actual, name="plan"),
    path("plan/xlsx/", views.plan_vs_actual_xlsx, name="plan_xlsx"),
    path("centres/", views.centre_list, name="centres"),
    path("centres/new/", views.centre_new, name="centre_new"),
    path("centres/<int:pk>/", views.centre_detail, name="centre"),
    path("centres/<int:pk>/edit/", views.centre_edit, name="centre_edit"),
    path("centres/<int:pk>/plans/", views.centre_plans, name="plans"),
    path("programmes/", views.programme_list, name="programmes"),
    path("classes/", views.class_list, name="classes"),
    path("classes/new/", views.class_new, name="class_new"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/delete/", views.class_delete, name="class_delete"),
]
