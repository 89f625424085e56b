"""Helpers for the tracklite compatibility suite (server processes, REST diffing)."""
