"""The cattrs converter: strict structuring and exact round-trips of domain records.

* No silent coercion: ``1`` is not accepted for a string, ``"1"`` or ``True`` not for
  an int, ``"yes"`` not for a bool.
* Dates serialise as ISO ``YYYY-MM-DD`` strings and come back as the same
  :class:`pendulum.Date`.
* :func:`structure` reports every problem of a record at once, each with its field
  path and what was expected, and never echoes the offending value (it may be
  personal data).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn

from earlyhelp.errors import ConversionError, FieldError, RecordError, StructureError

__all__ = ["StructureError", "converter", "structure", "unstructure"]

T = TypeVar("T")

_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _type_name(value: object) -> str:
    return type(value).__name__


def _structure_str(value: object, cls: type) -> Any:
    if issubclass(cls, enum.Enum):  # a StrEnum dispatches here, being a str subclass
        return _structure_enum(value, cls)
    if not isinstance(value, str):
        msg = f"expected text, got {_type_name(value)}"
        raise ConversionError(msg)
    return value


def _structure_int(value: object, cls: type) -> Any:
    if issubclass(cls, enum.Enum):  # an IntEnum dispatches here, being an int subclass
        return _structure_enum(value, cls)
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a whole number, got {_type_name(value)}"
        raise ConversionError(msg)
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false, got {_type_name(value)}"
        raise ConversionError(msg)
    return value


def _structure_date(value: object, _: type) -> pendulum.Date:
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            msg = "expected an ISO date YYYY-MM-DD"
            raise ConversionError(msg)
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            msg = "expected an ISO date YYYY-MM-DD that exists in the calendar"
            raise ConversionError(msg) from None
        return pendulum.Date(parsed.year, parsed.month, parsed.day)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return pendulum.Date(value.year, value.month, value.day)
    msg = f"expected an ISO date YYYY-MM-DD, got {_type_name(value)}"
    raise ConversionError(msg)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    codes = ", ".join(str(m.value) for m in cls)
    wanted = int if issubclass(cls, int) else str
    if isinstance(value, bool) or not isinstance(value, wanted):
        msg = f"expected one of {codes}, got {_type_name(value)}"
        raise ConversionError(msg)
    try:
        return cls(value)
    except ValueError:
        msg = f"expected one of {codes}"
        raise ConversionError(msg) from None


def _every_problem(
    cls: type, data: Mapping[str, Any], conv: cattrs.Converter, exc: ClassValidationError
) -> RecordError:
    """Every problem of a record at once: types, field validators and cross-field rules.

    cattrs reports the fields it could not structure; attrs stops at the first
    validator that fails, and runs no cross-field rule after it. A person fixing
    a record wants them all, so each remaining field's validator is run on its
    own and, when every field is readable, the cross-field rules run too (with
    field validators switched off, as they have already been run).
    """
    structured, from_init = exc.group_exceptions()
    problems = [p for inner, note in structured for p in _problems(inner, note.name)]
    problems += [
        p for inner in from_init if not isinstance(inner, FieldError) for p in _problems(inner, "")
    ]
    unreadable = {path.split(".")[0].split("[")[0] for path, _ in problems}
    values: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name in unreadable or field.name not in data:
            continue
        try:
            value = conv.structure(data[field.name], field.type)
            if callable(field.converter):
                value = field.converter(value)
        except (TypeError, ValueError) as refused:
            problems.append((field.name, str(refused)))
            unreadable.add(field.name)
            continue
        values[field.name] = value
        try:
            if field.validator is not None:
                field.validator(None, field, value)
        except FieldError as refused:
            problems.append((refused.field, refused.message))
        except (TypeError, ValueError) as refused:
            problems.append((field.name, str(refused)))
    if not unreadable and not any(isinstance(inner, RecordError) for inner in from_init):
        try:
            with attrs.validators.disabled():
                cls(**values)
        except RecordError as broken:
            # A field its validator refused is reported once, not again by a cross-field rule.
            reported = {path for path, _ in problems}
            problems.extend(p for p in broken.problems if p[0] not in reported)
    order = {field.name: index for index, field in enumerate(attrs.fields(cls))}
    problems.sort(key=lambda p: order.get(p[0].split(".")[0].split("[")[0], len(order)))
    return RecordError(cls.__name__, _record_id(data, cls), problems)


def _attrs_hook_factory(conv: cattrs.Converter) -> Callable[[type], Callable[[Any, type], Any]]:
    """Structure hooks for attrs classes that refuse non-mappings and report all problems."""

    def factory(cls: type) -> Callable[[Any, type], Any]:
        attrs.resolve_types(cls)
        base: Callable[[Mapping[str, Any], Any], Any] = make_dict_structure_fn(cls, conv)

        def hook(data: Any, _: type) -> Any:
            if not isinstance(data, Mapping):
                msg = f"expected a mapping of field names to values, got {_type_name(data)}"
                raise ConversionError(msg)
            try:
                return base(data, cls)
            except ClassValidationError as exc:
                raise _every_problem(cls, data, conv, exc) from None

        return hook

    return factory


_SCALARS: Final = (str, int, bool, type(None))


def _is_scalar_union(kind: Any) -> bool:
    """Whether ``kind`` is a union of JSON scalars, e.g. ``str | int | bool | None``."""
    members = typing.get_args(kind)
    is_union = typing.get_origin(kind) in (typing.Union, types.UnionType)
    return is_union and all(member in _SCALARS for member in members)


def _structure_scalar(value: object, kind: Any) -> object:
    allowed = typing.get_args(kind)
    if isinstance(value, bool):
        ok = bool in allowed
    else:
        ok = any(isinstance(value, t) for t in allowed if t is not bool)
    if not ok:
        names = ", ".join("null" if t is type(None) else t.__name__ for t in allowed)
        msg = f"expected one of the kinds {names}, got {_type_name(value)}"
        raise ConversionError(msg)
    return value


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(enum.Enum, _structure_enum)
    conv.register_structure_hook(pendulum.Date, _structure_date)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook_factory(attrs.has, _attrs_hook_factory(conv))
    conv.register_structure_hook_func(_is_scalar_union, _structure_scalar)
    for kind in (enum.Enum, enum.StrEnum, enum.IntEnum):  # before str and int in the MRO
        conv.register_unstructure_hook(kind, lambda member: member.value)
    conv.register_unstructure_hook(pendulum.Date, lambda d: d.isoformat())
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    return conv


converter: Final = _make_converter()
"""The library's single converter, shared by every serialising call."""


