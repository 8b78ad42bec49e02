"""Deterministic entity extraction: knowledge-base gazetteer, dates/times, party sizes, phones, references.

Pure-Python matchers live in :mod:`.gazetteer`, :mod:`.dates`, :mod:`.numbers` and :mod:`.patterns`;
the Rasa components that wrap them are in :mod:`.extractors`.
"""
