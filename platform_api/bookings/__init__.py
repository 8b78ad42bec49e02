"""Ticket (time-slot) and hotel bookings: hold → pay → confirmed, lookup, cancellation, expiry."""
