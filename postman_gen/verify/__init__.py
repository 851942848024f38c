"""``postman-gen verify``: generated code, executed against the local echo server, compared with ``run``."""
