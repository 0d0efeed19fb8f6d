from django.urls import path

from lcspr.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/set-up/send-link/",
        views.two_factor_link_request,
        name="two_factor_link_request",
    ),
    path("two-factor/set-up/link/<str:token>/", views.two_factor_link, name="two_factor_link"),
    path("confirm-it-is-you/", views.confirm_password, name="confirm_password"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/two-factor/reset/", views.two_factor_reset, name="two_factor_reset"),
    path("notifications/", views.notification_preferences, name="notification_preferences"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
