"""Every English and Spanish string cxkit shows, and locale number formatting, in one place.

Translators edit this file only: report pages (``STRINGS``), one-line readings of a change
(``_READING``), and chart labels (``_PLOT``). Numbers follow the language's convention:
``1,234.5`` in English, ``1.234,5`` in Spanish.
"""

from __future__ import annotations

import pandas as pd

from cxkit._checks import check_option

__all__ = [
    "STRINGS",
    "change",
    "counted",
    "date_text",
    "duration",
    "experiment_text",
    "hypothesis_text",
    "interval",
    "journey_text",
    "money",
    "number",
    "percent",
    "period_name",
    "plot_text",
    "reading",
    "rootcause_text",
    "section_text",
    "table_text",
    "text",
    "voc_text",
]

MINUS = "\u2212"  # the minus sign, not a hyphen
NBSP = "\u00a0"
#: Units of a difference, as written after the number.
UNITS = {
    "en": {"points": "points", "pp": "pp", "h": "h", "scale": "", "%": "%"},
    "es": {"points": "puntos", "pp": "p.\u00a0p.", "h": "h", "scale": "", "%": "%"},
}
_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
}  # fmt: skip

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Customer experience report",
        "period": "Period",
        "generated": "Generated on {date} by cxkit {version}",
        "headline": "Headline indicators",
        "indicator": "Indicator",
        "value": "Value",
        "change": "Change",
        "base": "Base",
        "sections": "Sections",
        "status": "Status",
        "ok": "completed",
        "failed": "failed",
        "failed_note": "This section could not be produced; the analyst has the details.",
        "back": "Back to the summary",
        "no_previous": "no earlier period to compare with yet",
        "vs": "vs {period}",
        "real": "a real change",
        "noise": "within noise",
        "untested": "not tested",
        "small": "small base: read with care",
        "nps": "Net Promoter Score (points)",
        "csat": "Satisfaction, CSAT (% satisfied)",
        "ces": "Ease, CES (mean on 1–7)",
        "first_response_median_h": "First response (median hours)",
        "resolution_median_h": "Resolution (median hours)",
        "fcr": "First-contact resolution (%)",
        "churn_rate": "Churn in the period (%)",
        "01_baseline_metrics": "Baseline metrics",
        "02_touchpoint_prioritization": "Touchpoint prioritization",
        "priorities": "Where to act first",
        "priorities_intro": "The touchpoints that matter most for NPS and fall furthest short, in "
        "{period} (from the touchpoint prioritization):",
        "priority_line": "{touchpoint}: {share} of what the touchpoint ratings explain of NPS; "
        "rated {rating} of 5 on average by {reach} of respondents. Raising it to {target} goes "
        "with {gain} NPS points ({low} to {high}).",
        "summary": "Summary",
        "kpi_no_value": "no value for {period}",
        "trend_none": "not enough periods yet for a trend",
        "base_responses": "Base: {n} responses",
        "base_tickets": "Base: {n} tickets",
        "base_customers": "Base: {n} customers",
        "trend_range": "{first} – {last} · range {low} to {high}",
        "summary_scope": "This summary covers {period}, compared with {previous}.",
        "summary_scope_first": (
            "This summary covers {period}; there are no values of an earlier period to "
            "compare with yet, so no change can be judged."
        ),
        "summary_none": (
            "No indicator changed beyond noise since {previous}: the differences on the cards "
            "below are within what sampling alone would produce."
        ),
        "summary_change": "{subject} {verb} {amount} to {value}: {verdict}.",
        "summary_up": "rose",
        "summary_down": "fell",
        "summary_better": "a real change for the better",
        "summary_worse": "a real change for the worse",
        "summary_more": "{n} more indicators also changed beyond noise; see their cards below.",
        "summary_level": "{subject} stands at {value} {ci}, on a base of {n}.",
        "summary_method": (
            "A change is called real only when it is larger than sampling noise would explain "
            "(at the {level} level, adjusted for the number of indicators tested from the same "
            "source: survey, tickets or customers){untested}."
        ),
        "summary_cards": (
            "Each card below gives the value with its confidence interval in brackets, its "
            "base and its trend."
        ),
        "summary_small_one": (
            "One indicator rests on a small base and is marked on its card: read it with care."
        ),
        "summary_small_many": (
            "{n} indicators rest on small bases and are marked on their cards: read them with care."
        ),
        "summary_empty": "No headline indicator could be computed for {period}.",
        "subject_nps": "NPS",
        "subject_csat": "Satisfaction (CSAT)",
        "subject_ces": "Ease (CES)",
        "subject_first_response_median_h": "The median first-response time",
        "subject_resolution_median_h": "The median resolution time",
        "subject_fcr": "First-contact resolution",
        "subject_churn_rate": "Churn",
        "summary_untested": "; median service times have no standard error and are not tested",
        "03_root_cause": "Root causes (5 whys)",
        "rootcause": "Root causes",
        "rootcause_intro": "Investigations of the 5-whys log, as of {date}:",
        "04_hypotheses": "Hypotheses",
        "hypotheses": "Hypotheses",
        "hypotheses_intro": "The bets of the hypothesis register, as of {date}:",
        "05_voice_of_customer": "Voice of the customer",
        "voc": "Voice of the customer",
        "voc_intro": "What customers wrote in {period}, and how their complaints were followed up:",
    },
    "es": {
        "title": "Informe de experiencia de cliente",
        "period": "Periodo",
        "generated": "Generado el {date} con cxkit {version}",
        "headline": "Indicadores principales",
        "indicator": "Indicador",
        "value": "Valor",
        "change": "Cambio",
        "base": "Base",
        "sections": "Secciones",
        "status": "Estado",
        "ok": "completada",
        "failed": "con error",
        "failed_note": "Esta sección no pudo generarse; el analista tiene el detalle.",
        "back": "Volver al resumen",
        "no_previous": "aún no hay un periodo anterior con el que comparar",
        "vs": "respecto a {period}",
        "real": "cambio real",
        "noise": "dentro del ruido",
        "untested": "sin prueba estadística",
        "small": "base pequeña: interpretar con cautela",
        "nps": "Net Promoter Score (puntos)",
        "csat": "Satisfacción, CSAT (% satisfechos)",
        "ces": "Facilidad, CES (media de 1 a 7)",
        "first_response_median_h": "Primera respuesta (horas, mediana)",
        "resolution_median_h": "Resolución (horas, mediana)",
        "fcr": "Resolución en el primer contacto (%)",
        "churn_rate": "Bajas en el periodo (%)",
        "01_baseline_metrics": "Métricas base",
        "02_touchpoint_prioritization": "Priorización de puntos de contacto",
        "priorities": "Dónde actuar primero",
        "priorities_intro": "Los puntos de contacto que más pesan en el NPS y más se quedan "
        "cortos en {period} (de la priorización de puntos de contacto):",
        "priority_line": "{touchpoint}: el {share} de lo que las valoraciones de los puntos de "
        "contacto explican del NPS; lo valoró el {reach} de quienes respondieron, con una media "
        "de {rating} sobre 5. Llevarlo a {target} va unido a {gain} puntos de NPS ({low} a "
        "{high}).",
        "summary": "Resumen",
        "kpi_no_value": "sin dato para {period}",
        "trend_none": "aún no hay periodos suficientes para una evolución",
        "base_responses": "Base: {n} respuestas",
        "base_tickets": "Base: {n} tickets",
        "base_customers": "Base: {n} clientes",
        "trend_range": "{first} – {last} · rango de {low} a {high}",
        "summary_scope": "Este resumen cubre {period}, comparado con {previous}.",
        "summary_scope_first": (
            "Este resumen cubre {period}; aún no hay valores de un periodo anterior con los que "
            "comparar, así que no se puede valorar ningún cambio."
        ),
        "summary_none": (
            "Ningún indicador cambió más allá del ruido desde {previous}: las diferencias de "
            "las tarjetas están dentro de lo que produciría el azar del muestreo."
        ),
        "summary_change": "{subject} {verb} {amount}, hasta {value}: {verdict}.",
        "summary_up": "subió",
        "summary_down": "bajó",
        "summary_better": "una mejora real",
        "summary_worse": "un empeoramiento real",
        "summary_more": (
            "Otros {n} indicadores también cambiaron más allá del ruido; véanse sus tarjetas."
        ),
        "summary_level": "{subject} se sitúa en {value} {ci}, sobre una base de {n}.",
        "summary_method": (
            "Un cambio se considera real solo cuando es mayor de lo que explicaría el ruido "
            "del muestreo (al nivel del {level}, ajustado por el número de indicadores "
            "comparados de una misma fuente: encuestas, tickets o clientes){untested}."
        ),
        "summary_cards": (
            "Cada tarjeta muestra el valor con su intervalo de confianza entre paréntesis, su "
            "base y su evolución."
        ),
        "summary_small_one": (
            "Un indicador tiene una base pequeña y está señalado en su tarjeta: interprételo "
            "con cautela."
        ),
        "summary_small_many": (
            "{n} indicadores tienen bases pequeñas y están señalados en sus tarjetas: "
            "interprételos con cautela."
        ),
        "summary_empty": "No se pudo calcular ningún indicador principal para {period}.",
        "subject_nps": "El NPS",
        "subject_csat": "La satisfacción (CSAT)",
        "subject_ces": "La facilidad (CES)",
        "subject_first_response_median_h": "La mediana del tiempo de primera respuesta",
        "subject_resolution_median_h": "La mediana del tiempo de resolución",
        "subject_fcr": "La resolución en el primer contacto",
        "subject_churn_rate": "La tasa de bajas",
        "summary_untested": (
            "; las medianas de tiempos de servicio no tienen error estándar y no se someten a "
            "prueba"
        ),
        "03_root_cause": "Causas raíz (5 porqués)",
        "rootcause": "Causas raíz",
        "rootcause_intro": "Investigaciones del registro de 5 porqués, a {date}:",
        "04_hypotheses": "Hipótesis",
        "hypotheses": "Hipótesis",
        "hypotheses_intro": "Las apuestas del registro de hipótesis, a {date}:",
        "05_voice_of_customer": "Voz del cliente",
        "voc": "Voz del cliente",
        "voc_intro": "Lo que escribieron los clientes en {period} y cómo se atendieron sus quejas:",
    },
}


