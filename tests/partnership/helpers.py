"""Board meetings for tests: one open, one with an issued pack."""

import datetime

from django.utils import timezone

from partnership.models import BoardMeeting, IssuedPack


def board_meetings(chair) -> dict[str, int]:
    """Return the ids of a meeting without a pack and one with an issued pack (made once)."""
    issued, _ = BoardMeeting.objects.get_or_create(
        held_on=datetime.date(2020, 1, 15),
        defaults={"title": "SLP board, January 2020", "created_by": chair},
    )
    IssuedPack.objects.get_or_create(
        meeting=issued,
        defaults={
            "issued_by": chair,
            "issued_at": timezone.now(),
            "html": "<p>The pack as issued.</p>",
            "content": {},
            "sha256": "0" * 64,
        },
    )
    meeting, _ = BoardMeeting.objects.get_or_create(
        held_on=datetime.date(2020, 4, 20),
        defaults={"title": "SLP board, April 2020", "created_by": chair},
    )
    return {"meeting": meeting.pk, "issued_meeting": issued.pk}
