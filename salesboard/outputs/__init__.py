"""What every feature hands to people as files or figures: ``export`` (formatted XLSX, CSV
with BOM, JSON, one-file HTML reports) and ``charts`` (plotly helpers: money axes in the
locale's unit, the Overview's charts). Formatting of values comes from ``i18n.locale``."""
