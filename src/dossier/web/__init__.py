"""The web interface's shell: layout, dashboard, lookup box, language switch."""