_READING = {
    "en": {
        "up": "rose",
        "down": "fell",
        "flat": "did not change",
        "above": "above the rest",
        "below": "below the rest",
        "points": "points",
        "pp": "percentage points",
        "unit": "",
        "period": "{metric} {verb} {size} {unit} vs {ref}",
        "group": "{metric} for {group} is {size} {unit} {side}",
        "group_same": "{metric} for {group} is level with the rest",
        "flat_period": "{metric} did not change vs {ref}",
        "real": "a real change (adjusted p {p})",
        "real_group": "a real difference (adjusted p {p})",
        "noise": "within noise",
        "small": "too few responses to judge (n = {n})",
    },
    "es": {
        "up": "subió",
        "down": "bajó",
        "flat": "no cambió",
        "above": "por encima del resto",
        "below": "por debajo del resto",
        "points": "puntos",
        "pp": "puntos porcentuales",
        "unit": "",
        "period": "{metric} {verb} {size} {unit} respecto a {ref}",
        "group": "{metric} de {group} está {size} {unit} {side}",
        "group_same": "{metric} de {group} está igual que el resto",
        "flat_period": "{metric} no cambió respecto a {ref}",
        "real": "cambio real (p ajustado {p})",
        "real_group": "diferencia real (p ajustado {p})",
        "noise": "dentro del ruido",
        "small": "muestra insuficiente para concluir (n = {n})",
    },
}
_NAMES = {
    "en": {"nps": "NPS", "csat": "CSAT", "ces": "CES"},
    "es": {"nps": "El NPS", "csat": "El CSAT", "ces": "El CES"},
}


_PLOT = {
    "en": {
        "nps": "NPS (points)",
        "period": "Period",
        "change": "significant change",
        "detractors": "Detractors",
        "passives": "Passives",
        "promoters": "Promoters",
        "share": "Share of responses (%)",
        "retention": "Customers retained",
        "time": "Time since start",
        "hours": "hours",
        "first_response": "First response",
        "resolution": "Resolution",
        "small": "fewer than the minimum responses",
        "ecdf": "Share of tickets",
        "this_period": "report period",
        "unit_D": "days",
        "unit_W": "weeks",
        "unit_M": "months",
        "unit_Y": "years",
        "importance": "Importance (share of the outcome's variance it explains)",
        "share_importance": "Share of total importance",
        "performance": "Performance (mean rating, 1–5)",
        "top2_box": "Rated 4 or 5 (%)",
        "reach": "Reach (share of respondents who rated it)",
        "expected_gain": "Expected NPS gain (points)",
        "stage": "Journey stage",
        "no_data": "no data",
        "importance_short": "importance {value}",
        "reach_short": "reach {value}",
        "deeper": "deeper colour: more attention needed",
    },
    "es": {
        "nps": "NPS (puntos)",
        "period": "Periodo",
        "change": "cambio significativo",
        "detractors": "Detractores",
        "passives": "Pasivos",
        "promoters": "Promotores",
        "share": "Porcentaje de respuestas (%)",
        "retention": "Clientes retenidos",
        "time": "Tiempo desde el alta",
        "hours": "horas",
        "first_response": "Primera respuesta",
        "resolution": "Resolución",
        "small": "menos respuestas que el mínimo",
        "ecdf": "Porcentaje de tickets",
        "this_period": "periodo del informe",
        "unit_D": "días",
        "unit_W": "semanas",
        "unit_M": "meses",
        "unit_Y": "años",
        "importance": "Importancia (parte de la varianza del resultado que explica)",
        "share_importance": "Peso en la importancia total",
        "performance": "Desempeño (valoración media, 1–5)",
        "top2_box": "Valorado con 4 o 5 (%)",
        "reach": "Alcance (porcentaje de encuestados que lo valoraron)",
        "expected_gain": "Mejora esperada del NPS (puntos)",
        "stage": "Etapa del recorrido",
        "no_data": "sin datos",
        "importance_short": "importancia {value}",
        "reach_short": "alcance {value}",
        "deeper": "color más intenso: requiere más atención",
    },
}


