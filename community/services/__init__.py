"""Use cases over the ports: ingest, route, claim, answer, hand on, resolve, award, search."""
