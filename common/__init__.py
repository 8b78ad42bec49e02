"""Small definitions shared by every part of the project (bot, actions, platform, knowledge base, scripts).

Both environments import this package (.venv/rasa has pydantic 1 and numpy 1.23, .venv/app pydantic 2
and numpy 2), so its modules use the standard library only. Keep this file free of imports.
"""
