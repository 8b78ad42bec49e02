"""智游天府 platform API: escalations to human staff and the knowledge-base HTTP API."""
