"""Complaints in conversation: the complaint form, the status look-up and their platform client.

* :mod:`.parsing` reads the tourist's answers (categories, dates, amounts, phones, references);
* :mod:`.client` talks to the platform's ``/api/complaints`` and ``/api/handoff`` routes;
* :mod:`.form` (``complaint_form``) and :mod:`.status` (``complaint_status_form``) are the actions;
* :mod:`.texts` picks response texts from the domain and writes dates in the tourist's language.

The hand-off actions live in :mod:`actions.handoff`.
"""