#: Client-table headers and notes (cxkit.present), and the words for values cxkit itself makes.
_TABLE = {
    "en": {
        "segment": "Segment",
        "channel": "Channel",
        "touchpoint": "Touchpoint",
        "stage": "Journey stage",
        "importance_share": "Share of importance (95% interval)",
        "rating": "Mean rating, 1 to 5 (95% interval)",
        "top2": "Rated 4 or 5",
        "reach": "Rated by",
        "quadrant": "Action",
        "expected_gain": "Expected NPS gain, points (95% interval)",
        "touchpoints": "Touchpoints",
        "weakest": "Weakest touchpoint",
        "stage_share": "Share of importance",
        "stage_rating": "Mean rating, 1 to 5",
        "agent": "Agent",
        "team": "Team",
        "period": "Period",
        "cohort": "Cohort",
        "responses": "Responses",
        "nps": "NPS (95% interval)",
        "promoters": "Promoters",
        "detractors": "Detractors",
        "csat": "Satisfied, CSAT (95% interval)",
        "csat_mean": "Mean score (1–5)",
        "ces": "Ease, CES mean 1–7 (95% interval)",
        "pct_easy": "Found it easy",
        "compared_with": "Compared with",
        "the_rest": "the rest",
        "range": "{low} to {high}",
        "difference": "Difference (95% interval)",
        "p_adjusted": "Adjusted p-value",
        "reading": "Reading",
        "tickets": "Tickets",
        "open_tickets": "Still open",
        "first_response_median_h": "First response, median",
        "resolution_median_h": "Resolution, median",
        "first_response_business_median_h": "First response, median (business hours)",
        "resolution_business_median_h": "Resolution, median (business hours)",
        "fcr": "First-contact resolution (95% interval)",
        "customers_at_start": "Customers at start",
        "churn_rate": "Churn (95% interval)",
        "churned": "Left",
        "customers": "Customers",
        "retention_rate": "Retention per {freq}",
        "margin": "Margin per {freq}",
        "clv": "Lifetime value",
        "median_lifetime": "Median lifetime ({unit})",
        "events": "Left",
        "responded_at": "Date",
        "score": "NPS answer",
        "comment": "Comment",
        "small_note": "– fewer than {min_n} answers: too few to report.",
        "cut_note": "Showing {shown} of {total} rows; the analyst's notebook has the full table.",
        "not_reached": "not reached",
        "freq_M": "month",
        "freq_Q": "quarter",
        "freq_Y": "year",
        "skipped": "Left out of this report: {why}.",
        "no_kind": "no {kind} export was given for this client",
        "no_column": "the {kind} export has no '{column}' column",
        "unweighted": "the responses export has no '{column}' column, so figures are unweighted",
        "scan_window": "the {kind} export ({files}, {rows} rows) is read from {first} to {last}, "
        "{periods} periods ending with the report period",
        "scan_period": "the {kind} export ({files}, {rows} rows) is read for the report period, "
        "{last}, only",
        "scan_whole": "the {kind} export ({files}, {rows} rows) is read whole",
        "file_one": "{n} file",
        "file_many": "{n} files",
        "kind_responses": "survey",
        "kind_tickets": "ticket",
        "kind_customers": "customer",
        "kind_orders": "order",
    },
    "es": {
        "segment": "Segmento",
        "channel": "Canal",
        "touchpoint": "Punto de contacto",
        "stage": "Etapa del recorrido",
        "importance_share": "Peso en la importancia (intervalo del 95 %)",
        "rating": "Valoración media, de 1 a 5 (intervalo del 95 %)",
        "top2": "Valoran con 4 o 5",
        "reach": "Lo valoran",
        "quadrant": "Acción",
        "expected_gain": "Ganancia de NPS esperada, puntos (intervalo del 95 %)",
        "touchpoints": "Puntos de contacto",
        "weakest": "Punto de contacto más débil",
        "stage_share": "Peso en la importancia",
        "stage_rating": "Valoración media, de 1 a 5",
        "agent": "Agente",
        "team": "Equipo",
        "period": "Periodo",
        "cohort": "Cohorte",
        "responses": "Respuestas",
        "nps": "NPS (intervalo del 95 %)",
        "promoters": "Promotores",
        "detractors": "Detractores",
        "csat": "Satisfechos, CSAT (intervalo del 95 %)",
        "csat_mean": "Puntuación media (1–5)",
        "ces": "Facilidad, CES media 1–7 (intervalo del 95 %)",
        "pct_easy": "Les resultó fácil",
        "compared_with": "Comparado con",
        "the_rest": "el resto",
        "range": "{low} a {high}",
        "difference": "Diferencia (intervalo del 95 %)",
        "p_adjusted": "p-valor ajustado",
        "reading": "Lectura",
        "tickets": "Tickets",
        "open_tickets": "Aún abiertos",
        "first_response_median_h": "Primera respuesta, mediana",
        "resolution_median_h": "Resolución, mediana",
        "first_response_business_median_h": "Primera respuesta, mediana (horas laborables)",
        "resolution_business_median_h": "Resolución, mediana (horas laborables)",
        "fcr": "Resolución en el primer contacto (intervalo del 95 %)",
        "customers_at_start": "Clientes al inicio",
        "churn_rate": "Tasa de bajas (intervalo del 95 %)",
        "churned": "Bajas",
        "customers": "Clientes",
        "retention_rate": "Retención por {freq}",
        "margin": "Margen por {freq}",
        "clv": "Valor de vida del cliente",
        "median_lifetime": "Vida mediana ({unit})",
        "events": "Bajas",
        "responded_at": "Fecha",
        "score": "Respuesta NPS",
        "comment": "Comentario",
        "small_note": "– menos de {min_n} respuestas: demasiado pocas para informar.",
        "cut_note": "Se muestran {shown} de {total} filas; el cuaderno del analista tiene la "
        "tabla completa.",
        "not_reached": "no alcanzada",
        "freq_M": "mes",
        "freq_Q": "trimestre",
        "freq_Y": "año",
        "skipped": "Fuera de este informe: {why}.",
        "no_kind": "no se entregó una exportación de {kind} para este cliente",
        "no_column": "la exportación de {kind} no tiene la columna '{column}'",
        "unweighted": "la exportación de encuestas no tiene la columna '{column}', así que las "
        "cifras no están ponderadas",
        "scan_window": "la exportación de {kind} ({files}, {rows} filas) se lee de {first} a "
        "{last}, {periods} periodos que terminan con el del informe",
        "scan_period": "la exportación de {kind} ({files}, {rows} filas) se lee solo para el "
        "periodo del informe, {last}",
        "scan_whole": "la exportación de {kind} ({files}, {rows} filas) se lee entera",
        "file_one": "{n} archivo",
        "file_many": "{n} archivos",
        "kind_responses": "encuestas",
        "kind_tickets": "tickets",
        "kind_customers": "clientes",
        "kind_orders": "pedidos",
    },
}
#: Captions of the report sections (cxkit.sections): what each table or chart covers.
_SECTION = {
    "en": {
        "trend_caption": "NPS per period from {first} to {last}; the shaded column is the "
        "report period, and rings mark real changes from the period before.",
        "changes_caption": "{period}: against the period before, and each group against the "
        "rest (p-values adjusted for the number of comparisons).",
        "groups_caption": "NPS in {period}.",
        "csat_caption": "Satisfaction in {period}: answers of 4 or 5 on a 1–5 scale.",
        "ces_caption": "Ease in {period}: mean on a 1–7 scale (higher is easier); easy is 5 to 7.",
        "comments_caption": "The {n} latest comments of {period}, as written.",
        "service_caption": "Tickets opened in {period}; times from opening.",
        "times_caption": "How soon the tickets opened in {period} got a first response, by "
        "channel: the share answered within each time (log scale).",
        "churn_caption": "Churn in the last {n} periods, the report period first.",
        "retention_caption": "Share of customers still active by time since they joined, from "
        "the whole customer history up to the end of {date}.",
        "clv_caption": "Lifetime value from the retention and margin observed up to the report "
        "period, discounted at {rate:.0f}% per period.",
        "about": "This report covers {period}: {parts}.",
        "about_responses": "{n} survey responses",
        "about_tickets": "{n} tickets opened",
        "about_customers": "{n} customers active at its start",
        "and": "and",
        "weighted": "Survey figures are weighted with the export's '{column}' column.",
        "no_ratings": "the responses export has no touchpoint ratings (rating_* columns)",
        "drivers_about": "Touchpoints in {period}: {n} respondents answered the NPS question and "
        "rated at least one of {k} touchpoints. Together, their ratings explain {r2} of the "
        "differences in how likely customers are to recommend (R²).",
        "drivers_caption": "What to fix first in {period}, by priority: how much each touchpoint "
        "moves NPS, how it performs against the best-rated one ({target} of 5), and how many "
        "respondents it reaches.",
        "drivers_gain_note": "Expected gain: the change in NPS that goes with raising a "
        "touchpoint's mean rating to {target}, the others unchanged. It is an association in this "
        "period's answers, not a promise: customers who rate a touchpoint well may differ in "
        "other ways.",
        "matrix_caption": "Importance against performance in {period}. Whiskers are 95% "
        "intervals; the dashed lines cut at the average touchpoint.",
        "importance_caption": "Each touchpoint's share of what the ratings explain of NPS in "
        "{period} (Shapley decomposition), with 95% bootstrap intervals.",
        "stages_caption": "The journey in {period}, from attract to advance: mean rating, share "
        "of importance and reach per stage.",
    },
    "es": {
        "trend_caption": "NPS por periodo de {first} a {last}; la columna sombreada es el "
        "periodo del informe y los anillos marcan cambios reales respecto al periodo anterior.",
        "changes_caption": "{period}: frente al periodo anterior, y cada grupo frente al resto "
        "(p-valores ajustados por el número de comparaciones).",
        "groups_caption": "NPS en {period}.",
        "csat_caption": "Satisfacción en {period}: respuestas de 4 o 5 en una escala de 1 a 5.",
        "ces_caption": "Facilidad en {period}: media en una escala de 1 a 7 (más alto, más "
        "fácil); fácil es de 5 a 7.",
        "comments_caption": "Los {n} comentarios más recientes de {period}, tal como se "
        "escribieron.",
        "service_caption": "Tickets abiertos en {period}; tiempos desde la apertura.",
        "times_caption": "Rapidez de la primera respuesta a los tickets abiertos en {period}, "
        "por canal: el porcentaje respondido dentro de cada tiempo (escala logarítmica).",
        "churn_caption": "Bajas en los últimos {n} periodos, empezando por el del informe.",
        "retention_caption": "Porcentaje de clientes aún activos según el tiempo desde su alta, "
        "con todo el historial de clientes hasta el final de {date}.",
        "clv_caption": "Valor de vida a partir de la retención y el margen observados hasta el "
        "periodo del informe, descontado al {rate:.0f} % por periodo.",
        "about": "Este informe cubre {period}: {parts}.",
        "about_responses": "{n} respuestas de encuesta",
        "about_tickets": "{n} tickets abiertos",
        "about_customers": "{n} clientes activos al inicio",
        "and": "y",
        "weighted": "Las cifras de encuesta están ponderadas con la columna '{column}' de la "
        "exportación.",
        "no_ratings": "la exportación de encuestas no tiene valoraciones de puntos de contacto "
        "(columnas rating_*)",
        "drivers_about": "Puntos de contacto en {period}: {n} personas respondieron a la pregunta "
        "del NPS y valoraron al menos uno de {k} puntos de contacto. Juntas, sus valoraciones "
        "explican {r2} de las diferencias en la probabilidad de recomendar (R²).",
        "drivers_caption": "Qué corregir primero en {period}, por prioridad: cuánto mueve cada "
        "punto de contacto el NPS, cómo rinde frente al mejor valorado ({target} sobre 5) y a "
        "cuántas personas llega.",
        "drivers_gain_note": "Ganancia esperada: el cambio de NPS que va unido a llevar la "
        "valoración media de un punto de contacto a {target}, sin cambiar los demás. Es una "
        "asociación en las respuestas de este periodo, no una promesa: quienes valoran bien un "
        "punto de contacto pueden diferir en otras cosas.",
        "matrix_caption": "Importancia frente a rendimiento en {period}. Los bigotes son "
        "intervalos del 95 %; las líneas discontinuas cortan en el punto de contacto medio.",
        "importance_caption": "Peso de cada punto de contacto en lo que las valoraciones explican "
        "del NPS en {period} (descomposición de Shapley), con intervalos bootstrap del 95 %.",
        "stages_caption": "El recorrido en {period}, de la atracción al avance: valoración media, "
        "peso en la importancia y alcance por etapa.",
    },
}
#: Currency symbols written before (en) or after (es) the amount; other codes are written out.
_CURRENCY = {"EUR": "€", "USD": "$", "GBP": "£", "MXN": "$", "COP": "$", "ARS": "$", "CLP": "$"}

