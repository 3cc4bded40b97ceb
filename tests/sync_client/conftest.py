from tests.sync_client.live_hub import live_hub  # noqa: F401  (fixture)
