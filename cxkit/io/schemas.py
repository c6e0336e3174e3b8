"""Canonical schemas: the column names, kinds and rules of cxkit's four tables.

The canonical column names are public API: notebooks, metrics and reports rely on them.

========== ==================================================================================
kind       columns
========== ==================================================================================
responses  response_id, customer_id, responded_at, nps (0-10), csat (1..scale), ces (1..scale),
           segment, channel, touchpoint, stage, comment, weight, and any ``rating_*`` columns
tickets    ticket_id, customer_id, channel, agent, opened_at, first_response_at, resolved_at,
           contacts, reopened, csat (1..5, the ticket's satisfaction rating, empty when unrated),
           first_response_business_h, resolution_business_h (business-hours durations in hours)
customers  customer_id, segment, start_date, end_date (empty while active), revenue
orders     customer_id, order_date, amount
========== ==================================================================================

``stage`` is one of the five journey stages in :data:`JOURNEY_STAGES`.

Tickets: times are naive wall-clock times in one client time zone (``data.attrs["timezone"]``,
see :mod:`cxkit.io.timezones`). ``first_response_business_h`` and ``resolution_business_h`` are
durations counted **in business hours** by the helpdesk (its schedule, not the calendar); they
come only from exports that give such durations (see :mod:`cxkit.io.helpdesk`), and
``data.attrs["business_hours"]`` lists which of them the read produced. They must never be mixed
with, or labelled as, the calendar hours computed from ``first_response_at``/``resolved_at``.

``customer_id`` values that are e-mail addresses are replaced by keyed pseudonyms on reading
(:func:`cxkit.io.pseudonyms.pseudonymize`), so no report or metrics file holds them in clear.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

__all__ = [
    "JOURNEY_STAGES",
    "RATING_PREFIX",
    "SCHEMAS",
    "Column",
    "Schema",
    "normalize_name",
    "synonym_key",
]

#: The five journey stages ("5 A"), in journey order.
JOURNEY_STAGES: tuple[str, ...] = ("attract", "accept", "adopt", "amplify", "advance")

#: Canonical rating columns (touchpoint or attribute ratings for driver analysis) start with this.
RATING_PREFIX = "rating_"

#: Column kinds and the dtype each becomes in the canonical frame.
KINDS = {
    "id": "str",
    "datetime": "datetime64",
    "score": "Int8",
    "category": "category",
    "stage": "category (the five journey stages)",
    "text": "str",
    "number": "float64",
    "count": "Int32",
    "flag": "boolean",
}


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Parameters
    ----------
    name : str
        Canonical name.
    kind : str
        One of the keys of ``KINDS``: how raw values are coerced and which dtype results.
    required : bool
        A file without this column cannot be read.
    synonyms : tuple of str
        Client column names recognised without a mapping file, already normalized with
        :func:`normalize_name`, in order of preference. A client column matches a synonym when
        both have the same :func:`synonym_key` (Spanish articles and prepositions left out).
        Within one schema, no two columns share a synonym's key.
    """

    name: str
    kind: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schema:
    """The columns of one kind of table and the id that must be unique in it."""

    kind: str
    columns: tuple[Column, ...]
    unique_id: str | None
    #: At least one of these must be present (as a column in the file and a value in each row).
    any_of: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical column names in schema order."""
        return tuple(c.name for c in self.columns)


def normalize_name(name: object) -> str:
    """Normalize a column name or label for matching: no accents, lower case, ``_`` separators.

    >>> normalize_name("  Fecha de Respuesta ")
    'fecha_de_respuesta'
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


#: Spanish articles and prepositions that export headers add or leave out at will ("Fecha de
#: alta", "Fecha alta"; "ID del cliente", "ID de cliente"): synonyms match without them.
_FILLER_WORDS = frozenset({"de", "del", "el", "la", "los", "las"})


def synonym_key(name: object) -> str:
    """Normalize ``name`` as :func:`normalize_name`, then drop Spanish articles and prepositions.

    Column synonyms are compared by this key, so one synonym covers every way of linking the
    words.

    >>> synonym_key("ID del cliente"), synonym_key("Fecha de la baja")
    ('id_cliente', 'fecha_baja')
    """
    words = normalize_name(name).split("_")
    return "_".join(w for w in words if w not in _FILLER_WORDS)


_CUSTOMER_ID = Column(
    "customer_id",
    "id",
    synonyms=(
        "customer_id",
        "customerid",
        "client_id",
        "clientid",
        "account_id",
        "id_cliente",
        "cliente_id",
        "codigo_cliente",
        "numero_cliente",
        "id_cuenta",
        "externalreference",
        "external_reference",
        "externaldatareference",
        "referencia_externa",
    ),
)
_SEGMENT = Column(
    "segment", "category", synonyms=("segment", "customer_segment", "segmento", "segmento_cliente")
)
_CHANNEL = Column(
    "channel", "category", synonyms=("channel", "canal", "source_channel", "canal_origen")
)

