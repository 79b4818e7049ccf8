"""The gateway's web side: the app factory, the web chat, consent pages; templates and static."""
