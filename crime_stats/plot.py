"""A small builder of plotly figures as plain dicts, for the few calls the portal's charts make.

plotly's `graph_objects` validate every property on assignment, which made the four charts of
a dashboard cost about 300 ms to build on a cache miss; the browser's plotly.js validates the
same JSON again anyway. This builder writes the JSON plotly.js reads (the shape
`go.Figure(...).to_plotly_json()` gives, with the "none" template) in well under a
millisecond. Property names are plotly's own; `title_text=` and `line_width=` expand as plotly
expands them.
"""

from __future__ import annotations

from typing import Any

# What `template="none"` becomes in plotly's JSON: no styling beyond plotly.js's defaults.
NO_TEMPLATE = {"data": {"scatter": [{"type": "scatter"}]}}
_EXPANDED = {"title_text": ("title", "text"), "line_width": ("line", "width")}


def trace(kind: str, **properties: Any) -> dict:
    """Return a trace of `kind` ("bar", "scatter") with the properties that are not None."""
    return {"type": kind, **{k: v for k, v in properties.items() if v is not None}}


def _expand(properties: dict[str, Any]) -> dict[str, Any]:
    expanded: dict[str, Any] = {}
    for name, value in properties.items():
        if name in _EXPANDED:
            outer, inner = _EXPANDED[name]
            _merge(expanded, {outer: {inner: value}})
        else:
            _merge(expanded, {name: value})
    return expanded


def _merge(target: dict, changes: dict) -> None:
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(name), dict):
            _merge(target[name], value)
        else:
            target[name] = value


class Figure:
    """A figure being built: `data` (traces) and `layout`, as plotly.js reads them."""

    def __init__(self, *traces: dict) -> None:
        self.data: list[dict] = list(traces)
        self.layout: dict[str, Any] = {"template": NO_TEMPLATE}

    def add_trace(self, new: dict) -> None:
        """Append a trace."""
        self.data.append(new)

    def update_layout(self, **properties: Any) -> None:
        """Merge properties into the layout (`template` is always "none")."""
        properties.pop("template", None)
        _merge(self.layout, _expand(properties))

    def update_xaxes(self, **properties: Any) -> None:
        """Merge properties into the x axis."""
        _merge(self.layout.setdefault("xaxis", {}), _expand(properties))

    def update_yaxes(self, **properties: Any) -> None:
        """Merge properties into the y axis."""
        _merge(self.layout.setdefault("yaxis", {}), _expand(properties))

    def update_traces(self, *, selector: dict[str, Any], **properties: Any) -> None:
        """Merge properties into every trace matching all of `selector`."""
        for existing in self.data:
            if all(existing.get(key) == value for key, value in selector.items()):
                _merge(existing, _expand(properties))

    def add_vrect(
        self, *, x0: float, x1: float, fillcolor: str, line_width: float, layer: str
    ) -> None:
        """Add a shaded band across the plot's full height between x0 and x1."""
        self.layout.setdefault("shapes", []).append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y domain",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": fillcolor,
                "line": {"width": line_width},
                "layer": layer,
            }
        )

    def to_plotly_json(self) -> dict:
        """Return the figure as plotly's JSON: {"data": [...], "layout": {...}}."""
        return {"data": self.data, "layout": self.layout}
