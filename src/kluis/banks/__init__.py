"""Reading banks: the connector protocol, the Berlin Group client, and the sync."""
