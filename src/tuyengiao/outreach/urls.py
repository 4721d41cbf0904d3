from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    # speakers and their sessions
    path("", views.roster, name="index"),
    path("speakers.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("speakers/new/", views.speaker_new, name="speaker_new"),
    path("speakers/<int:pk>/", views.speaker_detail, name="speaker"),
    path("speakers/<int:pk>/edit/", views.speaker_edit, name="speaker_edit"),
    path("speakers/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions.xlsx", views.sessions_xlsx, name="sessions_xlsx"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("conferences/<int:pk>/speakers/", views.attendance, name="attendance"),
    # exemplary models
    path("models/", views.model_list, name="models"),
    path("models.xlsx", views.models_xlsx, name="models_xlsx"),
    path("models/new/", views.model_new, name="model_new"),
    path("models/counts/", views.model_counts, name="counts"),
    path("models/counts.xlsx", views.counts_xlsx, name="counts_xlsx"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("models/<int:pk>/photos/", views.model_photos, name="model_photos"),
    path("models/<int:pk>/replications/", views.replication_add, name="replication_add"),
    path("replications/<int:pk>/delete/", views.replication_delete, name="replication_delete"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
