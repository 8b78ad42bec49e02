"""Staff accounts, sessions, roles, audit log, the ``/api/staff`` API and the ``/console`` pages."""