#: Journey stages and importance-performance quadrants, keyed by their English value in tables.
_JOURNEY = {
    "en": {
        "attract": "Attract",
        "accept": "Accept",
        "adopt": "Adopt",
        "amplify": "Amplify",
        "advance": "Advance",
        "unknown": "Unknown stage",
        "fix first": "Fix first",
        "keep up": "Keep up",
        "low priority": "Low priority",
        "possible overkill": "Possible overkill",
    },
    "es": {
        "attract": "Atracción",
        "accept": "Aceptación",
        "adopt": "Adopción",
        "amplify": "Amplificación",
        "advance": "Avance",
        "unknown": "Etapa sin asignar",
        "fix first": "Corregir primero",
        "keep up": "Mantener",
        "low priority": "Baja prioridad",
        "possible overkill": "Posible exceso",
    },
}


#: The 5-whys log's labels (cxkit.sections.rootcause): ladders, action tracker, verification.
_ROOTCAUSE = {
    "en": {
        "problem": "Problem",
        "why": "Why? ({n})",
        "root_cause": "Root cause",
        "no_root_cause": "Not found yet: the investigation goes on.",
        "countermeasures": "Countermeasures",
        "no_countermeasures": "None yet.",
        "verification": "Verification",
        "evidence": "Evidence: {text}",
        "evidence_value": "{period}, value {value}",
        "opened": "opened {date}",
        "due": "due {date}",
        "owner_missing": "no owner",
        "overdue": "overdue by {days} days",
        "overdue_one": "overdue by 1 day",
        "open_investigations": "open investigations",
        "status_open": "Open",
        "status_investigating": "Investigating",
        "status_acting": "Acting",
        "status_verifying": "Verifying",
        "status_closed": "Closed",
        "action_open": "Open",
        "action_in progress": "In progress",
        "action_done": "Done",
        "action_dropped": "Dropped",
        "category_people": "People",
        "category_process": "Process",
        "category_product": "Product",
        "category_policy": "Policy",
        "category_technology": "Technology",
        "category_partner": "Partner",
        "category_none": "Not yet known",
        "verdict_recovered": "Recovered",
        "verdict_improving": "Improving",
        "verdict_not yet": "Not yet",
        "verdict_worse": "Worse",
        "verdict_no data": "No data",
        "metric_nps": "NPS",
        "metric_csat": "CSAT",
        "metric_ces": "CES",
        "col_entry": "Investigation",
        "col_action": "Action",
        "col_owner": "Owner",
        "col_due": "Due",
        "col_status": "Status",
        "col_metric": "Metric",
        "col_baseline": "Before",
        "col_latest": "Latest",
        "col_change": "Change (95% interval)",
        "col_target": "Target",
        "col_verdict": "Verdict",
        "col_category": "Root-cause category",
        "col_touchpoint": "Touchpoint",
        "col_entries": "Investigations",
        "col_cumulative": "Cumulative share",
        "overview": "{n} investigations in the log: {open} still open and {closed} closed. "
        "{overdue} as of {date}.",
        "overview_overdue_none": "No countermeasure is overdue",
        "overview_overdue_one": "One countermeasure is overdue",
        "overview_overdue_many": "{n} countermeasures are overdue",
        "pareto_caption": "Root causes by category and the touchpoints where problems showed, "
        "most frequent first; the line is the cumulative share.",
        "pareto_empty": "no investigation has a root cause yet",
        "tracker_caption": "Every countermeasure, as of {date}: overdue ones first, then those "
        "still to do.",
        "verify_caption": "Verification as of {date}: the change is the latest value minus the "
        "value before.",
        "verify_line": "{metric}: {before} in {baseline} → {latest} in {period}: {verdict}",
        "verify_target": " (target {target})",
        "verify_small": "too few answers to judge: {before} before, {latest} in the latest period",
        "problems_intro": "The 5-whys log has {n} problem(s) to correct before it can be read "
        "in full; what could be read is shown below.",
        "problems_unreadable": "The 5-whys log could not be read; correct it and run the "
        "report again.",
        "no_log": "no 5-whys log is given for this client (the `five_whys` key of client.yml)",
        "no_verification": "no investigation has a verification with survey data to check",
        "no_actions": "no countermeasures yet",
        "empty_log": "the 5-whys log has no investigations yet",
        "axis_entries": "Investigations",
        "axis_cumulative": "Cumulative share",
        "pareto_categories": "Root-cause categories",
        "pareto_touchpoints": "Touchpoints",
        "index_open_one": "1 open investigation",
        "index_open_many": "{n} open investigations",
        "index_overdue_one": "1 overdue countermeasure",
        "index_overdue_many": "{n} overdue countermeasures",
        "index_verdicts": "Verification against the survey: {verdicts}.",
        "index_verdict_recovered": "{n} recovered",
        "index_verdict_improving": "{n} improving",
        "index_verdict_not yet": "{n} not yet",
        "index_verdict_worse": "{n} worse",
        "index_verdict_no data": "{n} without data",
        "index_problems": "The log has {n} problem(s) to correct; the root-cause page lists them.",
        "no_problems": "the 5-whys log has no problems",
    },
    "es": {
        "problem": "Problema",
        "why": "¿Por qué? ({n})",
        "root_cause": "Causa raíz",
        "no_root_cause": "Aún sin encontrar: la investigación continúa.",
        "countermeasures": "Contramedidas",
        "no_countermeasures": "Ninguna todavía.",
        "verification": "Verificación",
        "evidence": "Evidencia: {text}",
        "evidence_value": "{period}, valor {value}",
        "opened": "abierta el {date}",
        "due": "vence el {date}",
        "owner_missing": "sin responsable",
        "overdue": "vencida hace {days} días",
        "overdue_one": "vencida hace 1 día",
        "open_investigations": "investigaciones abiertas",
        "status_open": "Abierta",
        "status_investigating": "En investigación",
        "status_acting": "En acción",
        "status_verifying": "En verificación",
        "status_closed": "Cerrada",
        "action_open": "Pendiente",
        "action_in progress": "En curso",
        "action_done": "Hecha",
        "action_dropped": "Descartada",
        "category_people": "Personas",
        "category_process": "Proceso",
        "category_product": "Producto",
        "category_policy": "Política",
        "category_technology": "Tecnología",
        "category_partner": "Socio externo",
        "category_none": "Aún desconocida",
        "verdict_recovered": "Recuperado",
        "verdict_improving": "Mejorando",
        "verdict_not yet": "Todavía no",
        "verdict_worse": "Peor",
        "verdict_no data": "Sin datos",
        "metric_nps": "NPS",
        "metric_csat": "CSAT",
        "metric_ces": "CES",
        "col_entry": "Investigación",
        "col_action": "Acción",
        "col_owner": "Responsable",
        "col_due": "Vence",
        "col_status": "Estado",
        "col_metric": "Métrica",
        "col_baseline": "Antes",
        "col_latest": "Último",
        "col_change": "Cambio (intervalo del 95 %)",
        "col_target": "Objetivo",
        "col_verdict": "Veredicto",
        "col_category": "Categoría de la causa raíz",
        "col_touchpoint": "Punto de contacto",
        "col_entries": "Investigaciones",
        "col_cumulative": "Porcentaje acumulado",
        "overview": "{n} investigaciones en el registro: {open} siguen abiertas y {closed} "
        "cerradas. {overdue} a {date}.",
        "overview_overdue_none": "Ninguna contramedida está vencida",
        "overview_overdue_one": "Una contramedida está vencida",
        "overview_overdue_many": "{n} contramedidas están vencidas",
        "pareto_caption": "Causas raíz por categoría y puntos de contacto donde se vieron los "
        "problemas, de más a menos frecuente; la línea es el porcentaje acumulado.",
        "pareto_empty": "ninguna investigación tiene aún causa raíz",
        "tracker_caption": "Todas las contramedidas a {date}: primero las vencidas y después las "
        "pendientes.",
        "verify_caption": "Verificación a {date}: el cambio es el último valor menos el valor "
        "de antes.",
        "verify_line": "{metric}: {before} en {baseline} → {latest} en {period}: {verdict}",
        "verify_target": " (objetivo {target})",
        "verify_small": "demasiado pocas respuestas para juzgar: {before} antes y {latest} en el "
        "último periodo",
        "problems_intro": "El registro de 5 porqués tiene {n} problema(s) que corregir para "
        "poder leerlo entero; abajo se muestra lo que se pudo leer.",
        "problems_unreadable": "No se pudo leer el registro de 5 porqués; corríjalo y vuelva a "
        "generar el informe.",
        "no_log": "no se indicó un registro de 5 porqués para este cliente (la clave "
        "`five_whys` de client.yml)",
        "no_verification": "ninguna investigación tiene una verificación con datos de encuesta",
        "no_actions": "aún no hay contramedidas",
        "empty_log": "el registro de 5 porqués aún no tiene investigaciones",
        "axis_entries": "Investigaciones",
        "axis_cumulative": "Porcentaje acumulado",
        "pareto_categories": "Categorías de causa raíz",
        "pareto_touchpoints": "Puntos de contacto",
        "index_open_one": "1 investigación abierta",
        "index_open_many": "{n} investigaciones abiertas",
        "index_overdue_one": "1 contramedida vencida",
        "index_overdue_many": "{n} contramedidas vencidas",
        "index_verdicts": "Verificación con la encuesta: {verdicts}.",
        "index_verdict_recovered": "{n} recuperada",
        "index_verdict_recovered_many": "{n} recuperadas",
        "index_verdict_improving": "{n} mejorando",
        "index_verdict_not yet": "{n} todavía no",
        "index_verdict_worse": "{n} peor",
        "index_verdict_no data": "{n} sin datos",
        "index_problems": "El registro tiene {n} problema(s) que corregir; la página de causas "
        "raíz los enumera.",
        "no_problems": "el registro de 5 porqués no tiene problemas",
    },
}


