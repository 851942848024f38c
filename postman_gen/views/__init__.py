"""Text views of a resolved request for people: the wire preview, JSON snapshots, secret masking."""
