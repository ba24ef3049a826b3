"""The operations console: an inventory of the AWS accounts and regions a deployment runs in.

Its own package, beside the footprint app, with the same layers inside:
`model.py` (the domain types), `catalogue.py` (what is collected), `collectors/` (boto3 reads per
service), `refresh.py` (accounts x regions x services on a bounded pool), `findings.py` (pure
rules over the stored inventory), `cost.py`, and the `api`/`web` parts served by `create_app`.
Storage is the `InventoryRepository` of the store Protocol, on both backends.
"""
