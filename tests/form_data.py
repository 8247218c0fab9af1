"""Form data the tests post, shared by the suites that post the same forms."""

import datetime

from actions.models import Action
from priorities.models import Partner


def progress(**overrides) -> dict:
    """Return a valid progress-update form for a priority a action, with `overrides` applied."""
    data = {
        "reported_on": "2020-03-16",
        "status": "amber",
        "indicator_value": "3",
        "spend": "1200.50",
        "narrative": "Two more bins installed at the bus station and the market.",
        "next_steps": "Final site in April.",
        "corrects": "",
    }
    data.update(overrides)
    return data


def smart_form_data(action: Action | None = None, **overrides) -> dict:
    """Return a complete, valid action form submission (from `action` when given)."""
    data = {
        "work_stream": action.work_stream_id if action else "",
        "title": action.title if action else "Safe space in the city centre",
        "description": action.description if action else "Open a safe space on weekend nights.",
        "indicator": action.indicator if action else "Vulnerable people helped",
        "baseline": str(action.baseline) if action and action.baseline is not None else "0",
        "target": str(action.target) if action else "200",
        "unit": action.unit if action else "people",
        "owner": action.owner_id if action else "",
        "partner": action.partner_id if action else Partner.objects.first().pk,
        "resources": action.resources if action else "Two paramedics and volunteers",
        "funding": str(action.funding) if action else "5000",
        "start_date": (action.start_date if action else datetime.date(2019, 6, 1)).isoformat(),
        "due_date": (action.due_date if action else datetime.date(2020, 3, 31)).isoformat(),
        "review_cadence": action.review_cadence if action else "monthly",
        "themes": [t.pk for t in action.themes.all()] if action else [],
        "edited_version": action.version if action else "",
    }
    data.update(overrides)
    return data
