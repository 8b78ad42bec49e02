"""Custom Rasa input channels (WeChat Official Account, web widget, guide devices).

``rest_guarded`` is Rasa's REST channel with input limits (registered in ``credentials.yml`` under
the name ``rest``, so the URL stays ``/webhooks/rest/webhook``); ``guard`` and ``notices`` are its
Rasa-free parts. The platform-specific channels are added here, one module per channel.
"""
