"""The languages the assistant speaks: the one definition every module imports."""

from __future__ import annotations

# ISO 639-1 codes, in the order reports and catalogues list them.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("zh", "en", "ja", "ko", "fr", "de", "es", "ru")
# Slot value and language-ID answer for a language we do not support.
UNDETERMINED = "und"
# Language used before the tourist's language is known, and for missing translations.
FALLBACK_LANGUAGE = "en"


def is_supported(code: str | None) -> bool:
    """True when ``code`` is one of :data:`SUPPORTED_LANGUAGES`."""
    return code in SUPPORTED_LANGUAGES
