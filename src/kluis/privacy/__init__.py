"""Channel trust levels, masking, log redaction, export and erasure."""
