"""Django's PostgreSQL backend, keeping each connection's prepared statements across rollbacks.

Use it as the ``ENGINE`` (``abdi.core.postgresql``); settings do so for every PostgreSQL URL.
"""
