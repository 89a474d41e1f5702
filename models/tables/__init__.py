"""The tables beyond units, reports and cells, one manager per domain, each
reached through the gateway: ``gw.keys`` (this unit's signing keys),
``gw.sent`` (the packets it exported), ``gw.receipts`` (answers issued and
received), ``gw.trust`` (the keys of other units it trusts),
``gw.collections`` (what the upper level collects) and ``gw.inbox`` (the
packets it received and their figures).

The SQL of these tables lives here and nowhere else; the managers speak in
rows (dicts) and the vocabularies of models/vocabulary.py.
"""
