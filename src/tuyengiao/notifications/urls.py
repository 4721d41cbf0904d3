from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    # The id travels in the POST body: a notification belongs to one person, not to a unit.
    path("read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
]
