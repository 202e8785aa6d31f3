from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "allyship.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        def remember_provider(sender, request, user, sociallogin=None, **kwargs) -> None:
            # Which provider a session came through, so sign-out can end its session too.
            if sociallogin is not None:
                request.session["sso_provider"] = sociallogin.account.provider

        user_logged_in.connect(remember_provider, dispatch_uid="sso-remember-provider")
