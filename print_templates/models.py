"""Placards and their scan counts: filled in by the placard issue."""
