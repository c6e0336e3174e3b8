"""Helpdesk ticket exports: Zendesk, Freshdesk, Intercom and HubSpot, read without a mapping.

A tickets file is recognised as a helpdesk's export by its documented column names (English and,
where noted, Spanish). The recognised format then supplies:

* which of its columns feed the canonical ticket columns (``Id`` -> ``ticket_id``, ``Via`` ->
  ``channel``, ...), after any mapping entry and before cxkit's generic column names;
* how its values read: channel names ("Web form", "Voice", "Portal", ...) become the canonical
  channels of :data:`CHANNELS`; a reply count becomes ``contacts`` (0 replies, a ticket solved
  without a reply, counts as one contact); a reopen count becomes ``reopened`` (> 0); helpdesk
  satisfaction ("Good"/"Bad", "Offered"/"Unoffered", 1-5) becomes the ticket's ``csat``.

Independently of the vendor, a column whose name says it holds a first-reply or resolution time
*and its unit* ("First reply time (min)", "Resolution time (in hrs)", "Tiempo de primera respuesta
(min)") is a :class:`Duration`: calendar durations become ``first_response_at`` /
``resolved_at`` counted from ``opened_at`` (unless the export has those timestamps), and
business-hours durations are kept, in hours, as ``first_response_business_h`` /
``resolution_business_h``.

Sources of the column names, and how sure each is, are in ``tests/io/test_helpdesk.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cxkit.io.labels import normalize_label
from cxkit.io.schemas import normalize_name

__all__ = [
    "CHANNELS",
    "FORMATS",
    "NO_RATING",
    "SATISFACTION_LABELS",
    "UNITS",
    "Duration",
    "HelpdeskFormat",
    "detect_format",
    "find_durations",
    "parse_duration_name",
    "unit_of_name",
]

#: Duration units and their length in hours.
UNITS: dict[str, float] = {
    "milliseconds": 1 / 3_600_000,
    "seconds": 1 / 3600,
    "minutes": 1 / 60,
    "hours": 1.0,
    "days": 24.0,
}
_UNIT_WORDS = {
    "ms": "milliseconds",
    "milliseconds": "milliseconds",
    "milisegundos": "milliseconds",
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "seconds": "seconds",
    "segundos": "seconds",
    "min": "minutes",
    "mins": "minutes",
    "minutes": "minutes",
    "minutos": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hours": "hours",
    "horas": "hours",
    "d": "days",
    "days": "days",
    "dias": "days",
}
_BUSINESS = re.compile(
    r"(?:within_)?business_hours?|business|horario_laboral|horas_(?:laborables|habiles)|"
    r"(?:^|_)bh(?:_|$)"
)
_TARGETS = (
    ("resolution", ("first_resolution",), ("resolution_time", "time_to_resolution",
                                           "time_to_close", "tiempo_de_resolucion",
                                           "tiempo_resolucion", "tiempo_hasta_el_cierre")),
    ("first_response", (), ("first_reply_time", "first_response_time", "time_to_first_reply",
                            "time_to_first_response", "tiempo_de_primera_respuesta",
                            "tiempo_primera_respuesta", "tiempo_hasta_la_primera_respuesta")),
)  # fmt: skip


@dataclass(frozen=True)
class Duration:
    """A column holding a first-reply or resolution *time* rather than a timestamp.

    Attributes
    ----------
    client : str
        The client column.
    target : {"first_response", "resolution"}
        What it measures, from ``opened_at``.
    unit : str
        One of :data:`UNITS`.
    business_hours : bool
        Counted in business hours only (a helpdesk's schedule), not calendar time.
    """

    client: str
    target: str
    unit: str
    business_hours: bool = False

    @property
    def output(self) -> str:
        """The canonical column it becomes."""
        if self.business_hours:
            return f"{self.target}_business_h"
        return "first_response_at" if self.target == "first_response" else "resolved_at"

    def describe(self) -> str:
        """One readable phrase for the read's summary."""
        clock = "business hours" if self.business_hours else "calendar time"
        how = "kept as hours" if self.business_hours else "counted from opened_at"
        return f"{self.client!r} ({self.unit}, {clock}) -> {self.output}, {how}"


def parse_duration_name(name: str) -> tuple[str, str, bool] | None:
    """Read (target, unit, business_hours) from a column name, or None if it says no unit.

    >>> parse_duration_name("First reply time in minutes within business hours")
    ('first_response', 'minutes', True)
    >>> parse_duration_name("Tiempo de resolución completa (h)")
    ('resolution', 'hours', False)
    """
    norm = normalize_name(name)
    target = next(
        (t for t, no, yes in _TARGETS if any(w in norm for w in yes)),
        None,
    )
    if target is None or any(w in norm for t, no, _ in _TARGETS if t == target for w in no):
        return None
    unit, business = unit_of_name(name)
    return None if unit is None else (target, unit, business)


def unit_of_name(name: str) -> tuple[str | None, bool]:
    """Return the unit a column name states (or None) and whether it says business hours.

    >>> unit_of_name("Reply (min)")
    ('minutes', False)
    """
    norm = normalize_name(name)
    phrase = _BUSINESS.search(norm)
    words = _BUSINESS.sub("_", norm).split("_")
    unit = next((_UNIT_WORDS[w] for w in words if w in _UNIT_WORDS), None)
    if unit is None and phrase and re.search("hour|horas", phrase.group(0)):
        unit = "hours"  # "(horas laborables)", "(business hours)": the phrase is the unit
    return unit, phrase is not None


def find_durations(
    columns: list[str], chosen: dict[str, str], given: dict[str, Duration]
) -> dict[str, Duration]:
    """Durations of a file: the mapping's (``given``), then those its column names declare.

    A calendar duration is used only when the file has no column already chosen for its
    timestamp (``chosen``: canonical -> client); the first column for each output wins.
    """
    found: dict[str, Duration] = {}
    used = set(chosen.values())
    for duration in given.values():
        found.setdefault(duration.output, duration)
        used.add(duration.client)
    for client in columns:
        parsed = None if client in used else parse_duration_name(client)
        if parsed is None:
            continue
        duration = Duration(client, *parsed)
        if duration.output not in chosen and duration.output not in found:
            found[duration.output] = duration
    return found


@dataclass(frozen=True)
class HelpdeskFormat:
    """One helpdesk's ticket export: how to recognise it and what its columns mean.

    Attributes
    ----------
    name : str
        Shown in the read's summary ("Zendesk Support export").
    signatures : tuple of tuples
        Normalized column names; the file is this export when all names of one tuple are present.
    columns : tuple of (client, canonical, transform)
        Normalized client name -> canonical column, in order of preference; ``transform`` is
        ``"replies"`` (a reply count read as contacts), ``"reopens"`` (a count read as a flag)
        or ``""`` (read as the canonical column's kind).
    """

    name: str
    signatures: tuple[tuple[str, ...], ...]
    columns: tuple[tuple[str, str, str], ...] = field(default=())

    def matches(self, names: set[str]) -> bool:
        """Whether a file with these normalized column names is this export."""
        return any(set(signature) <= names for signature in self.signatures)

    def plan(self, columns: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """Client column -> canonical, and canonical -> transform, for the columns present."""
        by_name = {normalize_name(c): c for c in reversed(columns)}
        chosen: dict[str, str] = {}
        transforms: dict[str, str] = {}
        for norm, canonical, transform in self.columns:
            client = by_name.get(norm)
            if client is None or canonical in chosen.values() or client in chosen:
                continue
            chosen[client] = canonical
            if transform:
                transforms[canonical] = transform
        return chosen, transforms


def _cols(*entries: str) -> tuple[tuple[str, str, str], ...]:
    """Entries written as "client > canonical" or "client > canonical > transform"."""
    out = []
    for entry in entries:
        parts = [p.strip() for p in entry.split(">")]
        out.append((normalize_name(parts[0]), parts[1], parts[2] if len(parts) > 2 else ""))
    return tuple(out)


ZENDESK_SUPPORT = HelpdeskFormat(
    "Zendesk Support export",
    signatures=(("via", "reopens", "replies"), ("via", "created_at", "solved_at")),
    columns=_cols(
        "Id > ticket_id",
        "Requester id > customer_id",
        "Requester email > customer_id",
        "Assignee > agent",
        "Via > channel",
        "Created at > opened_at",
        "Solved at > resolved_at",
        "Replies > contacts > replies",
        "Reopens > reopened > reopens",
        "Satisfaction Score > csat",
    ),
)
ZENDESK_EXPLORE = HelpdeskFormat(
    "Zendesk Explore report",
    signatures=(
        ("ticket_id", "ticket_created_timestamp"),
        ("ticket_id", "ticket_created_date"),
        ("id_del_ticket", "ticket_creado_marca_de_tiempo"),
        ("id_del_ticket", "ticket_creado_fecha"),
    ),
    columns=_cols(
        "Ticket ID > ticket_id",
        "ID del ticket > ticket_id",
        "Requester ID > customer_id",
        "ID del solicitante > customer_id",
        "Requester email > customer_id",
        "Correo electrónico del solicitante > customer_id",
        "Assignee name > agent",
        "Nombre del agente asignado > agent",
        "Ticket channel > channel",
        "Canal del ticket > channel",
        "Via > channel",
        "Vía > channel",
        "Ticket created - Timestamp > opened_at",
        "Ticket created - Date > opened_at",
        "Ticket creado - Marca de tiempo > opened_at",
        "Ticket creado - Fecha > opened_at",
        "Ticket solved - Timestamp > resolved_at",
        "Ticket resuelto - Marca de tiempo > resolved_at",
        "Public replies > contacts > replies",
        "Agent replies > contacts > replies",
        "Respuestas públicas > contacts > replies",
        "Reopens > reopened > reopens",
        "Reaperturas > reopened > reopens",
        "Ticket satisfaction rating > csat",
        "Calificación de satisfacción del ticket > csat",
    ),
)
FRESHDESK = HelpdeskFormat(
    "Freshdesk ticket export",
    signatures=(
        ("ticket_id", "created_time", "source"),
        ("id_del_ticket", "hora_de_creacion", "fuente"),
    ),
    columns=_cols(
        "Ticket ID > ticket_id",
        "ID del ticket > ticket_id",
        "Contact ID > customer_id",
        "ID de contacto > customer_id",
        "Email > customer_id",
        "Correo electrónico > customer_id",
        "Agent > agent",
        "Agente > agent",
        "Source > channel",
        "Fuente > channel",
        "Created time > opened_at",
        "Hora de creación > opened_at",
        "Resolved time > resolved_at",
        "Hora de resolución > resolved_at",
        "Agent interactions > contacts > replies",
        "Interacciones del agente > contacts > replies",
    ),
)
INTERCOM = HelpdeskFormat(
    "Intercom conversations export",
    signatures=(("conversation_id", "conversation_started_at"),),
    columns=_cols(
        "Conversation ID > ticket_id",
        "User ID > customer_id",
        "User email > customer_id",
        "Teammate assigned > agent",
        "Channel > channel",
        "Conversation started at > opened_at",
        "Conversation first replied at > first_response_at",
        "Conversation last closed at > resolved_at",
        "Conversation rating > csat",
        "Reopens > reopened > reopens",
    ),
)
HUBSPOT = HelpdeskFormat(
    "HubSpot tickets export",
    signatures=(
        ("ticket_id", "create_date"),
        ("ticket_name", "pipeline"),
        ("id_del_ticket", "fecha_de_creacion"),
    ),
    columns=_cols(
        "Ticket ID > ticket_id",
        "ID del ticket > ticket_id",
        "Ticket owner > agent",
        "Propietario del ticket > agent",
        "Source > channel",
        "Origen > channel",
        "Create date > opened_at",
        "Fecha de creación > opened_at",
        "First agent email reply date > first_response_at",
        "Fecha de primera respuesta del agente por correo > first_response_at",
        "Close date > resolved_at",
        "Fecha de cierre > resolved_at",
    ),
)

#: Known exports, in the order they are tried.
FORMATS: tuple[HelpdeskFormat, ...] = (
    ZENDESK_SUPPORT,
    ZENDESK_EXPLORE,
    FRESHDESK,
    INTERCOM,
    HUBSPOT,
)


def detect_format(columns: list[str]) -> HelpdeskFormat | None:
    """Return the helpdesk export whose documented columns the file has, or None."""
    names = {normalize_name(c) for c in columns}
    return next((f for f in FORMATS if f.matches(names)), None)


def _vocabulary(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalize_label(w): canonical for canonical, words in groups.items() for w in words}


#: Helpdesk channel names (normalized) -> canonical channel. A mapping's ``values: channel:``
#: entries are applied on top (they win).
CHANNELS: dict[str, str] = _vocabulary(
    {
        "Email": ("email", "e-mail", "mail", "outbound email", "correo", "correo electrónico"),
        "Web": ("web form", "web", "web_form", "portal", "feedback widget", "form", "forum",
                "formulario", "formulario web", "help center", "centro de ayuda"),
        "Chat": ("chat", "native messaging", "messaging", "messenger", "conversation", "bot",
                 "web widget", "mensajería"),
        "Phone": ("voice", "phone", "phone call", "phone call (inbound)", "phone_call",
                  "phone switch", "call", "teléfono", "telefono", "voz", "llamada"),
        "API": ("api", "web service", "web_service", "web service (api)"),
        "Mobile": ("mobile", "mobile sdk", "mobihelp", "sdk", "app", "móvil"),
        "Social": ("twitter", "x corp", "facebook", "instagram", "whatsapp", "social",
                   "redes sociales", "sms", "line", "wechat", "telegram"),
    }
)  # fmt: skip

#: Helpdesk satisfaction labels -> CSAT on 1-5. Binary ratings take the scale's ends, so the
#: top-2-box share equals the helpdesk's own "good" share; their mean is not a 1-5 mean.
SATISFACTION_LABELS: dict[str, int] = {
    **{normalize_label(w): 5 for w in ("good", "good with comment", "bueno", "buena",
                                        "bueno con comentario", "satisfied", "awesome")},
    **{normalize_label(w): 1 for w in ("bad", "bad with comment", "malo", "mala",
                                        "malo con comentario", "not good", "unsatisfied")},
}  # fmt: skip

#: Satisfaction states that mean "no rating": the survey was (not) offered but not answered.
NO_RATING: frozenset[str] = frozenset(
    normalize_label(w)
    for w in ("offered", "unoffered", "not offered", "ofrecida", "no ofrecida", "sin ofrecer")
)
