"""The ASGI entry point for uvicorn's workers: settings come from the environment."""

from traza.api.app import create_app

app = create_app()
