"""Events: what happened, stored in the outbox and dispatched to subscribers."""
