"""Routing: rules engine, value split, super-user matching, SLAs, the thread state machine and reviews."""
