"""Which identity provider serves which email domain, and what it may do."""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.db.models.functions import Lower


class IdentityProvider(models.Model):
    """An email domain's identity provider (an allauth app: OpenID Connect or SAML)."""

    domain = models.CharField(
        max_length=253, unique=True, help_text="The email domain, such as acme.example."
    )
    app = models.ForeignKey(
        SocialApp,
        on_delete=models.PROTECT,
        related_name="identity_providers",
        help_text="The provider's client (OpenID Connect) or metadata (SAML).",
    )
    create_people = models.BooleanField(
        default=False,
        help_text="Create an account for someone of this domain who has none yet.",
    )
    password_sign_in = models.BooleanField(
        default=True,
        help_text="Allow password sign-in too. When off, the login page sends these addresses "
        "to the provider.",
    )

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="identity_provider_domain_ci"),
            models.CheckConstraint(
                condition=~models.Q(domain=""), name="identity_provider_has_domain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} → {self.app.name}"

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().lstrip("@")
        super().save(*args, **kwargs)
