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
    path("observations/<uuid:observation>/look-fors/", views.look_for_add, name="look_for_add"),
    path("observations/<uuid:observation>/seats/", views.seats, name="seats"),
    path("observations/<uuid:observation>/seats/tap/", views.seat_tap, name="seat_tap"),
    path("observations/<uuid:observation>/seats/untap/", views.seat_untap, name="seat_untap"),
    path(
        "cycles/<uuid:cycle>/look-fors/",
        views.LookForChoiceView.as_view(),
        name="look_fors_choose",
    ),
    path("look-fors/", views.look_for_library, name="look_for_library"),
    path("look-fors/new/", views.look_for_template_edit, name="look_for_template_add"),
    path("look-fors/import/", views.look_for_template_import_view, name="look_for_import"),
    path("look-fors/<int:template>/", views.look_for_template, name="look_for_template"),
    path(
        "look-fors/<int:template>/edit/",
        views.look_for_template_edit,
        name="look_for_template_edit",
    ),
    path(
        "look-fors/<int:template>/look-fors.json",
        views.look_for_template_export,
        name="look_for_template_export",
    ),
    path("my-records/access/", views.access_log, name="access_log"),
    path("my-records/feedback/", views.my_feedback, name="my_feedback"),
]
