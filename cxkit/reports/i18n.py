"""Every string a client report shows, in English and Spanish."""

from __future__ import annotations

from cxkit._checks import check_option
from cxkit.readings import number

__all__ = ["STRINGS", "kpi_reading", "text"]

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
        "up": "up",
        "down": "down",
        "same": "no change",
        "nps": "Net Promoter Score (points)",
        "csat": "Satisfaction, CSAT (% satisfied)",
        "ces": "Ease, CES (mean on 1–7)",
        "first_response_median_h": "First response (median hours)",
        "resolution_median_h": "Resolution (median hours)",
        "fcr_rate": "First-contact resolution (%)",
        "churn_rate": "Churn in the period (%)",
        "01_baseline_metrics": "Baseline metrics",
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
        "up": "sube",
        "down": "baja",
        "same": "sin cambio",
        "nps": "Net Promoter Score (puntos)",
        "csat": "Satisfacción, CSAT (% satisfechos)",
        "ces": "Facilidad, CES (media de 1 a 7)",
        "first_response_median_h": "Primera respuesta (horas, mediana)",
        "resolution_median_h": "Resolución (horas, mediana)",
        "fcr_rate": "Resolución en el primer contacto (%)",
        "churn_rate": "Bajas en el periodo (%)",
        "01_baseline_metrics": "Métricas base",
    },
}


def text(lang: str) -> dict[str, str]:
    """Return the strings of ``lang`` ("en" or "es")."""
    return STRINGS[check_option("lang", lang, STRINGS)]


def kpi_reading(
    *,
    difference: float | None,
    significant: bool | None,
    previous: str | None,
    small: bool,
    lang: str,
    digits: int = 1,
) -> str:
    """Describe an indicator's change since the previous period in a short phrase."""
    t = text(lang)
    if previous is None or difference is None:
        return t["no_previous"]
    direction = (
        t["same"] if round(difference, digits) == 0 else t["up" if difference > 0 else "down"]
    )
    parts = [
        f"{direction} {number(abs(difference), lang, digits)} {t['vs'].format(period=previous)}"
    ]
    parts.append(t["untested"] if significant is None else t["real"] if significant else t["noise"])
    if small:
        parts.append(t["small"])
    return "; ".join(parts)
