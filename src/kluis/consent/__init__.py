"""Linking channel identities to customers, the consent lifecycle, the gate, the audit log."""
