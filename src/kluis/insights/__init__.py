"""Insights over a customer's figures: categorisation, recurring payments, summaries, charts."""
