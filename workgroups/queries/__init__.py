"""Reads shaped for the working-group pages (one module per area)."""
