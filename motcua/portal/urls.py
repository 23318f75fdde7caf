"""The citizen's side: accounts, my dossiers, the document wallet, reminders and life events."""

from django.urls import path

from .views import accounts, dossiers

urlpatterns: list = [
    # --- accounts (the login page itself is motcua.urls' "login", served by views.accounts.LoginView)
    path("login/vneid/", accounts.vneid_start, name="portal-vneid"),
    path("login/vneid/callback/", accounts.vneid_callback, name="portal-vneid-callback"),
    path("signup/", accounts.sign_up, name="portal-sign-up"),
    path("signup/verify/", accounts.sign_up_verify, name="portal-sign-up-verify"),
    path("password-reset/", accounts.password_reset, name="portal-password-reset"),
    path("password-reset/verify/", accounts.password_reset_verify, name="portal-password-reset-verify"),
    # --- my dossiers
    path("me/", dossiers.my_dossiers, name="portal-me"),
    path("me/dossiers/<str:code>/", dossiers.my_dossier, name="portal-me-dossier"),
    path("me/dossiers/<str:code>/result", dossiers.my_result, name="portal-me-result"),
]
