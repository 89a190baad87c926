from django.urls import path

from . import people_views as views
from .oneroster import views as oneroster
from .sso import leading_to_providers

app_name = "accounts"
urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/invite/", views.person_invite, name="invite"),
    path("people/import/", views.roster_import, name="roster_import"),
    path("people/oneroster/", oneroster.oneroster_upload, name="oneroster"),
    path("people/oneroster/<uuid:package>/", oneroster.oneroster_detail, name="oneroster_detail"),
    path(
        "people/oneroster/<uuid:package>/apply/", oneroster.oneroster_apply, name="oneroster_apply"
    ),
    path(
        "people/oneroster/<uuid:package>/discard/",
        oneroster.oneroster_discard,
        name="oneroster_discard",
    ),
    path("people/<int:person>/", views.person_detail, name="person"),
    path("people/<int:person>/active/", views.person_set_active, name="person_active"),
    path("people/<int:person>/unlock/", views.person_unlock, name="person_unlock"),
    path("people/<int:person>/welcome/", views.person_send_welcome, name="person_welcome"),
    path("roles/<int:membership>/remove/", views.role_remove, name="role_remove"),
    path(
        "people/invited/<uuid:invitation>/<str:act>/",
        views.invitation_manage,
        name="invitation_manage",
    ),
    path(
        "welcome/<uidb64>/<token>/",
        leading_to_providers(views.WelcomeView.as_view()),
        name="welcome",
    ),
    path("invitations/", views.my_invitations, name="invitations"),
    path(
        "invitations/<uuid:invitation>/<str:answer>/",
        views.invitation_answer,
        name="invitation_answer",
    ),
]
