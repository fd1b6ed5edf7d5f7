"""Signed content packs: fetch, verify, unpack, atomic switch, rollback (no Qt)."""
