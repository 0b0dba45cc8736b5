"""Application services behind the API: accounts, registry changes, declarations, sale checks."""
