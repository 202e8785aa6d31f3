"""SCIM bearer tokens, and what SCIM knows about people and departments beyond our own fields."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from allyship.models import Department


def token_digest(raw: str) -> str:
    """The stored form of a token: tokens are 256 random bits, so one SHA-256 is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ScimTokenQuerySet(models.QuerySet["ScimToken"]):
    def live(self) -> "ScimTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ScimToken(models.Model):
    """A bearer token a SCIM client presents. Only its digest is kept; revoked, never reused."""

    name = models.CharField(max_length=100, unique=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=8, editable=False, help_text="First characters, to tell tokens apart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScimTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "SCIM token"
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="scim_token_has_name"),
            models.CheckConstraint(condition=~models.Q(digest=""), name="scim_token_has_digest"),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.name} ({self.prefix}…, {state})"


class ScimUser(models.Model):
    """A person as their identity provider knows them: external id, name parts and emails as
    sent, and whether the provider deleted them (they stay with us, inactive)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="scim"
    )
    user_name = models.CharField(max_length=255, null=True, blank=True, unique=True)
    external_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    display_name = models.CharField(max_length=150, null=True, blank=True)
    name = models.JSONField(default=dict, blank=True)
    emails = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SCIM person"
        verbose_name_plural = "SCIM people"

    def __str__(self) -> str:
        return str(self.user)


class ScimGroup(models.Model):
    """A department as a SCIM Group: its external id and when the provider last changed it."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, primary_key=True, related_name="scim"
    )
    external_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "SCIM group"

    def __str__(self) -> str:
        return str(self.department)
