from django.urls import path

from . import views

app_name = "observations"
urlpatterns = [
    path("observations/new/", views.ObservationStartView.as_view(), name="start"),
    path(
        "cycles/<uuid:cycle>/observations/new/",
        views.ObservationStartView.as_view(),
        name="start_in_cycle",
    ),
    path("observations/<uuid:observation>/", views.observation_detail, name="detail"),
    path("observations/<uuid:observation>/capture/", views.observation_capture, name="capture"),
    path("observations/capture-sw.js", views.capture_worker, name="capture_worker"),
    path("observations/<uuid:observation>/notes/", views.note_add, name="note_add"),
    path("observations/<uuid:observation>/tallies/", views.tally_set, name="tally_set"),
    path(
        "observations/<uuid:observation>/feedback/", views.FeedbackView.as_view(), name="feedback"
    ),
    path("observations/<uuid:observation>/share/", views.observation_share, name="share"),
    path("observations/<uuid:observation>/delete/", views.observation_delete, name="delete"),
    path("observations/<uuid:observation>/respond/", views.observation_respond, name="respond"),
    path("observations/<uuid:observation>/to-goal/", views.feed_goal, name="feed_goal"),
    path("my-records/access/", views.access_log, name="access_log"),
    path("my-records/feedback/", views.my_feedback, name="my_feedback"),
]
