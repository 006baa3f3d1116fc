"""Domain rules: one module per capability; plain functions, one commit per public service."""
