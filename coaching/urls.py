from django.urls import path

from . import views

app_name = "coaching"
urlpatterns = [
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.PartnershipInviteView.as_view(), name="partnership_invite"),
    path("partnerships/<uuid:partnership>/", views.partnership_detail, name="partnership_detail"),
    path(
        "partnerships/<uuid:partnership>/accept/",
        views.partnership_accept,
        name="partnership_accept",
    ),
    path(
        "partnerships/<uuid:partnership>/decline/",
        views.partnership_decline,
        name="partnership_decline",
    ),
    path(
        "partnerships/<uuid:partnership>/pause/", views.partnership_pause, name="partnership_pause"
    ),
    path(
        "partnerships/<uuid:partnership>/resume/",
        views.partnership_resume,
        name="partnership_resume",
    ),
    path(
        "partnerships/<uuid:partnership>/close/", views.partnership_close, name="partnership_close"
    ),
    path(
        "partnerships/<uuid:partnership>/meetings/new/",
        views.MeetingScheduleView.as_view(),
        name="meeting_schedule",
    ),
    path(
        "partnerships/<uuid:partnership>/next-steps/new/",
        views.NextStepAddView.as_view(),
        name="next_step_add",
    ),
    path(
        "partnerships/<uuid:partnership>/teachers/<int:member>/remove/",
        views.partnership_remove_teacher,
        name="partnership_remove_teacher",
    ),
    path("partnerships/<uuid:partnership>/notes/", views.coach_notes, name="coach_notes"),
    path("meetings/<uuid:meeting>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:meeting>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("meetings/<uuid:meeting>/held/", views.meeting_hold, name="meeting_hold"),
    path("meetings/<uuid:meeting>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("next-steps/<uuid:next_step>/toggle/", views.next_step_toggle, name="next_step_toggle"),
    path("activity/", views.activity_list, name="activity_list"),
    path("activity/new/", views.ActivityLogView.as_view(), name="activity_log"),
    path("activity/export.csv", views.activity_export, name="activity_export"),
    path("activity/<int:entry>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("activity/<int:entry>/delete/", views.activity_delete, name="activity_delete"),
]
