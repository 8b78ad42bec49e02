"""Sichuan culture-and-tourism knowledge base: entries, encoder, FAISS index, hybrid retriever, answers.

Keep this file free of imports: the Rasa environment imports ``knowledge_base.textfold`` too.
"""
