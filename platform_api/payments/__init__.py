"""Payment providers (interface + sandbox), the sandbox pay page and the notification endpoint."""
