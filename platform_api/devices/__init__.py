"""Tour-guide devices: registration with a per-device API key, preset language and venue, the
offline FAQ of the device's venue, and nearby attractions (used by the WeChat location messages)."""
