"""Adapters: storage, search backends and notifications behind the ports of ``community.ports``."""
