"""Channels: one small adapter per platform behind a common base (`base.Channel`), the
webhook inbox and the worker that answers, and the messages Kluis starts."""
