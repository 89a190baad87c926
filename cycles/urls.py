from django.urls import path

from . import progress_views, views

app_name = "cycles"
urlpatterns = [
    path(
        "partnerships/<uuid:partnership>/cycles/new/",
        views.CycleStartView.as_view(),
        name="start",
    ),
    path("cycles/<uuid:cycle>/", views.cycle_detail, name="detail"),
    path("cycles/<uuid:cycle>/advance/", views.cycle_advance, name="advance"),
    path("cycles/<uuid:cycle>/close/", views.CycleCloseView.as_view(), name="close"),
    path("cycles/<uuid:cycle>/goal/", views.GoalView.as_view(), name="goal"),
    path("cycles/<uuid:cycle>/survey/", views.SurveyView.as_view(), name="survey"),
    path("cycles/<uuid:cycle>/survey/decline/", views.survey_decline, name="survey_decline"),
    path("cycles/<uuid:cycle>/goal/accept/", views.goal_accept, name="goal_accept"),
    path("cycles/<uuid:cycle>/evidence/", views.EvidenceView.as_view(), name="evidence"),
    path("cycles/<uuid:cycle>/progress/", views.progress_add, name="progress_add"),
    path(
        "cycles/<uuid:cycle>/progress/<int:point>/edit/",
        progress_views.progress_edit,
        name="progress_edit",
    ),
    path(
        "cycles/<uuid:cycle>/progress/<int:point>/delete/",
        progress_views.progress_delete,
        name="progress_delete",
    ),
    path(
        "cycles/<uuid:cycle>/reflections/new/",
        views.ReflectionWriteView.as_view(),
        name="reflection_write",
    ),
    path(
        "reflections/<uuid:reflection>/edit/",
        views.ReflectionUpdateView.as_view(),
        name="reflection_update",
    ),
    path(
        "reflections/<uuid:reflection>/delete/",
        views.reflection_delete,
        name="reflection_delete",
    ),
    path("strategies/", views.strategy_list, name="strategy_list"),
    path("strategies/<int:strategy>/", views.strategy_detail, name="strategy_detail"),
    path("library/", views.library, name="library"),
    path("library/focus-areas/new/", views.focus_area_edit, name="focus_area_add"),
    path("library/focus-areas/<int:focus_area>/", views.focus_area_edit, name="focus_area_edit"),
    path("library/strategies/new/", views.strategy_edit, name="strategy_add"),
    path("library/strategies/<int:strategy>/", views.strategy_edit, name="strategy_edit"),
]
