"""Comment themes: tag what customers write with a client's theme taxonomy.

- :func:`load_taxonomy` reads a taxonomy YAML file (``templates/themes.yml``) into a
  :class:`Taxonomy` (labels in English and Spanish, phrases per language);
- :func:`themes` tags each comment, counts mentions, ties each theme to detractors and can
  propose candidate themes among the comments nothing matched (:class:`ThemeResult`);
- :func:`theme_trends` follows each theme's share of comments period by period.
"""

from cxkit.themes._errors import ThemeError
from cxkit.themes._taxonomy import Taxonomy, Theme, load_taxonomy
from cxkit.themes._themes import ThemeResult, themes
from cxkit.themes._trends import ThemeTrends, theme_trends

__all__ = [
    "Taxonomy",
    "Theme",
    "ThemeError",
    "ThemeResult",
    "ThemeTrends",
    "load_taxonomy",
    "theme_trends",
    "themes",
]
