"""Files and figures shared by every feature: XLSX/CSV/JSON/HTML writers and plotly helpers."""
