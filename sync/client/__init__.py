"""The desktop side of sync (no Qt): a typed HTTP client, keyring credentials, the engine."""
