"""The delivery chart: one stacked bar per priority, each segment labelled in words."""

from collections import Counter
from decimal import Decimal

from actions.charts import delivery_chart
from actions.delivery import PriorityDelivery
from priorities.models import Priority


def delivery(letter: str, **statuses: int) -> PriorityDelivery:
    priority = Priority(letter=letter, wording=f"Priority {letter} wording", version_id=1, pk=1)
    return PriorityDelivery(priority=priority, statuses=Counter(statuses))


def test_each_status_is_a_labelled_segment_worst_first():
    figure = delivery_chart(
        [delivery("a", red=1, green=2), delivery("b", green=1, complete=3)], title="Actions"
    )
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["Red: off track", "Green: on track", "Complete"]
    red, green, complete = figure["data"]
    assert list(green["x"]) == [2, 1]
    assert list(green["text"]) == ["2 green", "1 green"]
    assert list(red["text"]) == ["1 red", ""]
    assert list(complete["y"]) == ["a. Priority a wording", "b. Priority b wording"]
    assert figure["layout"]["barmode"] == "stack"


def test_no_actions_means_no_chart():
    assert delivery_chart([delivery("a")], title="Actions") is None


def test_percent_spent_and_overspend():
    row = PriorityDelivery(
        priority=Priority(letter="a"), allocation=Decimal(1000), spend=Decimal("1250.50")
    )
    assert row.percent_spent == 125
    assert row.overspent
    assert PriorityDelivery(priority=Priority(letter="b")).percent_spent is None
