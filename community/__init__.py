"""Superfan's domain: mentions, threads, routing, work, rewards and knowledge (no framework imports)."""
