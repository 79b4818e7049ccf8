"""Alerts: what is worth telling a customer on their own (fraud, balances, charges), the
rules they choose in chat, and delivering it to them with quiet hours and a daily limit."""
