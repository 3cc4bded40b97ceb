"""The laptop's sync engine: one round (push, pull, reset, backoff), outbox batches and "Get names".

It lives beside the store it writes; `sync/` holds only what the laptop and the hub share."""
