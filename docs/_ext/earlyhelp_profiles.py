"""A Sphinx directive that renders the shipped profiles from the files themselves.

Each rule version is listed with its id, the dates it is in force, its
citation and its parameters, read through :func:`earlyhelp.profiles.load_profile`, so the
reference shows exactly what the engine applies.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from earlyhelp.profiles import Profile, load_profile, profile_names

_FAMILIES = {
    "measures": "Measures reported",
    "quarterly": "Quarterly performance table",
    "rereferral": "Re-referral",
    "escalation": "Escalation",
    "threshold": "Threshold levels",
    "cin_in_early_help": "Child in need cases held in early help",
    "quality": "Data-quality settings",
    "prior_early_help": "Early help before statutory services (look-back)",
    "spider": "Spider graph direction of travel",
    "survey": "How Was It For You survey percentages",
    "themes": "How Was It For You theme dictionary",
    "presentation": "Presentation: rounding and disclosure control",
    "targets": "Targets and baselines",
}


def _presentation(version: Any) -> list[str]:
    lines = [
        f"percentages: ``{version.percentage.mode.value}`` to {version.percentage.places} places",
        f"rates per 10,000: ``{version.rate.mode.value}`` to {version.rate.places} places",
    ]
    lines += [f"``{measure}``: {places} places" for measure, places in version.places.items()]
    lines.append(f"internal reports: {version.internal.describe()}")
    lines.append(f"published output: {version.published.describe()}")
    return lines


def _target(version: Any) -> list[str]:
    measure = "every measure" if version.measure_id == "*" else f"``{version.measure_id}``"
    lines = [f"measure: {measure}"]
    if version.has_target:
        lines.append(f"target: {version.describe()}")
        if version.amber_within:
            lines.append(f"amber when missed by no more than {version.amber_within}")
    if version.baseline is not None:
        lines.append(f"baseline period: {version.baseline}")
    return lines


def _rereferral(version: Any) -> list[str]:
    window = version.window
    return [
        f"in words: {version.describe()}",
        f"anchor: ``{version.anchor.value}``",
        f"window: {window.describe()}",
        f"match on: ``{version.match_on.value}``",
        f"exclude the case the referral opened: {'yes' if version.exclude_same_case else 'no'}",
        f"judged and placed by (``placed_by``): {version.placed_by.words}",
        f"the rate's denominator: {version.denominator.words}",
    ]


def _measures(version: Any) -> list[str]:
    measure = "every other measure" if version.measure_id == "*" else f"``{version.measure_id}``"
    title = [] if version.title is None else [f"title: {version.title}"]
    return [f"measure: {measure}", *title]


def _quarterly(version: Any) -> list[str]:
    return [
        f"``{line.key}``: {line.label} (``{line.measure_id}``, {line.shown.value}"
        + ("" if line.chart.value == "none" else f"; drawn as {line.chart.value}")
        + ")"
        for line in version.lines
    ]


def _escalation(version: Any) -> list[str]:
    return [
        "step-up closure reasons: " + ", ".join(f"``{r}``" for r in version.step_up),
        "step-down end reasons: " + (", ".join(f"``{r}``" for r in version.step_down) or "none"),
    ]


def _threshold(version: Any) -> list[str]:
    lines = [f"level {level}: {service}" for level, service in version.services]
    table = version.table
    lines.append(f"decision table ``{table.table_id}`` ({table.hit_policy.value} hit policy):")
    lines += [table.explain_row(row.number) for row in table.rows]
    return lines


def _cin_in_early_help(version: Any) -> list[str]:
    needs = "by a qualified social worker" if version.requires_qualified_social_worker else ""
    return [f"requires a completed single assessment {needs}".rstrip()]


def _spider(version: Any) -> list[str]:
    return [f"direction of travel decided by: ``{version.direction.value}``; a tie is no change"]


def _survey(version: Any) -> list[str]:
    counted = "yes" if version.not_answered_in_denominator else "no"
    return [f"not-answered forms in the denominator: {counted}"]


def _themes(version: Any) -> list[str]:
    return [
        f"``{theme.theme_id}`` ({theme.kind.value}): {theme.label}; terms: "
        + ", ".join(f"``{term}``" for term in theme.phrases + theme.keywords)
        for theme in version.themes
    ]


def _prior_early_help(version: Any) -> list[str]:
    return [f"look-back: {version.window.describe()}"]


def _quality(version: Any) -> list[str]:
    return [
        f"open case without an Early Help Assessment queried after "
        f"{version.open_case_without_eha_days} days",
        "disabled checks: " + (", ".join(version.disabled) or "none"),
    ]


_PARAMETERS = {
    "measures": _measures,
    "quarterly": _quarterly,
    "presentation": _presentation,
    "targets": _target,
    "rereferral": _rereferral,
    "escalation": _escalation,
    "threshold": _threshold,
    "cin_in_early_help": _cin_in_early_help,
    "spider": _spider,
    "survey": _survey,
    "themes": _themes,
    "quality": _quality,
    "prior_early_help": _prior_early_help,
}


def _parameters(family: str, version: Any) -> list[str]:
    return _PARAMETERS[family](version)


def profile_rst(profile: Profile) -> list[str]:
    """The reStructuredText for one profile."""
    heading = f"{profile.profile_id}"
    lines = [heading, "-" * len(heading), "", profile.title + ".", ""]
    if profile.council:
        lines += [f"Council: {profile.council}.", ""]
    lines += [f"When no rule is in force on a record's date: ``{profile.on_missing.value}``.", ""]
    names = profile.names
    lines += [
        f"Names: the area is the ``{names.area}`` ({names.the_area}), its parts are "
        f"``{names.plural('locality')}``, its teams ``{names.plural('team')}``; the client "
        f"survey is {names.survey}, the distance-travelled tool the {names.spider}.",
        "",
    ]
    for family, title in _FAMILIES.items():
        versions = profile.versions(family)
        if not versions:
            continue
        lines += [title, "~" * len(title), ""]
        for version in versions:
            lines.append(
                f"* **{version.rule_id}**, in force {version.effective}; "
                f"source: {version.citation}."
            )
            lines.append("")
            lines += [f"  * {line.strip()}" for line in _parameters(family, version)]
            lines.append("")
    return lines


class ShippedProfiles(SphinxDirective):
    """``.. earlyhelp-profiles::`` renders every shipped profile."""

    def run(self) -> list[nodes.Node]:
        """Parse the generated reStructuredText into the document."""
        lines: list[str] = []
        for name in profile_names():
            lines += profile_rst(load_profile(name))
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(
            StringList(lines, source="earlyhelp profiles"), 0, container, match_titles=True
        )
        return list(container.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("earlyhelp-profiles", ShippedProfiles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
