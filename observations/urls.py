from django.urls import path

from .views import (
    capture,
    comment_bank,
    corrections,
    feedback,
    library,
    look_fors,
    seats,
    teacher,
)

app_name = "observations"
urlpatterns = [
    path("observations/new/", capture.ObservationStartView.as_view(), name="start"),
    path(
        "cycles/<uuid:cycle>/observations/new/",
        capture.ObservationStartView.as_view(),
        name="start_in_cycle",
    ),
    path("observations/<uuid:observation>/", feedback.observation_detail, name="detail"),
    path("observations/<uuid:observation>/capture/", capture.observation_capture, name="capture"),
    path("observations/capture-sw.js", capture.capture_worker, name="capture_worker"),
    path("observations/<uuid:observation>/notes/", capture.note_add, name="note_add"),
    path("observations/<uuid:observation>/tallies/", capture.tally_set, name="tally_set"),
    path("observations/<uuid:observation>/notes/undo/", corrections.note_undo, name="note_undo"),
    path(
        "observations/<uuid:observation>/notes/<uuid:note>/edit/",
        corrections.NoteEditView.as_view(),
        name="note_edit",
    ),
    path(
        "observations/<uuid:observation>/notes/<uuid:note>/delete/",
        corrections.note_delete,
        name="note_delete",
    ),
    path(
        "observations/<uuid:observation>/tallies/<uuid:tally>/edit/",
        corrections.TallyEditView.as_view(),
        name="tally_edit",
    ),
    path(
        "observations/<uuid:observation>/tallies/<uuid:tally>/delete/",
        corrections.tally_delete,
        name="tally_delete",
    ),
    path(
        "observations/<uuid:observation>/feedback/",
        feedback.FeedbackView.as_view(),
        name="feedback",
    ),
    path("observations/<uuid:observation>/share/", feedback.observation_share, name="share"),
    path("observations/<uuid:observation>/delete/", capture.observation_delete, name="delete"),
    path("observations/<uuid:observation>/respond/", feedback.observation_respond, name="respond"),
    path("observations/<uuid:observation>/to-goal/", feedback.feed_goal, name="feed_goal"),
    path("observations/<uuid:observation>/look-fors/", look_fors.look_for_add, name="look_for_add"),
    path("observations/<uuid:observation>/seats/", seats.seats, name="seats"),
    path("observations/<uuid:observation>/seats/tap/", seats.seat_tap, name="seat_tap"),
    path("observations/<uuid:observation>/seats/untap/", seats.seat_untap, name="seat_untap"),
    path(
        "cycles/<uuid:cycle>/look-fors/",
        look_fors.LookForChoiceView.as_view(),
        name="look_fors_choose",
    ),
    path("look-fors/", library.look_for_library, name="look_for_library"),
    path("look-fors/new/", library.look_for_template_edit, name="look_for_template_add"),
    path("look-fors/import/", library.look_for_template_import_view, name="look_for_import"),
    path("look-fors/<int:template>/", library.look_for_template, name="look_for_template"),
    path(
        "look-fors/<int:template>/edit/",
        library.look_for_template_edit,
        name="look_for_template_edit",
    ),
    path(
        "look-fors/<int:template>/look-fors.json",
        library.look_for_template_export,
        name="look_for_template_export",
    ),
    path("comment-bank/", comment_bank.CommentBankView.as_view(), name="comment_bank"),
    path(
        "comment-bank/<uuid:phrase>/edit/",
        comment_bank.CommentBankEditView.as_view(),
        name="comment_bank_edit",
    ),
    path(
        "comment-bank/<uuid:phrase>/delete/",
        comment_bank.comment_bank_delete,
        name="comment_bank_delete",
    ),
    path("my-records/access/", teacher.access_log, name="access_log"),
    path("my-records/feedback/", teacher.my_feedback, name="my_feedback"),
]
