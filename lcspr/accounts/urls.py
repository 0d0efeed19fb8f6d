from django.urls import path

from lcspr.accounts import agency_views, change_views, people_views, views

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
    path("people/", people_views.people_list, name="people"),
    path("people/invite/", people_views.person_invite, name="person_invite"),
    path("people/upload/", people_views.people_upload, name="people_upload"),
    path(
        "people/upload/confirm/", people_views.people_upload_confirm, name="people_upload_confirm"
    ),
    path("people/<int:pk>/", people_views.person_detail, name="person"),
    path("people/<int:pk>/roles/", people_views.person_roles, name="person_roles"),
    path(
        "people/<int:pk>/invitation/resend/",
        people_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "people/<int:pk>/invitation/cancel/",
        people_views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person_reactivate"),
    path("invitation/<str:token>/", people_views.invitation, name="invitation"),
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

# The partnership's agencies (lcspr/accounts/agency_views.py).
urlpatterns += [
    path("agencies/", agency_views.agency_list, name="agencies"),
    path("agencies/add/", agency_views.agency_add, name="agency_add"),
    path("agencies/<int:pk>/", agency_views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/rename/", agency_views.agency_rename, name="agency_rename"),
    path(
        "agencies/<int:pk>/statutory-partner/",
        agency_views.agency_statutory,
        name="agency_statutory",
    ),
    path("agencies/<int:pk>/retire/", agency_views.agency_retire, name="agency_retire"),
    path("agencies/<int:pk>/reinstate/", agency_views.agency_reinstate, name="agency_reinstate"),
    path("agencies/<int:pk>/changes/", agency_views.agency_changes, name="agency_changes"),
    # What changed for a person: their account and roles (lcspr/accounts/change_views.py).
    path("people/<int:pk>/changes/", change_views.person_changes, name="person_changes"),
]
