"""Stored report figures: aggregates computed in the background, read by every app server."""

from django.db import models
from django.utils import timezone


class ReportFigures(models.Model):
    """The dashboard and insight figures for one scope, as of `taken_at`.

    `scope` names the people they cover: "org", "department:<id>", "team:<manager id>" or
    "department:<id>|team:<manager id>". Written only by `figures.report_figures_refresh`
    (a background task); pages only read them, so every server shows the same figures with
    the same "as of" time. `requested_at` is when a page last asked for the scope: the
    scheduled refresh keeps recently requested scopes fresh.
    """

    scope = models.CharField(max_length=80, unique=True)
    dashboard = models.JSONField(default=dict)
    insights = models.JSONField(default=dict)
    taken_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "report figures"
        indexes = [models.Index(fields=["requested_at"], name="figures_by_requested")]

    def __str__(self) -> str:
        return f"{self.scope} as of {self.taken_at}"
