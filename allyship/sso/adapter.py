"""allauth adapters: people are matched by verified email; unknown people are created only
when their domain's provider allows it; every refused or failed sign-in is logged."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.db import transaction
from django.shortcuts import render

from allyship.services import audit_record
from allyship.sso.selectors import identity_provider_for_email
from learning.assignments import assignment_rules_apply

log = logging.getLogger("allyship.sso")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Nobody signs up with a password: HR imports people or their provider creates them.
        return False


def _refuse(request, reason: str, status: int = 403):
    log.warning("SSO sign-in refused: %s", reason)
    raise ImmediateHttpResponse(
        render(request, "sso/sign_in_refused.html", {"reason": reason}, status=status)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def _email(self, sociallogin) -> str:
        emails = [address.email.lower() for address in sociallogin.email_addresses]
        return emails[0] if emails else (sociallogin.user.email or "").lower()

    def _provider_for(self, sociallogin):
        email = self._email(sociallogin)
        provider = identity_provider_for_email(email)
        if provider is None or provider.app_id != sociallogin.account.get_provider().app.pk:
            return email, None
        return email, provider

    def pre_social_login(self, request, sociallogin) -> None:
        email, provider = self._provider_for(sociallogin)
        if not email:
            _refuse(request, "The identity provider did not send an email address.")
        if provider is None:
            _refuse(request, f"{email} is not a domain this identity provider signs in for.")
        if sociallogin.is_existing and not sociallogin.user.is_active:
            _refuse(request, "This account has been deactivated.")

    def is_email_verified(self, provider, email) -> bool:
        # The provider is the company's own directory for the domain it is configured for.
        return identity_provider_for_email(email) is not None

    def is_open_for_signup(self, request, sociallogin) -> bool:
        _, provider = self._provider_for(sociallogin)
        return bool(provider and provider.create_people)

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return self.is_open_for_signup(request, sociallogin)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").lower()
        names = [data.get("first_name") or "", data.get("last_name") or ""]
        user.full_name = (data.get("name") or " ".join(n for n in names if n)).strip()[:150]
        if not user.full_name:
            user.full_name = user.email.split("@")[0]
        return user

    def save_user(self, request, sociallogin, form=None):
        """Create the person their provider vouches for; audited, and their department's
        assignment rules reach them."""
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            audit_record(
                acting_user=None,
                action="sso.user.create",
                target=user.email,
                new=f"created at first sign-in through {sociallogin.account.get_provider().name}",
            )
            assignment_rules_apply(user=user)
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        log.warning(
            "SSO sign-in failed through %s: %s %s",
            getattr(provider, "id", provider),
            error,
            exception,
        )
        return super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )
