from tests.sync_client.live_hub import live_hub, live_hub_on  # noqa: F401  (fixtures)
