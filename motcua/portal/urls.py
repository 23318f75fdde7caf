"""The citizen's side: accounts, my dossiers, the document wallet, reminders and life events."""

from django.urls import path

from .views import accounts, dossiers, life_events, postal, wallet

urlpatterns = [
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

    # --- wallet ---
    path("me/wallet/", wallet.wallet_page, name="portal-wallet"),
    path("me/wallet/add/", wallet.add_paper, name="portal-wallet-add"),
    path("me/wallet/<int:document_id>/file/", wallet.open_paper, name="portal-wallet-open"),
    path("me/wallet/<int:document_id>/remove/", wallet.remove_paper, name="portal-wallet-remove"),
    path("me/wallet/file/", wallet.file_with_wallet, name="portal-file"),
    path("me/repeat/<str:repeat>/", wallet.file_with_wallet, name="portal-repeat"),
    path("me/post/<str:code>/", postal.delivery, name="portal-delivery"),
    # --- life events ---
    path("life-events/", life_events.life_events, name="portal-life-events"),
    path("life-events/<slug:code>/", life_events.life_event, name="portal-life-event"),
    path("me/life-events/", life_events.my_life_events, name="portal-my-life-events"),
]
