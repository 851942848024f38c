"""From model to one frozen ResolvedRequest: variables, dynamic values, placeholders, URLs, auth."""
