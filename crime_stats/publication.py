"""What a Home Office publication says about itself: its Notes sheet, kept with the batch.

The national file's `Notes` sheet gives its title, the date it was updated and force notes
such as "crime data for Maidstone, Medway … are recorded under an unassigned CSP group from
2024 onwards". The notes are kept with the batch that loaded the file, and a note that names
a CSP is shown beside that CSP's figures for the years it covers.

Models name their relations by string so this module never imports `crime_stats.models`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class PublicationNotes(models.Model):
    """The Notes sheet of the file a batch loaded: title, updated date, additional notes."""

    batch = models.OneToOneField(
        "crime_stats.ImportBatch", on_delete=models.CASCADE, related_name="publication"
    )
    title = models.CharField(max_length=500, blank=True)
    updated = models.DateField(null=True, blank=True)
    additional_notes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "publication notes"

    def __str__(self) -> str:
        return self.title or f"Notes of {self.batch}"


class ForceNoteQuerySet(models.QuerySet):
    def committed(self) -> ForceNoteQuerySet:
        """Return the notes of batches whose figures are in the portal."""
        return self.filter(publication__batch__status="committed")

    def for_year(self, year: int) -> ForceNoteQuerySet:
        """Return the notes that apply to the financial year starting in `year`."""
        return self.filter(
            Q(first_year__isnull=True) | Q(first_year__lte=year),
            Q(last_year__isnull=True) | Q(last_year__gte=year),
        )


class ForceNote(models.Model):
    """One force note of a publication, the CSPs it names and the financial years it covers."""

    publication = models.ForeignKey(
        PublicationNotes, on_delete=models.CASCADE, related_name="force_notes"
    )
    text = models.TextField()
    csps = models.ManyToManyField("crime_stats.CSP", blank=True, related_name="force_notes")
    first_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="First financial year (2024 = 2024/25); blank = all."
    )
    last_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Last financial year; blank = open-ended."
    )

    objects = ForceNoteQuerySet.as_manager()

    class Meta:
        ordering = ["publication", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


def force_notes_for_group(group_id: int, financial_year: int) -> list[tuple[str, list[str]]]:
    """Return the committed force notes for a financial year that name a CSP ever in the group,
    each with the labels of the CSPs it names, oldest publication first (one query when none)."""
    notes = (
        ForceNote.objects.committed()
        .for_year(financial_year)
        .filter(csps__memberships__group_id=group_id)
        .prefetch_related("csps")
        .distinct()
        .order_by("publication__batch__committed_at", "pk")
    )
    return [(note.text, [csp.label for csp in note.csps.all()]) for note in notes]
