"""Spanish export headers: each kind reads without a mapping, and no name means two columns.

The exports are written as Spanish Excel saves a CSV (semicolons, decimal commas), with the
headers clients' systems commonly use ("ID de respuesta", "Fecha de alta", "Importe", ...).
"""

import pytest

import cxkit as cx
from cxkit.io.schemas import SCHEMAS, synonym_key


def accounted(res):
    assert res.rows_accepted + res.rows_quarantined == res.rows_read


def test_responses_with_spanish_headers(write):
    text = (
        "ID de respuesta;ID de cliente;Fecha de respuesta;NPS;Canal;Comentario\n"
        "R1;C1;2026-01-05;9;Correo;Muy bien\n"
        "R2;C2;2026-01-06;3;Web;Lento\n"
        "R3;C3;;8;Web;\n"  # no date: quarantined
    )
    res = cx.read_responses(write("encuesta.csv", text))
    accounted(res)
    assert (res.rows_read, res.rows_accepted, res.rows_quarantined) == (3, 2, 1)
    assert res.details.columns == {
        "response_id": "ID de respuesta",
        "customer_id": "ID de cliente",
        "responded_at": "Fecha de respuesta",
        "nps": "NPS",
        "channel": "Canal",
        "comment": "Comentario",
    }
    assert res.details.columns_ignored == []
    assert res.details.reasons == {"missing_date": 1}
    assert res.data["nps"].tolist() == [9, 3]


def test_tickets_with_spanish_headers(write):
    text = (
        "ID del ticket;ID del cliente;Canal;Fecha de apertura;Primera respuesta;"
        "Fecha de resolución\n"
        "T1;C1;Correo;2026-01-05 09:00;2026-01-05 10:00;2026-01-05 12:00\n"
        "T2;C2;Teléfono;2026-01-06 09:00;;\n"  # still open: fine
        "T3;C3;Chat;2026-01-06 09:00;;2026-01-06 08:00\n"  # resolved before opening
    )
    res = cx.read_tickets(write("tickets.csv", text))
    accounted(res)
    assert (res.rows_read, res.rows_accepted, res.rows_quarantined) == (3, 2, 1)
    assert res.details.columns == {
        "ticket_id": "ID del ticket",
        "customer_id": "ID del cliente",
        "channel": "Canal",
        "opened_at": "Fecha de apertura",
        "first_response_at": "Primera respuesta",
        "resolved_at": "Fecha de resolución",
    }
    assert res.details.reasons == {"resolved_before_open": 1}
    assert res.details.source.get("helpdesk") is None  # generic names, not a helpdesk export


def test_tickets_closing_date_as_fecha_de_cierre(write):
    text = "Número de ticket;Fecha de apertura;Fecha de cierre\nT1;2026-01-05;2026-01-07\n"
    res = cx.read_tickets(write("casos.csv", text))
    accounted(res)
    assert res.rows_accepted == 1
    assert res.details.columns == {
        "ticket_id": "Número de ticket",
        "opened_at": "Fecha de apertura",
        "resolved_at": "Fecha de cierre",
    }


def test_customers_with_spanish_headers(write):
    text = (
        "ID de cliente;Segmento;Fecha de alta;Fecha de baja;Ingresos\n"
        "C1;Pyme;2025-03-01;;1.200,50\n"
        "C2;Grande;2025-04-01;2025-12-31;15.000\n"
        "C3;Pyme;;;300\n"  # no start date: quarantined
    )
    res = cx.read_customers(write("clientes.csv", text))
    accounted(res)
    assert (res.rows_read, res.rows_accepted, res.rows_quarantined) == (3, 2, 1)
    assert res.details.columns == {
        "customer_id": "ID de cliente",
        "segment": "Segmento",
        "start_date": "Fecha de alta",
        "end_date": "Fecha de baja",
        "revenue": "Ingresos",
    }
    assert res.details.reasons == {"missing_date": 1}
    # decimal comma and thousands dot, as Spanish Excel writes them
    assert res.data["revenue"].tolist() == [1200.5, 15000.0]


def test_orders_with_spanish_headers(write):
    text = (
        "ID del pedido;ID del cliente;Fecha del pedido;Importe\n"
        "P1;C1;2026-01-05;12,50\n"
        "P2;C1;2026-01-09;30\n"
        "P3;C2;2026-01-10;mucho\n"  # not a number: quarantined
    )
    res = cx.read_orders(write("pedidos.csv", text))
    accounted(res)
    assert (res.rows_read, res.rows_accepted, res.rows_quarantined) == (3, 2, 1)
    assert res.details.columns == {
        "customer_id": "ID del cliente",
        "order_date": "Fecha del pedido",
        "amount": "Importe",
    }
    assert res.details.reasons == {"invalid_number": 1}
    # the order's own id is not the customer's: it is left aside
    assert res.details.columns_ignored == ["ID del pedido"]
    assert res.data["amount"].tolist() == [12.5, 30.0]


@pytest.mark.parametrize(
    ("kind", "header", "canonical"),
    [
        ("responses", "ID de la respuesta", "response_id"),
        ("responses", "Fecha de la encuesta", "responded_at"),
        ("tickets", "Fecha de cierre", "resolved_at"),
        ("tickets", "Fecha de primera respuesta", "first_response_at"),
        ("tickets", "Agente", "agent"),
        ("tickets", "Reabierto", "reopened"),
        ("tickets", "Número de contactos", "contacts"),
        ("customers", "Fecha de la baja", "end_date"),
        ("customers", "Fecha de inicio", "start_date"),
        ("orders", "Fecha de compra", "order_date"),
        ("orders", "Monto", "amount"),
    ],
)
def test_spanish_header_variants_name_their_column(kind, header, canonical):
    key = synonym_key(header)
    matches = {c.name for c in SCHEMAS[kind].columns if key in map(synonym_key, c.synonyms)}
    assert matches == {canonical}


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_no_name_is_a_synonym_of_two_columns(kind):
    owner = {}
    for col in SCHEMAS[kind].columns:
        for synonym in col.synonyms:
            assert owner.setdefault(synonym_key(synonym), col.name) == col.name, synonym
