"""Custom Rasa input channels (WeChat Official Account, web widget, guide devices).

The REST channel built into Rasa serves the web widget and tests today; the platform-specific
channels are added here, one module per channel (see docs in README "Layout").
"""
