"""The organisation: people, departments, the manager chain and the audit log."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from allyship.validators import validate_single_line

HR_GROUP = "HR admin"


class Role(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    MANAGER = "manager", "Manager"
    HR = "hr", "HR admin"


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True, validators=[validate_single_line])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


TEAM_CTE = """
WITH RECURSIVE team(id) AS (
    SELECT id FROM allyship_user WHERE manager_id = %s
    UNION
    SELECT u.id FROM allyship_user u JOIN team t ON u.manager_id = t.id
)
SELECT id FROM team
"""

CHAIN_CTE = """
WITH RECURSIVE chain(id, manager_id) AS (
    SELECT id, manager_id FROM allyship_user WHERE id = %s
    UNION
    SELECT u.id, u.manager_id FROM allyship_user u JOIN chain c ON u.id = c.manager_id
)
SELECT id FROM chain
"""


class UserQuerySet(models.QuerySet["User"]):
    def team_of(self, manager_id: int) -> "UserQuerySet":
        """Everyone below the manager at any depth, in one recursive query."""
        return self.filter(id__in=RawSQL(TEAM_CTE, [manager_id]))

    def chain_above(self, user_id: int) -> "UserQuerySet":
        """The person and everyone above them in the manager chain."""
        return self.filter(id__in=RawSQL(CHAIN_CTE, [user_id]))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, validators=[validate_single_line])
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Role facts stored on the person's own row, so every request reads them with the person
    # (no subquery). allyship.services.roles_refresh keeps them right; call it in the same
    # transaction as any change to the HR group, a manager, or who is active.
    is_hr_admin = models.BooleanField(default=False, editable=False)
    has_reports = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        indexes = [models.Index(fields=["full_name"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("id")), name="user_not_own_manager"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        validate_manager(user=self, manager=self.manager)


def validate_manager(*, user: User, manager: User | None) -> None:
    """Refuse a manager that would make the chain loop back to the person."""
    if manager is None:
        return
    if user.pk is not None and manager.pk == user.pk:
        raise ValidationError({"manager": "A person cannot be their own manager."})
    if user.pk is not None and User.objects.chain_above(manager.pk).filter(pk=user.pk).exists():
        raise ValidationError(
            {"manager": f"{manager} reports to {user}, so {user} cannot report to them."}
        )


class AuditEntry(models.Model):
    """One HR or manager action: who did what, the old and new value, when. Never edited."""

    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=255, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Ready to apply"
    QUEUED = "queued", "Waiting to be applied"
    APPLYING = "applying", "Being applied"
    APPLIED = "applied", "Applied"


class ImportBatch(models.Model):
    """An uploaded people CSV: its validated rows and the preview HR saw. Applied at most once,
    by a background task (previewed -> queued -> applying -> applied)."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.JSONField(default=list)
    preview = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    # Applying runs in a background task: when it was asked for and when the worker began,
    # and how the last attempt ended when it did not apply (refreshed, rejected, failed).
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