def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Flatten a cattrs exception group into ``(path, message)`` pairs, values omitted."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[tuple[str, str]] = []
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            name = getattr(note, "name", None)
            index = getattr(note, "index", None)
            if name is not None:
                sub = f"{path}.{name}" if path else str(name)
            else:
                sub = f"{path}[{index}]"
            found.extend(_problems(inner, sub))
        for inner in without:
            found.extend(_problems(inner, path))
        return found
    if isinstance(exc, FieldError):
        return [(f"{path}.{exc.field}" if path else exc.field, exc.message)]
    if isinstance(exc, RecordError):
        return [(f"{path}.{field}" if path else field, msg) for field, msg in exc.problems]
    if isinstance(exc, KeyError):
        return [(path, "required field is missing")]
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return [(path or "<record>", f"unexpected fields {', '.join(sorted(exc.extra_fields))}")]
    if isinstance(exc, TypeError | ValueError):
        return [(path or "<record>", str(exc))]
    raise exc


def _record_id(data: object, cls: type) -> str:
    """The record's own id, if readable text; else ``"?"``.

    A record's own id is its first field when that is named ``*_id`` or ``name``.
    """
    if isinstance(data, Mapping) and attrs.has(cls):
        own = attrs.fields(cls)[0].name
        if not (own.endswith("_id") or own == "name"):
            return "?"
        value = data.get(own)
        if isinstance(value, str) and value.strip():
            return value
    return "?"


def structure(data: Any, cls: type[T]) -> T:
    """Build a record of type ``cls`` from plain data, strictly.

    Args:
        data: a mapping as produced by :func:`unstructure` or read from JSON.
        cls: the domain class.

    Returns:
        The record.

    Raises:
        StructureError: listing every problem found, each with its field path.
            Paths index lists from 0, as Python does (``grades[0].grade``);
            errors about profile files count from 1, as a person reads a file.

    Example:
        >>> from earlyhelp.model._casework import EarlyHelpCase
        >>> structure(
        ...     {"episode_id": "C1", "person_id": 7, "team_id": "T1",
        ...      "locality_id": "L1", "opened": "31/03/2015", "level_of_need": "9"},
        ...     EarlyHelpCase,
        ... )
        Traceback (most recent call last):
        ...
        earlyhelp.errors.StructureError: EarlyHelpCase C1: person_id: expected text, got int; opened: expected an ISO date YYYY-MM-DD; level_of_need: expected one of 1, 2, 3, 4, got str
    """
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError, RecordError) as exc:
        raise StructureError(cls.__name__, _record_id(data, cls), _problems(exc, "")) from None
    except TypeError as exc:  # not a mapping at all
        raise StructureError(cls.__name__, "?", [("<record>", str(exc))]) from None


def unstructure(record: object) -> Any:
    """Turn a record into plain JSON-ready data (dates as ISO strings).

    Example:
        >>> import datetime as dt
        >>> from earlyhelp.model._statutory import YouthOffendingEpisode
        >>> unstructure(YouthOffendingEpisode(episode_id="Y1", person_id="P1",
        ...                                   started=dt.date(2014, 4, 1)))
        {'episode_id': 'Y1', 'person_id': 'P1', 'started': '2014-04-01', 'ended': None, 'locality_id': None}
    """
    return converter.unstructure(record)
