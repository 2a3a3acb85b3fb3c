"""A person's own account: password change and reset, two-factor sign-in."""

from django.urls import path

from selfdirect.access import views

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.OwnPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/changed/", views.OwnPasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password-reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.ResetSentView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.two_factor_codes, name="two_factor_codes"),
    path("two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-code/", views.two_factor_recovery, name="two_factor_recovery"),
    path("two-factor/turn-off/", views.two_factor_off, name="two_factor_off"),
]
