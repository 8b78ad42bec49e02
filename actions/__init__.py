"""Custom actions of the 智游天府 assistant, served by the rasa_sdk action server (port 5055)."""
