"""Cross-channel identity: a tourist proves a phone number by SMS code in one conversation, and may
then see the bookings and complaints filed with that number on any channel."""
