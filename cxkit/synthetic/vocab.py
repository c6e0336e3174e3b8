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

#: Sentences that mention a planted comment theme (:mod:`cxkit.synthetic.comments`), per language.
#: Each mentions its theme only, and each is matched by the sample taxonomy
#: (data/samples/themes.yml) except ``packaging``, the theme the taxonomy leaves out. Plurals
#: and inflections vary on purpose ("wrong invoices", "cobros dobles", "aplicaciones").
THEME_SENTENCES = {
    "billing": {
        "en": (
            "I was charged twice for the same order.",
            "Got charged twice again this month.",
            "There was a double charge on my card.",
            "They sent me the wrong invoice.",
            "Two wrong invoices in a row.",
            "I have been overcharged for months.",
            "They keep overcharging me.",
            "Billed twice for one order.",
        ),
        "es": (
            "Me hicieron un cobro doble en la tarjeta.",
            "Otra vez cobros dobles este mes.",
            "Me cobraron dos veces el mismo pedido.",
            "Me llegó una factura incorrecta.",
            "Las facturas incorrectas se repiten cada mes.",
            "Me cobraron de más en la última factura.",
            "Me han cobrado de más.",
        ),
    },
    "app": {
        "en": (
            "I mostly use the app.",
            "Checked everything in the app.",
            "The app got an update last week.",
            "We use the apps on two phones.",
            "Paid through the app this time.",
        ),
        "es": (
            "Uso sobre todo la aplicación.",
            "Lo miro todo en la app.",
            "La aplicación se actualizó la semana pasada.",
            "Tenemos las aplicaciones en dos móviles.",
            "Esta vez pagué desde la app.",
        ),
    },
    "delivery": {
        "en": (
            "The delivery came a day late.",
            "Deliveries are always on time.",
            "My order arrived late.",
            "Shipping took almost two weeks.",
            "They delivered on the promised day.",
        ),
        "es": (
            "La entrega llegó un día tarde.",
            "Las entregas siempre son puntuales.",
            "El pedido llegó tarde.",
            "El envío tardó casi dos semanas.",
            "Me entregaron el pedido el día prometido.",
        ),
    },
    "support": {
        "en": (
            "Support took days to answer my ticket.",
            "The support agent was very kind.",
            "Customer service answered within minutes.",
            "I had to call customer service three times.",
            "Support solved it on the first call.",
        ),
        "es": (
            "El equipo de soporte tardó días en responder.",
            "La atención al cliente fue muy amable.",
            "Llamé tres veces a atención al cliente.",
            "El servicio técnico lo resolvió a la primera.",
            "Los del equipo de soporte me ayudaron mucho.",
        ),
    },
    "price": {
        "en": (
            "Prices went up again.",
            "Too expensive for what you get.",
            "The price is fair.",
            "Pricing is clear and simple.",
            "A bit expensive, but worth it.",
        ),
        "es": (
            "Han vuelto a subir los precios.",
            "Demasiado caro para lo que ofrece.",
            "El precio es justo.",
            "Un poco caro, pero merece la pena.",
            "Los precios son claros.",
        ),
    },
    "packaging": {
        "en": (
            "The box arrived crushed and the packaging torn.",
            "Packaging torn, box crushed.",
            "The packaging was torn and the box was crushed.",
            "Crushed box, torn packaging, again.",
            "Both boxes arrived crushed, the packaging was torn.",
            "The packaging was a mess: the box was crushed and wet.",
        ),
        "es": (
            "La caja llegó aplastada y el embalaje roto.",
            "Embalaje roto, caja aplastada.",
            "El embalaje estaba roto y la caja aplastada.",
            "Caja aplastada, embalaje roto, otra vez.",
            "Las cajas llegaron aplastadas y el embalaje roto.",
            "El embalaje fatal: la caja aplastada y mojada.",
        ),
    },
}

#: Mentions that a negation cancels ("no", "nunca", "never", "not" at most two words before the
#: taxonomy's phrase): they must not count as mentions of their theme.
NEGATED_SENTENCES = {
    "en": (
        "I was never charged twice, to be fair.",
        "They have not overcharged me.",
        "Never a wrong invoice so far.",
        "I never needed support.",
        "Not expensive at all.",
    ),
    "es": (
        "No me cobraron de más, todo correcto.",
        "No hubo cobro doble esta vez.",
        "Nunca una factura incorrecta.",
        "Nunca necesité atención al cliente.",
        "No es caro.",
    ),
}

#: Sentences that mention no theme, by NPS group (responses without an NPS answer: passive).
FILLER_SENTENCES = {
    "en": {
        "detractor": (
            "Very disappointed.",
            "I am thinking of leaving.",
            "Not what I expected.",
            "A really frustrating experience.",
            "Worst company I have dealt with.",
            "Nobody seems to listen.",
            "I expected much more.",
            "Time to look elsewhere.",
        ),
        "passive": (
            "It works, nothing special.",
            "Fine overall.",
            "Could be better.",
            "Does the job.",
            "Average, to be honest.",
            "Some good things, some bad.",
            "OK for now.",
            "Room for improvement.",
        ),
        "promoter": (
            "Great service overall!",
            "I have recommended you to two friends already!",
            "Very happy, thank you.",
            "Everything works perfectly.",
            "Keep up the good work.",
            "Really impressed so far.",
            "Best decision this year.",
            "Love it.",
        ),
    },
    "es": {
        "detractor": (
            "Muy decepcionado.",
            "Estoy pensando en darme de baja.",
            "No es lo que esperaba.",
            "Una experiencia frustrante.",
            "La peor empresa con la que he tratado.",
            "A nadie parece importarle.",
            "Esperaba mucho más.",
            "Me voy a buscar otra compañía.",
        ),
        "passive": (
            "Funciona, nada especial.",
            "Bien en general.",
            "Podría ser mejor.",
            "Cumple.",
            "Normalito, la verdad.",
            "Cosas buenas y cosas malas.",
            "De momento, bien.",
            "Hay margen de mejora.",
        ),
        "promoter": (
            "¡Ya os he recomendado a dos amigos!",
            "Muy contento, gracias.",
            "Todo funciona perfectamente.",
            "Un servicio excelente.",
            "Seguid así.",
            "Estoy encantada.",
            "La mejor decisión del año.",
            "Me encanta.",
        ),
    },
}

#: Comments without words: emoji only, white space only, and empty.
EMOJI_COMMENTS = ("👍", "😡😡", "🙂", "⭐⭐⭐⭐⭐", "👎", "🤷")
BLANK_COMMENTS = (" ", "   ", "\n", " \t ")
#: Emoji that some worded comments end with, by NPS group.
TRAILING_EMOJI = {
    "detractor": ("😡", "👎", "😞"),
    "passive": ("🙂", "🤔"),
    "promoter": ("👍", "😍", "🙌"),
}
