"""Deployment tooling: the template's generated DynamoDB part and the web-asset upload."""
