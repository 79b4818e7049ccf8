"""The spending categories the sandbox labels its transactions with (contracts/nlu.md)."""

from __future__ import annotations

from typing import Final, Literal, get_args

Category = Literal[
    "groceries",
    "eating_out",
    "transport",
    "fuel",
    "housing",
    "utilities",
    "telecom",
    "insurance",
    "health",
    "shopping",
    "entertainment",
    "subscriptions",
    "travel",
    "cash",
    "income",
    "transfers",
    "fees",
    "education",
    "charity",
    "pets",
    "kids",
    "taxes",
    "other",
]

CATEGORIES: Final[tuple[Category, ...]] = get_args(Category)


def as_category(name: str) -> Category:
    """`name` as a `Category`; a `ValueError` if it is not one of the categories."""
    for category in CATEGORIES:
        if category == name:
            return category
    raise ValueError(f"not a category: {name!r}")