#: How the experiments' results read (cxkit.experiments.ExperimentResult.reading).
_EXPERIMENT = {
    "en": {
        "ab": "{metric}: treatment {effect} vs control ({treatment} vs {control}; "
        "{ci} interval {low} to {high}; p {p}; n = {n_t} and {n_c}).",
        "pre_post": "{metric}: {effect} after the change ({treatment} vs {control} before; "
        "{ci} interval {low} to {high}; p {p}; n = {n_t} after, {n_c} before).",
        "diff_in_diff": "{metric}: {effect} beyond the control group's change (treated group "
        "{treatment}, control group {control} over the same dates; {ci} interval {low} to "
        "{high}; p {p}; n = {n_t} treated, {n_c} control).",
        "real": "A difference this large is unlikely to be chance alone.",
        "noise": "The data cannot tell this apart from no effect.",
    },
    "es": {
        "ab": "{metric}: tratamiento {effect} frente a control ({treatment} frente a {control}; "
        "intervalo del {ci} de {low} a {high}; p {p}; n = {n_t} y {n_c}).",
        "pre_post": "{metric}: {effect} después del cambio ({treatment} frente a {control} "
        "antes; intervalo del {ci} de {low} a {high}; p {p}; n = {n_t} después, {n_c} "
        "antes).",
        "diff_in_diff": "{metric}: {effect} más allá del cambio del grupo de control (grupo "
        "tratado {treatment}, grupo de control {control} en las mismas fechas; intervalo del "
        "{ci} de {low} a {high}; p {p}; n = {n_t} tratados, {n_c} de control).",
        "real": "Es poco probable que una diferencia así se deba solo al azar.",
        "noise": "Los datos no permiten distinguirlo de un efecto nulo.",
    },
}