RESPONSES = Schema(
    kind="responses",
    unique_id="response_id",
    any_of=("nps", "csat", "ces"),
    columns=(
        Column(
            "response_id",
            "id",
            required=True,
            synonyms=(
                "response_id",
                "responseid",
                "id_respuesta",
                "respuesta_id",
                "survey_id",
                "id_encuesta",
            ),
        ),
        _CUSTOMER_ID,
        Column(
            "responded_at",
            "datetime",
            required=True,
            synonyms=(
                "responded_at",
                "recordeddate",
                "recorded_date",
                "response_date",
                "survey_date",
                "submitted_at",
                "date",
                "fecha_respuesta",
                "fecha_encuesta",
                "fecha_registro",
                "fecha",
            ),
        ),
        Column(
            "nps",
            "score",
            synonyms=(
                "nps",
                "nps_score",
                "likelihood_to_recommend",
                "ltr",
                "recommend",
                "probabilidad_de_recomendar",
                "recomendacion",
                "puntuacion_nps",
            ),
        ),
        Column(
            "csat",
            "score",
            synonyms=("csat", "csat_score", "satisfaction", "satisfaccion", "puntuacion_csat"),
        ),
        Column(
            "ces",
            "score",
            synonyms=(
                "ces",
                "ces_score",
                "customer_effort",
                "effort",
                "esfuerzo",
                "esfuerzo_cliente",
                "puntuacion_ces",
            ),
        ),
        _SEGMENT,
        _CHANNEL,
        Column(
            "touchpoint",
            "category",
            synonyms=("touchpoint", "touch_point", "punto_de_contacto", "punto_contacto"),
        ),
        Column(
            "stage",
            "stage",
            synonyms=("stage", "journey_stage", "etapa", "fase", "etapa_recorrido"),
        ),
        Column(
            "comment",
            "text",
            synonyms=(
                "comment",
                "comments",
                "verbatim",
                "feedback",
                "open_text",
                "comentario",
                "comentarios",
                "texto_libre",
                "observaciones",
            ),
        ),
        Column("weight", "number", synonyms=("weight", "survey_weight", "peso", "ponderacion")),
        # An experiment the respondent was part of, and the group: what a hypothesis reads.
        Column("experiment", "category", synonyms=("experiment", "experimento", "test_name")),
        Column("variant", "category", synonyms=("variant", "variante", "test_group", "arm")),
    ),
)

TICKETS = Schema(
    kind="tickets",
    unique_id="ticket_id",
    columns=(
        Column(
            "ticket_id",
            "id",
            required=True,
            synonyms=(
                "ticket_id",
                "ticketid",
                "ticket",
                "case_id",
                "id_ticket",
                "id_caso",
                "numero_ticket",
                "numero_caso",
                "id_incidencia",
                "numero_incidencia",
            ),
        ),
        _CUSTOMER_ID,
        _CHANNEL,
        Column(
            "agent",
            "category",
            synonyms=(
                "agent",
                "assignee",
                "owner",
                "agente",
                "asignado",
                "asignado_a",
                "propietario",
            ),
        ),
        Column(
            "opened_at",
            "datetime",
            required=True,
            synonyms=(
                "opened_at",
                "created_at",
                "created",
                "opened",
                "fecha_apertura",
                "fecha_creacion",
                "creado",
                "creado_el",
            ),
        ),
        Column(
            "first_response_at",
            "datetime",
            synonyms=(
                "first_response_at",
                "first_reply_at",
                "first_response",
                "primera_respuesta",
                "fecha_primera_respuesta",
            ),
        ),
        Column(
            "resolved_at",
            "datetime",
            synonyms=(
                "resolved_at",
                "solved_at",
                "closed_at",
                "resolved",
                "fecha_resolucion",
                "fecha_cierre",
                "resuelto_el",
                "cerrado_el",
            ),
        ),
        Column(
            "contacts",
            "count",
            synonyms=(
                "contacts",
                "contact_count",
                "interactions",
                "contactos",
                "numero_contactos",
                "interacciones",
            ),
        ),
        Column(
            "reopened",
            "flag",
            synonyms=("reopened", "was_reopened", "reabierto", "reabierta", "fue_reabierto"),
        ),
        Column(
            "csat",
            "score",
            synonyms=(
                "csat",
                "satisfaction_rating",
                "satisfaction_score",
                "satisfaccion",
                "calificacion_satisfaccion",
                "valoracion_satisfaccion",
                "puntuacion_satisfaccion",
            ),
        ),
        Column("first_response_business_h", "number", synonyms=("first_response_business_h",)),
        Column("resolution_business_h", "number", synonyms=("resolution_business_h",)),
    ),
)

CUSTOMERS = Schema(
    kind="customers",
    unique_id="customer_id",
    columns=(
        replace(_CUSTOMER_ID, required=True),
        _SEGMENT,
        Column(
            "start_date",
            "datetime",
            required=True,
            synonyms=(
                "start_date",
                "signup_date",
                "started_at",
                "fecha_alta",
                "alta",
                "fecha_inicio",
                "fecha_registro",
                "fecha_contratacion",
            ),
        ),
        Column(
            "end_date",
            "datetime",
            synonyms=(
                "end_date",
                "churn_date",
                "cancel_date",
                "ended_at",
                "fecha_baja",
                "baja",
                "fecha_fin",
                "fecha_cancelacion",
            ),
        ),
        Column("revenue", "number", synonyms=("revenue", "ingresos", "ingreso", "facturacion")),
    ),
)

ORDERS = Schema(
    kind="orders",
    unique_id=None,
    columns=(
        replace(_CUSTOMER_ID, required=True),
        Column(
            "order_date",
            "datetime",
            required=True,
            synonyms=(
                "order_date",
                "ordered_at",
                "date",
                "fecha_pedido",
                "fecha_compra",
                "fecha_orden",
                "fecha",
            ),
        ),
        Column(
            "amount",
            "number",
            required=True,
            synonyms=(
                "amount",
                "total",
                "order_total",
                "value",
                "importe",
                "monto",
                "importe_total",
                "total_pedido",
                "valor",
            ),
        ),
    ),
)

#: The four canonical schemas by kind.
SCHEMAS: dict[str, Schema] = {s.kind: s for s in (RESPONSES, TICKETS, CUSTOMERS, ORDERS)}
