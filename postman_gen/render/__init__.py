"""Code generation: Jinja environment, templates and the escaping filters they use."""