#: The hypothesis register's words (cxkit.hypotheses, cxkit.sections.hypotheses): the
#: statement, statuses, designs, metrics, cards, table headers, evaluation reasons, front page.
_HYPOTHESES = {
    "en": {
        "statement": "We believe {strategy} will solve {customer_need} through {solution}, "
        "resulting in {outcome}.",
        "status_proposed": "Proposed",
        "status_designed": "Designed",
        "status_running": "Running",
        "status_validated": "Validated",
        "status_invalidated": "Invalidated",
        "status_inconclusive": "Inconclusive",
        "status_parked": "Parked",
        "count_proposed": "{n} proposed",
        "count_designed": "{n} designed",
        "count_running": "{n} running",
        "count_validated": "{n} validated",
        "count_invalidated": "{n} invalidated",
        "count_inconclusive": "{n} inconclusive",
        "count_parked": "{n} parked",
        "design_ab": "A/B test",
        "design_pre_post": "before and after the change",
        "design_diff_in_diff": "difference in differences",
        "metric_nps": "NPS",
        "metric_csat": "CSAT",
        "metric_ces": "CES",
        "metric_proportion": "share",
        "metric_conversion": "conversion",
        "metric_retention": "retention",
        "metric_churn": "churn",
        "metric_rate": "rate",
        "metric_fcr": "first-contact resolution",
        "metric_mean": "mean",
        "metric_handle_time": "handle time",
        "metric_resolution_time": "resolution time",
        "metric_first_response_time": "first-response time",
        "judged_by": "Judged by {metric}, {design}: a change of at least {effect} over {baseline}.",
        "judged_by_open": "Judged by {metric}; the test is not designed yet.",
        "baseline_mix": "{promoters}% promoters, {passives}% passives, {detractors}% detractors",
        "baseline_value": "a baseline of {value}",
        "where": "Touchpoint {touchpoint} · stage {stage} · owner {owner}",
        "no_owner": "no owner",
        "progress": "{n} of {required} answers in the smaller group ({share})",
        "progress_unplanned": "{n} answers in the smaller group; no planned sample size",
        "needs": "A fair test needs {n} answers per group.",
        "evidence": "Evidence as of {date}: {reading}.",
        "evidence_verdict": "Evidence as of {date}: {reading}; {verdict}.",
        "suggests": "The evidence suggests: {status}.",
        "decision": "Decision: {decision}",
        "rationale": "Why: {rationale}",
        "root_causes": "From the root-cause investigations {ids}.",
        "col_hypothesis": "Bet",
        "col_metric": "Metric",
        "col_status": "Status",
        "col_owner": "Owner",
        "col_sample": "Answers per group (needed)",
        "col_effect": "Effect (95% interval)",
        "col_suggested": "Evidence suggests",
        "reason_no_design": "no design or metric to test",
        "reason_unreadable": "cannot be read from the data: {error}",
        "reason_no_plan": "effect {interval}, but no planned sample size to judge it by",
        "reason_counts": "{n} answers per group ({control} control, {treatment} treatment)",
        "reason_peek_decided": "decided before the planned {counts}: the decision rests on a peek",
        "reason_peek": "read before the planned {counts}: keep collecting; deciding now would be "
        "peeking",
        "reason_effect": "effect {interval}: {verdict}",
        "verdict_inconclusive": "the {level} interval covers 0",
        "verdict_validated": "the {level} interval excludes 0 on the expected side",
        "verdict_invalidated": "the {level} interval excludes 0 on the wrong side",
        "overview": "{n} hypotheses in the register: {statuses}.",
        "overview_tested": "As of {date}, {tested} of them are tested against the survey "
        "answers collected since each test started.",
        "overview_none_tested": "None is being tested yet.",
        "forest_title": "Effect of each tested hypothesis, with its 95% interval",
        "forest_caption": "Each line is a test's effect with its 95% interval; the grey line "
        "is no effect and the diamond is the minimum effect the test was planned to detect.",
        "forest_axis": "Effect (treatment minus control)",
        "forest_minimum": "minimum effect planned",
        "cards_caption": "Every bet of the register, as of {date}.",
        "table_caption": "The register as of {date}.",
        "problems_intro": "The hypothesis register has {n} problem(s) to correct; what could be "
        "read is shown below.",
        "problems_unreadable": "The hypothesis register could not be read; correct it and run "
        "the report again.",
        "no_register": "no hypothesis register is given for this client (the `hypotheses` key "
        "of client.yml)",
        "empty_register": "the hypothesis register has no hypotheses yet",
        "none_tested": "no hypothesis is being tested against the survey data yet",
        "index_statuses": "{n} hypotheses ({statuses}).",
        "index_supports": "The evidence supports {ids}.",
        "index_refutes": "The evidence goes against {ids}.",
        "index_inconclusive": "Inconclusive so far: {ids}.",
        "index_peeking_none": "No result was read before its planned sample size.",
        "index_peeking": "Read before the planned sample size (decide only when it is "
        "reached): {ids}.",
        "index_problems": "The register has {n} problem(s) to correct; the hypotheses page "
        "lists them.",
    },
    "es": {
        "statement": "Creemos que {strategy} resolverá {customer_need} mediante {solution}, "
        "lo que dará como resultado {outcome}.",
        "status_proposed": "Propuesta",
        "status_designed": "Diseñada",
        "status_running": "En curso",
        "status_validated": "Validada",
        "status_invalidated": "Refutada",
        "status_inconclusive": "No concluyente",
        "status_parked": "Aparcada",
        "count_proposed": "{n} propuesta",
        "count_proposed_many": "{n} propuestas",
        "count_designed": "{n} diseñada",
        "count_designed_many": "{n} diseñadas",
        "count_running": "{n} en curso",
        "count_validated": "{n} validada",
        "count_validated_many": "{n} validadas",
        "count_invalidated": "{n} refutada",
        "count_invalidated_many": "{n} refutadas",
        "count_inconclusive": "{n} no concluyente",
        "count_inconclusive_many": "{n} no concluyentes",
        "count_parked": "{n} aparcada",
        "count_parked_many": "{n} aparcadas",
        "design_ab": "prueba A/B",
        "design_pre_post": "antes y después del cambio",
        "design_diff_in_diff": "diferencia en diferencias",
        "metric_nps": "NPS",
        "metric_csat": "CSAT",
        "metric_ces": "CES",
        "metric_proportion": "proporción",
        "metric_conversion": "conversión",
        "metric_retention": "retención",
        "metric_churn": "abandono",
        "metric_rate": "tasa",
        "metric_fcr": "resolución al primer contacto",
        "metric_mean": "media",
        "metric_handle_time": "tiempo de gestión",
        "metric_resolution_time": "tiempo de resolución",
        "metric_first_response_time": "tiempo de primera respuesta",
        "judged_by": "Se juzga por {metric}, {design}: un cambio de al menos {effect} sobre "
        "{baseline}.",
        "judged_by_open": "Se juzga por {metric}; la prueba aún no está diseñada.",
        "baseline_mix": "un {promoters} % de promotores, {passives} % de pasivos y "
        "{detractors} % de detractores",
        "baseline_value": "un valor base de {value}",
        "where": "Punto de contacto {touchpoint} · etapa {stage} · responsable {owner}",
        "no_owner": "sin responsable",
        "progress": "{n} de {required} respuestas en el grupo menor ({share})",
        "progress_unplanned": "{n} respuestas en el grupo menor; sin tamaño de muestra previsto",
        "needs": "Una prueba justa necesita {n} respuestas por grupo.",
        "evidence": "Evidencia a {date}: {reading}.",
        "evidence_verdict": "Evidencia a {date}: {reading}; {verdict}.",
        "suggests": "La evidencia sugiere: {status}.",
        "decision": "Decisión: {decision}",
        "rationale": "Por qué: {rationale}",
        "root_causes": "Viene de las investigaciones de causa raíz {ids}.",
        "col_hypothesis": "Apuesta",
        "col_metric": "Métrica",
        "col_status": "Estado",
        "col_owner": "Responsable",
        "col_sample": "Respuestas por grupo (necesarias)",
        "col_effect": "Efecto (intervalo del 95 %)",
        "col_suggested": "La evidencia sugiere",
        "reason_no_design": "no hay diseño o métrica que probar",
        "reason_unreadable": "no se puede leer de los datos: {error}",
        "reason_no_plan": "efecto {interval}, pero sin tamaño de muestra previsto con el que "
        "juzgarlo",
        "reason_counts": "{n} respuestas por grupo ({control} de control, {treatment} de "
        "tratamiento)",
        "reason_peek_decided": "decidida antes de las {counts} previstas: la decisión se basa en "
        "una lectura anticipada",
        "reason_peek": "leída antes de las {counts} previstas: siga recogiendo datos; decidir "
        "ahora sería una lectura anticipada",
        "reason_effect": "efecto {interval}: {verdict}",
        "verdict_inconclusive": "el intervalo del {level} incluye el 0",
        "verdict_validated": "el intervalo del {level} excluye el 0 del lado esperado",
        "verdict_invalidated": "el intervalo del {level} excluye el 0 del lado contrario",
        "overview": "{n} hipótesis en el registro: {statuses}.",
        "overview_tested": "A {date}, {tested} de ellas se prueban con las respuestas de la "
        "encuesta recogidas desde el inicio de cada prueba.",
        "overview_none_tested": "Todavía no se prueba ninguna.",
        "forest_title": "Efecto de cada hipótesis probada, con su intervalo del 95 %",
        "forest_caption": "Cada línea es el efecto de una prueba con su intervalo del 95 %; la "
        "línea gris es el efecto nulo y el rombo, el efecto mínimo que la prueba debía detectar.",
        "forest_axis": "Efecto (tratamiento menos control)",
        "forest_minimum": "efecto mínimo previsto",
        "cards_caption": "Todas las apuestas del registro, a {date}.",
        "table_caption": "El registro a {date}.",
        "problems_intro": "El registro de hipótesis tiene {n} problema(s) que corregir; abajo se "
        "muestra lo que se pudo leer.",
        "problems_unreadable": "No se pudo leer el registro de hipótesis; corríjalo y vuelva a "
        "generar el informe.",
        "no_register": "no se indicó un registro de hipótesis para este cliente (la clave "
        "`hypotheses` de client.yml)",
        "empty_register": "el registro de hipótesis aún no tiene hipótesis",
        "none_tested": "todavía no se prueba ninguna hipótesis con los datos de la encuesta",
        "index_statuses": "{n} hipótesis ({statuses}).",
        "index_supports": "La evidencia respalda {ids}.",
        "index_refutes": "La evidencia contradice {ids}.",
        "index_inconclusive": "Sin conclusión por ahora: {ids}.",
        "index_peeking_none": "Ningún resultado se leyó antes de su tamaño de muestra previsto.",
        "index_peeking": "Leídas antes del tamaño de muestra previsto (decida solo cuando se "
        "alcance): {ids}.",
        "index_problems": "El registro tiene {n} problema(s) que corregir; la página de "
        "hipótesis los enumera.",
    },
}


