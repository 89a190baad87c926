from allauth.socialaccount.providers.openid_connect import views as openid_connect
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from . import language, two_step, views
from .forms import ResetForm
from .security import two_step_exempt
from .sso import leading_to_providers, reaching_the_provider

# Django's own auth views keep their un-namespaced names (password_reset_done, ...) because
# they reverse one another by those names.
urlpatterns = [
    path("sign-in/", leading_to_providers(views.SignInView.as_view()), name="login"),
    # The district's accounts (accounts/sso.py), through allauth's OpenID Connect views.
    # The callback is the redirect URL a district registers with its provider.
    path(
        "oidc/<str:provider_id>/login/",
        leading_to_providers(openid_connect.login),
        name="openid_connect_login",
    ),
    path(
        "oidc/<str:provider_id>/login/callback/",
        reaching_the_provider(openid_connect.callback),
        name="openid_connect_callback",
    ),
    path("sign-out/", two_step_exempt(views.SignOutView.as_view()), name="logout"),
    path("two-step/", two_step.two_step, name="two_step"),
    path("switch-role/", views.switch_role, name="switch_role"),
    path("language/", two_step_exempt(language.language_switch), name="language"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("sign-out-others/", views.sign_out_other_devices, name="sign_out_others"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "password/reset/",
        # Links point at SITE_URL, as every other e-mail's do, never at whatever Host the
        # request claimed.
        auth_views.PasswordResetView.as_view(
            form_class=ResetForm, extra_email_context={"site_url": settings.SITE_URL}
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
