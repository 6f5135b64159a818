"""Resolve references to objects by the public path they are documented under.

Objects are defined in private modules (``earlyhelp.rules._decision.Decision``)
and documented where users import them (``earlyhelp.rules.Decision``). Type hints
name the defining module, and docstrings often use a bare name (``Profile``).
This resolver finds the one public path that exports the same object, so every
such reference links to its documentation; a name it cannot place stays
unresolved, and the nitpicky build fails on it.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

import earlyhelp

_SUBPACKAGES = tuple(
    info.name
    for info in pkgutil.iter_modules(earlyhelp.__path__)
    if not info.name.startswith("_") and info.name != "data"  # data: package data, not code
)


def _public_names() -> dict[str, list[str]]:
    """Bare name -> public dotted paths exporting it."""
    found: dict[str, list[str]] = {}
    for sub in _SUBPACKAGES:
        module = importlib.import_module(f"earlyhelp.{sub}")
        for name in getattr(module, "__all__", ()):
            found.setdefault(name, []).append(f"earlyhelp.{sub}.{name}")
    for name in earlyhelp.__all__:
        found.setdefault(name, [])
    return found


_NAMES = _public_names()


def _candidates(target: str) -> list[str]:
    parts = target.split(".")
    # earlyhelp.x._private.Name(.member) -> Name(.member); earlyhelp.Name -> Name
    if parts[0] == "earlyhelp":
        private = [i for i, part in enumerate(parts) if part.startswith("_")]
        parts = parts[private[-1] + 1 :] if private else parts[1:]
        if parts and parts[0] in _SUBPACKAGES:
            parts = parts[1:]
    if not parts:
        return []
    head, rest = parts[0], parts[1:]
    return [".".join([path, *rest]) for path in _NAMES.get(head, [])]


def resolve(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve an unresolved ``py`` reference through the public path of its object."""
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    for candidate in _candidates(node["reftarget"]):
        found = domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
        )
        if found is not None:
            return found
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the resolver."""
    app.connect("missing-reference", resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
