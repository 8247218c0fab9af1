"""Population estimates per CSP and year: what every Home Office count is divided by.

An admin loads them once a year (ONS mid-year estimates by local authority, mySociety's table,
or a CSP-level table); each load is an `ImportBatch` of format `population`, journalled in
`PopulationChange` so that undoing it restores every estimate exactly, as crime figures are.
The financial year 2025/26 uses the mid-2025 estimate (mid-year falls inside it); when that is
not loaded, an import falls back to the latest earlier one and its preview says so.

Models name their relations by string so this module never imports `crime_stats.models`.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class PopulationEstimateQuerySet(models.QuerySet):
    def up_to(self, year: int) -> PopulationEstimateQuerySet:
        """Return the estimates for mid-`year` and earlier, newest first."""
        return self.filter(year__lte=year).order_by("csp_id", "-year")


class PopulationEstimate(models.Model):
    """A CSP's estimated resident population at mid-`year`, and which load set it."""

    csp = models.ForeignKey(
        "crime_stats.CSP", on_delete=models.PROTECT, related_name="population_estimates"
    )
    year = models.PositiveSmallIntegerField(
        "mid-year", validators=[MinValueValidator(1990)], help_text="2025 = mid-2025."
    )
    population = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    source = models.CharField(
        max_length=255, help_text="The file and how the CSP's figure was made from it."
    )
    batch = models.ForeignKey(
        "crime_stats.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="population_estimates",
    )

    objects = PopulationEstimateQuerySet.as_manager()

    class Meta:
        ordering = ["csp", "year"]
        constraints = [
            # One estimate per CSP and year: loads upsert on this, imports read it.
            models.UniqueConstraint(fields=["csp", "year"], name="estimate_unique_csp_year"),
            # A rate per 1,000 divides by it.
            models.CheckConstraint(condition=Q(population__gt=0), name="estimate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.csp}, mid-{self.year}: {self.population:,}"


class PopulationChange(models.Model):
    """What one population load did to one estimate, so undoing the load restores it."""

    batch = models.ForeignKey(
        "crime_stats.ImportBatch", on_delete=models.CASCADE, related_name="population_changes"
    )
    csp = models.ForeignKey("crime_stats.CSP", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    created = models.BooleanField()
    previous_population = models.PositiveIntegerField(null=True, blank=True)
    previous_source = models.CharField(max_length=255, blank=True)
    previous_batch = models.ForeignKey(
        "crime_stats.ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            # A load writes each estimate once; undo reads one row per estimate.
            models.UniqueConstraint(
                fields=["batch", "csp", "year"], name="population_change_unique"
            ),
        ]

    def __str__(self) -> str:
        action = "created" if self.created else f"revised from {self.previous_population}"
        return f"{self.csp}, mid-{self.year}: {action}"
