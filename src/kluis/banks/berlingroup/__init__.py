"""The Berlin Group NextGenPSD2 account-information connector."""
