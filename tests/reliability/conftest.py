from tests.support.hub_process import hub_factory  # noqa: F401  (a fixture for these tests)