#: The voice of the customer's words (cxkit.sections.voc, cxkit.sections.themes): comment
#: themes, detractor follow-up, team scorecards, channel preferences, the front page's line.
_VOC = {
    "en": {
        "no_responses": "no survey responses were given for this client",
        "no_tickets": "no tickets were given for this client",
        "no_channel": "the responses have no `channel` or no `segment` column",
        "no_agent": "the tickets have no `agent` column",
        "followup_text": "In {period}, {n} answers needed a call (NPS 0–6 or CSAT 1–2). {done} "
        "were followed up ({rate} of them, {low}–{high}), {median}. {late}",
        "followup_median": "a median of {days} days after the answer",
        "followup_text_none": "In {period}, {n} answers needed a call (NPS 0–6 or CSAT 1–2); "
        "none is recorded as followed up. {late}",
        "followup_text_nobody": "In {period}, no answer needed a call (NPS 0–6 or CSAT 1–2).",
        "followup_late_none": "No call is past its {sla}-day deadline.",
        "followup_late": "{breaches} past the {sla}-day deadline, of which {waiting} still "
        "waiting for a call.",
        "followup_quarantine": "{n} row(s) of the follow-up log could not be used (an unknown "
        "response, a bad date or a call before the answer); the analyst has the list.",
        "followup_no_log": "No follow-up log was given: every answer below still counts as "
        "waiting for a call.",
        "followup_queue_caption": "Answers still waiting for a call as of {date}, the longest "
        "overdue first ({shown} of {total}).",
        "followup_queue_none": "every answer that needed a call in the period has had one",
        "col_date": "Answered",
        "col_customer": "Customer",
        "col_score": "Score",
        "col_comment": "Comment",
        "col_revenue": "Revenue",
        "col_due": "Call due",
        "score_text": "NPS {nps} · CSAT {csat}",
        "overdue_days": "overdue by {days} days",
        "overdue_day": "overdue by 1 day",
        "due_on": "due {date}",
        "scorecard_caption": "Each agent's tickets opened in {period}. Rates are shrunk towards "
        "the team's by how many tickets each agent has (empirical Bayes), with 95% intervals; a "
        "rank is given only where intervals separate, otherwise the range of ranks the data "
        "allow.",
        "scorecard_prior": "Team average used for shrinkage: {metrics}.",
        "col_agent": "Agent",
        "col_tickets": "Tickets",
        "col_first_response": "First response (median)",
        "col_resolution": "Resolution (median)",
        "col_fcr": "First-contact resolution",
        "col_reopen": "Reopened",
        "col_csat": "CSAT (% satisfied)",
        "col_rank": "Rank (FCR)",
        "rate_interval": "{value} ({low}–{high})",
        "scorecard_figure": "First-contact resolution by agent: the shrunk rate and its 95% "
        "interval; the grey dot is the agent's raw rate.",
        "scorecard_axis": "First-contact resolution (%)",
        "channels_text": "Channel use differs by segment (χ² = {chi2}, {dof} degrees of "
        "freedom, p {p}; Cramér's V = {v}).",
        "channels_text_none": "Channel use does not differ by segment beyond chance (χ² = {chi2}, "
        "{dof} degrees of freedom, p {p}).",
        "channels_caption": "Share of each segment's answers by channel in {period}. ▲ and ▼ "
        "mark a segment that uses a channel more or less than the others, beyond chance "
        "(adjusted residual beyond ±{cut}).",
        "channels_axis": "Share of the segment's answers (%)",
        "col_segment": "Segment",
        "more": "▲",
        "less": "▼",
        "index_followup": "Follow-up: {rate} of the {n} answers that needed a call were "
        "followed up; {waiting} still waiting past the {sla}-day deadline.",
        "index_themes": "The comment themes most tied to detractors: {themes}.",
        "index_theme": "{label} ({difference} percentage points more detractors among those "
        "who mention it)",
        "index_themes_none": "No comment theme is tied to detractors beyond chance.",
        "no_taxonomy": "no theme taxonomy is given for this client (the `themes` key of "
        "client.yml)",
        "no_comments": "no answer of the period carries a comment",
        "themes_text": "{commented} of the {n} answers of {period} carry a comment; {matched} of "
        "them mention at least one of the {k} themes.",
        "themes_tied": "Tied to detractors: {themes}.",
        "themes_tied_none": "No theme is tied to detractors beyond chance.",
        "col_theme": "Theme",
        "col_share": "Share of comments (mentions)",
        "col_detractors": "Detractors: with / without",
        "col_difference": "Difference (95% interval)",
        "col_tied": "Tied to detractors",
        "col_quotes": "In the customers' words",
        "tied_yes": "yes",
        "tied_no": "no",
        "themes_caption": "The themes of the comments given in {period}, most mentioned first. "
        "Detractors: the share of detractors (NPS 0–6) among those who mention the theme and "
        "among the others; tied when the difference holds after allowing for the {k} themes "
        "tested (Holm).",
        "themes_axis": "Share of the period's comments (%)",
        "themes_legend_tied": "tied to detractors",
        "themes_legend_other": "other themes",
        "trends_text": "Since {previous}: {changes}.",
        "trends_change": "{label} {verb} from {before} to {after} of comments",
        "trends_up": "rose",
        "trends_down": "fell",
        "trends_none": "No theme's share of comments changed beyond chance since {previous}.",
        "trends_first": "There is no earlier period with comments to compare with.",
        "trends_caption": "Each theme's share of the comments, period by period up to {period}.",
        "trends_axis": "Share of comments (%)",
    },
    "es": {
        "no_responses": "no se entregaron respuestas de encuesta para este cliente",
        "no_tickets": "no se entregaron tickets para este cliente",
        "no_channel": "las respuestas no tienen columna `channel` o `segment`",
        "no_agent": "los tickets no tienen columna `agent`",
        "followup_text": "En {period}, {n} respuestas necesitaban una llamada (NPS 0–6 o CSAT "
        "1–2). Se hizo el seguimiento de {done} ({rate}, {low}–{high}), {median}. {late}",
        "followup_median": "con una mediana de {days} días tras la respuesta",
        "followup_text_none": "En {period}, {n} respuestas necesitaban una llamada (NPS 0–6 o "
        "CSAT 1–2); no consta el seguimiento de ninguna. {late}",
        "followup_text_nobody": "En {period}, ninguna respuesta necesitaba una llamada (NPS 0–6 "
        "o CSAT 1–2).",
        "followup_late_none": "Ninguna llamada ha superado su plazo de {sla} días.",
        "followup_late": "{breaches} han superado el plazo de {sla} días, de las que {waiting} "
        "siguen esperando una llamada.",
        "followup_quarantine": "{n} fila(s) del registro de seguimiento no se pudieron usar (una "
        "respuesta desconocida, una fecha errónea o una llamada anterior a la respuesta); el "
        "analista tiene la lista.",
        "followup_no_log": "No se entregó registro de seguimiento: todas las respuestas de abajo "
        "cuentan como pendientes de llamada.",
        "followup_queue_caption": "Respuestas que siguen esperando una llamada a {date}, primero "
        "las más atrasadas ({shown} de {total}).",
        "followup_queue_none": "todas las respuestas del periodo que necesitaban una llamada la "
        "han tenido",
        "col_date": "Respondida",
        "col_customer": "Cliente",
        "col_score": "Puntuación",
        "col_comment": "Comentario",
        "col_revenue": "Ingresos",
        "col_due": "Llamar antes de",
        "score_text": "NPS {nps} · CSAT {csat}",
        "overdue_days": "con {days} días de retraso",
        "overdue_day": "con 1 día de retraso",
        "due_on": "antes del {date}",
        "scorecard_caption": "Tickets de cada agente abiertos en {period}. Las tasas se acercan "
        "a la del equipo según cuántos tickets tiene cada agente (Bayes empírico), con "
        "intervalos del 95 %; solo se da un puesto donde los intervalos se separan; si no, el "
        "rango de puestos que admiten los datos.",
        "scorecard_prior": "Media del equipo usada para acercar las tasas: {metrics}.",
        "col_agent": "Agente",
        "col_tickets": "Tickets",
        "col_first_response": "Primera respuesta (mediana)",
        "col_resolution": "Resolución (mediana)",
        "col_fcr": "Resolución al primer contacto",
        "col_reopen": "Reabiertos",
        "col_csat": "CSAT (% satisfechos)",
        "col_rank": "Puesto (resolución)",
        "rate_interval": "{value} ({low}–{high})",
        "scorecard_figure": "Resolución al primer contacto por agente: la tasa ajustada y su "
        "intervalo del 95 %; el punto gris es la tasa sin ajustar.",
        "scorecard_axis": "Resolución al primer contacto (%)",
        "channels_text": "El uso de los canales varía según el segmento (χ² = {chi2}, {dof} "
        "grados de libertad, p {p}; V de Cramér = {v}).",
        "channels_text_none": "El uso de los canales no varía según el segmento más allá del azar "
        "(χ² = {chi2}, {dof} grados de libertad, p {p}).",
        "channels_caption": "Porcentaje de las respuestas de cada segmento por canal en {period}. "
        "▲ y ▼ marcan un segmento que usa un canal más o menos que los demás, más allá del azar "
        "(residuo ajustado más allá de ±{cut}).",
        "channels_axis": "Porcentaje de las respuestas del segmento (%)",
        "col_segment": "Segmento",
        "more": "▲",
        "less": "▼",
        "index_followup": "Seguimiento: se llamó al {rate} de las {n} respuestas que lo "
        "necesitaban; {waiting} siguen esperando pasado el plazo de {sla} días.",
        "index_themes": "Los temas de comentarios más ligados a los detractores: {themes}.",
        "index_theme": "{label} ({difference} puntos porcentuales más de detractores entre "
        "quienes lo mencionan)",
        "index_themes_none": "Ningún tema de los comentarios está ligado a los detractores más "
        "allá del azar.",
        "no_taxonomy": "no se indicó una taxonomía de temas para este cliente (la clave "
        "`themes` de client.yml)",
        "no_comments": "ninguna respuesta del periodo tiene comentario",
        "themes_text": "{commented} de las {n} respuestas de {period} tienen comentario; {matched} "
        "de ellos mencionan al menos uno de los {k} temas.",
        "themes_tied": "Ligados a los detractores: {themes}.",
        "themes_tied_none": "Ningún tema está ligado a los detractores más allá del azar.",
        "col_theme": "Tema",
        "col_share": "Porcentaje de comentarios (menciones)",
        "col_detractors": "Detractores: con / sin",
        "col_difference": "Diferencia (intervalo del 95 %)",
        "col_tied": "Ligado a detractores",
        "col_quotes": "En palabras de los clientes",
        "tied_yes": "sí",
        "tied_no": "no",
        "themes_caption": "Los temas de los comentarios de {period}, de más a menos mencionados. "
        "Detractores: el porcentaje de detractores (NPS 0–6) entre quienes mencionan el tema y "
        "entre los demás; ligado cuando la diferencia se mantiene tras tener en cuenta los {k} "
        "temas probados (Holm).",
        "themes_axis": "Porcentaje de los comentarios del periodo (%)",
        "themes_legend_tied": "ligado a detractores",
        "themes_legend_other": "otros temas",
        "trends_text": "Desde {previous}: {changes}.",
        "trends_change": "{label} {verb} del {before} al {after} de los comentarios",
        "trends_up": "subió",
        "trends_down": "bajó",
        "trends_none": "El porcentaje de ningún tema cambió más allá del azar desde {previous}.",
        "trends_first": "No hay un periodo anterior con comentarios con el que comparar.",
        "trends_caption": "El porcentaje de comentarios de cada tema, periodo a periodo, hasta "
        "{period}.",
        "trends_axis": "Porcentaje de comentarios (%)",
    },
}


