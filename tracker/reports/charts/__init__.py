"""The reporting layer's charts: Plotly figure specs, one registry of them, and the SVG renderer
that draws them for the PDF."""
