"""The web service: operators declare and ask before they sell; staff work alerts into cases."""

from traza.api.app import create_app

__all__ = ["create_app"]
