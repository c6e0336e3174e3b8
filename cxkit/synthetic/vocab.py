"""Names, labels and comment templates of the synthetic client, in English and Spanish."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: First and last day of the two survey years, and the "today" of the data set.
WINDOW_START = pd.Timestamp("2024-11-01")
WINDOW_END = pd.Timestamp("2026-10-31 23:59:59")
HISTORY_START = pd.Timestamp("2022-11-01")

SEGMENTS = {
    "en": ("Consumer", "Small business", "Enterprise"),
    "es": ("Particulares", "Pymes", "Empresas"),
}
#: Share of customers in each segment, and share of survey responses (Enterprise is oversampled).
POPULATION_SHARE = (0.55, 0.30, 0.15)
RESPONSE_SHARE = (0.40, 0.30, 0.30)

CHANNELS = {
    "en": ("Email", "Web", "App", "Phone", "Store"),
    "es": ("Correo", "Web", "App", "Teléfono", "Tienda"),
}
CHANNEL_SHARE = (0.35, 0.25, 0.20, 0.12, 0.08)

TICKET_CHANNELS = {"en": ("Email", "Phone", "Chat"), "es": ("Correo", "Teléfono", "Chat")}
TICKET_CHANNEL_SHARE = (0.45, 0.25, 0.30)

AGENTS = (
    "Ana",
    "Bruno",
    "Carmen",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Irene",
    "Jon",
    "Kiara",
    "Luis",
)


@dataclass(frozen=True)
class Touchpoint:
    """A touchpoint of the synthetic journey and its planted truths."""

    key: str
    en: str
    es: str
    stage: str
    reach: float  # share of respondents who rate it
    mean: float  # mean rating (1-5) outside the planted incident
    weight: float  # planted driver weight: NPS-scale points per rating point


TOUCHPOINTS = (
    Touchpoint("ads", "Advertising", "Publicidad", "attract", 0.30, 3.7, 0.00),
    Touchpoint("website", "Website", "Sitio web", "attract", 0.60, 4.0, 0.05),
    Touchpoint("pricing", "Pricing & quote", "Precios y presupuesto", "accept", 0.45, 3.4, 0.20),
    Touchpoint("signup", "Sign-up", "Alta", "accept", 0.50, 4.2, 0.00),
    Touchpoint("onboarding", "Onboarding", "Bienvenida", "adopt", 0.55, 3.6, 0.90),
    Touchpoint("delivery", "Delivery", "Entrega", "adopt", 0.65, 4.1, 0.60),
    Touchpoint("app", "Mobile app", "App móvil", "adopt", 0.50, 3.9, 0.30),
    Touchpoint("referral", "Referral program", "Programa de referidos", "amplify", 0.15, 3.9, 0.00),
    Touchpoint("reviews", "Reviews", "Reseñas", "amplify", 0.20, 4.0, 0.00),
    Touchpoint("billing", "Billing", "Facturación", "advance", 0.60, 3.8, 0.45),
    Touchpoint("support", "Support", "Soporte", "advance", 0.40, 3.3, 0.80),
    Touchpoint("renewal", "Renewal", "Renovación", "advance", 0.25, 3.7, 0.00),
)

#: The planted support incident: month -> (drop in mean support rating, support reach).
INCIDENT = {
    "2025-11": (1.0, 0.65),
    "2025-12": (1.0, 0.65),
    "2026-01": (0.7, 0.60),
    "2026-02": (0.3, 0.50),
}
#: Email first-response times are this many times slower during the incident months.
INCIDENT_EMAIL_SLOWDOWN = 3.0

COMMENTS = {
    "en": {
        "detractor": (
            "Support took days to answer my ticket.",
            "The onboarding was confusing and nobody called me back.",
            "My delivery arrived late and damaged.",
            "I was billed twice this month.",
            "Too expensive for what you get.",
            "The app keeps logging me out.",
        ),
        "passive": (
            "It works, but support could be faster.",
            "Fine overall. Setup took longer than promised.",
            "Delivery was OK, nothing special.",
            "Prices went up again.",
        ),
        "promoter": (
            "Great onboarding, the team walked me through everything.",
            "Fast delivery and friendly support.",
            "The app is easy to use.",
            "Clear invoices and fair prices.",
            "I have recommended you to two friends already!",
        ),
    },
    "es": {
        "detractor": (
            "El soporte tardó días en responder mi incidencia.",
            "La bienvenida fue confusa y nadie me devolvió la llamada.",
            "El pedido llegó tarde y dañado.",
            "Me cobraron dos veces este mes.",
            "Demasiado caro para lo que ofrece.",
            "La app me cierra la sesión constantemente.",
        ),
        "passive": (
            "Funciona, pero el soporte podría ser más rápido.",
            "Bien en general. La puesta en marcha tardó más de lo prometido.",
            "La entrega fue correcta, nada especial.",
            "Han vuelto a subir los precios.",
        ),
        "promoter": (
            "Una bienvenida excelente, me explicaron todo paso a paso.",
            "Entrega rápida y un soporte muy amable.",
            "La app es muy fácil de usar.",
            "Facturas claras y precios justos.",
            "¡Ya os he recomendado a dos amigos!",
        ),
    },
}

#: Planted comments that test escaping and redaction in reports (response number -> text).
HOSTILE_COMMENTS = (
    'Nice try <script>alert("cx")</script> & <b>bold</b> "quotes"',
    "Please call me back: ana.garcia@example.com or +34 612 345 678.",
    "Escríbanme a soporte.cliente@example.org, teléfono (555) 010-2299 — gracias.",
)
