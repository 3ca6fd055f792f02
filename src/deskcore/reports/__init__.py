"""Reports: one registry for core and plugin reports, their exports, charts and the dashboard."""
