from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_tree_root, name="tree"),
    path("units/search/", views.unit_search, name="search"),
    path("units/options/", views.unit_options, name="unit_options"),
    path("units/import/", views.units_import, name="import"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/add/", views.unit_create, name="unit_add"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/merge/", views.unit_merge, name="unit_merge"),
    path("units/<int:pk>/dissolve/", views.unit_dissolve, name="unit_dissolve"),
    path("users/", views.user_list, name="users"),
    path("users/add/", views.user_create, name="user_add"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/toggle-active/", views.user_toggle_active, name="user_toggle"),
]
