"""Bookings in conversation: ticket and hotel forms, checking and cancelling, in eight languages.

* :mod:`.understanding`: dates, parts of the day, ticket counts and categories, yes/no/stop words
  as tourists write them;
* :mod:`.identity`: visitors' names and documents, phone numbers, masking;
* :mod:`.ticket_form`, :mod:`.hotel_form`, :mod:`.manage`: the actions.
"""
