"""Where each CSP lies: the local authorities it covers and the names other publishers use.

The ONS publishes which local authority districts (LADs) make up each CSP, lookup by lookup
(`fixtures/external/ons-lad17-csp17-pfa17-lookup.csv` for January 2017). A district can lie
wholly in one CSP, or (after a merger of districts) be shared by several: a population
estimate for a shared district cannot be given to any one of them. The Home Office names a
few CSPs differently from the ONS (`Folkestone and Hythe` for the ONS's `Shepway`); those
spellings are kept as aliases with the publication they come from.

These models name `CSP` by string so that this module never imports `crime_stats.models`
(which imports this one to register the models).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from crime_stats.names import normalise_name

LAD_CODE = RegexValidator(
    r"^[EW]0[6-9]\d{6}$", "A local authority district code is E06–E09 or W06 and six digits."
)


class LocalAuthorityQuerySet(models.QuerySet):
    def in_lookup(self, year: int) -> LocalAuthorityQuerySet:
        """Return the districts of one LAD → CSP lookup (2017, 2021 or 2023)."""
        return self.filter(lookup_year=year)


class LocalAuthority(models.Model):
    """A local authority district (or the part of one) that a CSP covers in one lookup."""

    code = models.CharField("LAD code", max_length=9, validators=[LAD_CODE])
    name = models.CharField(max_length=120)
    csp = models.ForeignKey(
        "crime_stats.CSP", on_delete=models.CASCADE, related_name="local_authorities"
    )
    lookup_year = models.PositiveSmallIntegerField(
        help_text="The year of the LAD → CSP lookup this row comes from (2017, 2021, 2023)."
    )
    shared = models.BooleanField(
        default=False,
        help_text="The district spans several CSPs, so its population cannot be given to one.",
    )
    source = models.CharField(max_length=255)

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = "local authority district"
        ordering = ["lookup_year", "code"]
        constraints = [
            # load_seed upserts on this; a district is listed once per CSP in each lookup.
            models.UniqueConstraint(
                fields=["code", "csp", "lookup_year"], name="lad_unique_per_csp_and_lookup"
            ),
        ]
        indexes = [
            # Population loads find every CSP of a district code.
            models.Index(fields=["code"], name="lad_code"),
        ]

    def __str__(self) -> str:
        part = " (part)" if self.shared else ""
        return f"{self.name} ({self.code}){part} in {self.csp} — {self.lookup_year} lookup"


class CSPAlias(models.Model):
    """Another publisher's spelling of a CSP's name, and where that spelling is used."""

    csp = models.ForeignKey("crime_stats.CSP", on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)
    source = models.TextField(help_text="The publication that uses this name, and where it is.")

    class Meta:
        verbose_name = "CSP alias"
        verbose_name_plural = "CSP aliases"
        ordering = ["csp", "name"]
        constraints = [
            # load_seed upserts on this.
            models.UniqueConstraint(fields=["csp", "name"], name="alias_unique_per_csp"),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.csp}"

    @property
    def key(self) -> str:
        """Return the alias as imports compare names."""
        return normalise_name(self.name)
