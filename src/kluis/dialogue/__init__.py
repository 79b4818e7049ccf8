"""Conversations: state, follow-ups, one handler module per intent family, replies in nl and en."""
