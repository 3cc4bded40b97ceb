"""The hub: the campaign's server (FastAPI + SQLModel)."""
