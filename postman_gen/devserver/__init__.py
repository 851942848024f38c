"""Local servers for trying and testing requests: the echo server and its self-signed TLS."""
