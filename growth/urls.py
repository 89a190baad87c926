from django.urls import path

from . import views

app_name = "growth"
urlpatterns = [
    path("growth/", views.my_growth, name="mine"),
    path("growth/goal/", views.GoalStartView.as_view(), name="start"),
    path("growth/cycles/<uuid:growth_cycle>/goal/", views.GoalChangeView.as_view(), name="goal"),
    path("growth/cycles/<uuid:growth_cycle>/close/", views.cycle_close, name="close"),
    path(
        "growth/cycles/<uuid:growth_cycle>/reflect/",
        views.ReflectionWriteView.as_view(),
        name="reflect",
    ),
    path(
        "growth/cycles/<uuid:growth_cycle>/conversations/new/",
        views.MeetingRecordView.as_view(),
        name="meeting",
    ),
    path("growth/cycles/<uuid:growth_cycle>/steps/new/", views.StepAddView.as_view(), name="step"),
    path("growth/cycles/<uuid:growth_cycle>/", views.cycle_detail, name="cycle"),
    path("growth/steps/<uuid:growth_step>/toggle/", views.step_toggle, name="step_toggle"),
    path("growth/steps/<uuid:growth_step>/delete/", views.step_delete, name="step_delete"),
    path(
        "growth/conversations/<uuid:growth_meeting>/delete/",
        views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "growth/reflections/<uuid:growth_reflection>/delete/",
        views.reflection_delete,
        name="reflection_delete",
    ),
    path(
        "growth/reflections/<uuid:growth_reflection>/share/", views.reflection_share, name="share"
    ),
    path(
        "growth/reflections/<uuid:growth_reflection>/answer/",
        views.AnswerView.as_view(),
        name="answer",
    ),
    path("growth/offers/<uuid:support>/accept/", views.offer_accept, name="offer_accept"),
    path("growth/offers/<uuid:support>/decline/", views.offer_decline, name="offer_decline"),
    path("growth/supports/<uuid:support>/end/", views.support_end, name="support_end"),
    path("library/competencies/", views.competencies, name="competencies"),
    path("library/competencies/new/", views.competency_edit, name="competency_add"),
    path(
        "library/competencies/<int:competency>/edit/",
        views.competency_edit,
        name="competency_edit",
    ),
    path("coaches/", views.lead_home, name="lead_home"),
    path("coaches/offer/", views.OfferView.as_view(), name="offer"),
    path("coaches/<uuid:support>/", views.coach_for_lead, name="coach"),
    path("coaches/<uuid:support>/goal/", views.GoalStartView.as_view(), name="start_for"),
]