def _missing(value: object) -> bool:
    """Tell whether ``value`` is None, NaN, NaT or pandas' NA (a blank answer)."""
    return value is None or bool(pd.isna(value))


def number(value: float, lang: str, digits: int = 1) -> str:
    """Format ``value`` for ``lang``: ``1,234.5`` (en) or ``1.234,5`` (es); "–" when missing.

    Negative numbers take the minus sign (U+2212), as typeset text does.
    """
    if _missing(value):
        return "–"
    text = f"{abs(value):,.{digits}f}"
    if lang == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    negative = value < 0 and text.strip("0.,") != ""
    return (MINUS if negative else "") + text


def percent(value: float, lang: str, digits: int = 1) -> str:
    """Format a percentage: ``59.6%`` (en) or ``59,6 %`` (es, with a non-breaking space)."""
    if _missing(value):
        return "–"
    return number(value, lang, digits) + (NBSP + "%" if lang == "es" else "%")


def interval(
    value: float, low: float, high: float, lang: str, digits: int = 1, unit: str = ""
) -> str:
    """Write an estimate with its interval: ``24.3 (17.5–31.1)``, ``59.6% (55.3–64.0)``."""
    if _missing(value):
        return "–"
    head = percent(value, lang, digits) if unit == "%" else number(value, lang, digits)
    if _missing(low) or _missing(high):
        return head
    return f"{head} ({number(low, lang, digits)}–{number(high, lang, digits)})"


def change(value: float, lang: str, digits: int = 1, unit: str = "points") -> str:
    """Write a difference with its sign and unit: ``+1.6 points``, ``−7,9 p. p.``, ``+0.22``."""
    if _missing(value):
        return "–"
    text = number(value, lang, digits)
    if value > 0 and text != number(0.0, lang, digits):
        text = "+" + text
    word = UNITS[check_option("lang", lang, UNITS)][unit]
    return f"{text}{NBSP}{word}" if word else text


def duration(hours: float, lang: str) -> str:
    """Write a duration given in hours: "12 min" under an hour, "4.0 h" (es "4,0 h") from one."""
    if _missing(hours):
        return "–"
    if hours < 1:
        return f"{number(60 * hours, lang, 0)}{NBSP}min"
    return f"{number(hours, lang, 1)}{NBSP}h"


def period_name(period, lang: str) -> str:
    """Write a period out: "October 2026" / "octubre de 2026", "Q4 2026" / "4.º trimestre de 2026".

    Anything that is not a month, quarter or year period is returned as text unchanged.
    """
    try:
        p = period if isinstance(period, pd.Period) else pd.Period(str(period))
    except (ValueError, TypeError):
        return str(period)
    code = p.freqstr[:1]
    if code == "M":
        month = _MONTHS[lang][p.month - 1]
        return f"{month} de {p.year}" if lang == "es" else f"{month} {p.year}"
    if code == "Q":
        return f"{p.quarter}.º trimestre de {p.year}" if lang == "es" else f"Q{p.quarter} {p.year}"
    if code == "Y":
        return str(p.year)
    return str(period)


def date_text(value, lang: str) -> str:
    """Write a date: "24 Oct 2026" (en) or "24 oct 2026" (es); "–" when missing."""
    if value is None or pd.isna(value):
        return "–"
    stamp = pd.Timestamp(value)
    month = _MONTHS[lang][stamp.month - 1][:3]
    return f"{stamp.day} {month} {stamp.year}"


def _p(p: float, lang: str) -> str:
    return "< " + number(0.001, lang, 3) if p < 0.001 else "= " + number(p, lang, 3)


def reading(
    *,
    metric: str,
    difference: float,
    p_adjusted: float,
    significant: bool,
    small: bool,
    n: int,
    lang: str = "en",
    reference: str | None = None,
    group: str | None = None,
) -> str:
    """One sentence on a comparison: a period against ``reference``, or ``group`` vs the rest.

    Examples
    --------
    >>> reading(metric="nps", difference=-4.1, p_adjusted=0.4, significant=False, small=False,
    ...         n=300, reference="2025-01")
    'NPS fell 4.1 points vs January 2025; within noise.'
    """
    check_option("lang", lang, _READING)
    t = _READING[lang]
    name = _NAMES[lang][metric]
    digits = 2 if metric == "ces" else 1
    size = number(abs(difference), lang, digits)
    unit = {"ces": "", "csat": t["pp"]}.get(metric, t["points"])
    flat = size == number(0.0, lang, digits)
    if group is None:
        verb = t["up"] if difference > 0 else t["down"]
        head = (t["flat_period"] if flat else t["period"]).format(
            metric=name, verb=verb, size=size, unit=unit, ref=period_name(reference, lang)
        )
    else:
        side = t["above"] if difference > 0 else t["below"]
        head = (t["group_same"] if flat else t["group"]).format(
            metric=name, group=group, size=size, unit=unit, side=side
        )
    if small:
        tail = t["small"].format(n=n)
    elif significant:
        tail = t["real" if group is None else "real_group"].format(p=_p(p_adjusted, lang))
    else:
        tail = t["noise"]
    return " ".join(f"{head}; {tail}.".split())


def section_text(lang: str) -> dict[str, str]:
    """Return the report sections' captions in ``lang`` ("en" or "es")."""
    return _SECTION[check_option("lang", lang, _SECTION)]


def table_text(lang: str) -> dict[str, str]:
    """Return the client-table headers and notes of ``lang`` ("en" or "es")."""
    return _TABLE[check_option("lang", lang, _TABLE)]


def money(value: float, lang: str, currency: str | None, digits: int = 0) -> str:
    """Write an amount: "€20,346" (en), "20.346 €" (es); the ISO code when no symbol is known."""
    if _missing(value):
        return "–"
    amount = number(value, lang, digits)
    if not currency:
        return amount
    symbol = _CURRENCY.get(currency.upper())
    if symbol is None:
        return f"{amount}{NBSP}{currency.upper()}"
    if lang == "es":
        return f"{amount}{NBSP}{symbol}"
    return f"{MINUS}{symbol}{amount[1:]}" if amount.startswith(MINUS) else f"{symbol}{amount}"


def plot_text(lang: str) -> dict[str, str]:
    """Return the chart labels of ``lang`` ("en" or "es")."""
    return _PLOT[check_option("lang", lang, _PLOT)]


def text(lang: str) -> dict[str, str]:
    """Return the strings of ``lang`` ("en" or "es")."""
    return STRINGS[check_option("lang", lang, STRINGS)]


def journey_text(lang: str) -> dict[str, str]:
    """Return the journey stages' and quadrants' names in ``lang``, keyed by English value."""
    return _JOURNEY[check_option("lang", lang, _JOURNEY)]


def rootcause_text(lang: str) -> dict[str, str]:
    """Return the 5-whys log's labels in ``lang`` ("en" or "es")."""
    return _ROOTCAUSE[check_option("lang", lang, _ROOTCAUSE)]


def experiment_text(lang: str) -> dict[str, str]:
    """Return the sentences that read an experiment's result in ``lang`` ("en" or "es")."""
    return _EXPERIMENT[check_option("lang", lang, _EXPERIMENT)]


def hypothesis_text(lang: str) -> dict[str, str]:
    """Return the hypothesis register's words in ``lang`` ("en" or "es")."""
    return _HYPOTHESES[check_option("lang", lang, _HYPOTHESES)]


def voc_text(lang: str) -> dict[str, str]:
    """Return the voice of the customer's words in ``lang`` ("en" or "es")."""
    return _VOC[check_option("lang", lang, _VOC)]


def counted(t: dict[str, str], key: str, n: int, lang: str) -> str:
    """Write ``t[key]`` for ``n`` things: ``t[key + "_many"]`` when n != 1 and there is one.

    Languages differ in which words take a plural ("2 validated", "2 validadas"), so the
    plural form is written only where the language has one.
    """
    plural = t.get(f"{key}_many") if n != 1 else None
    return (plural or t[key]).format(n=number(n, lang, 0))
