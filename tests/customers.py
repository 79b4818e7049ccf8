"""Two customers in an empty database, for tests of what is kept per customer.

A plain helper (not a fixture), like `linked_customers`, so that tests in any folder can
use it: c-1 is Sanne de Vries (Dutch), c-2 Emily Carter (English).
"""

from __future__ import annotations

from kluis.store.customers import CustomerRepository
from kluis.store.database import Database


async def add_two_customers(database: Database) -> None:
    async with database.session() as session:
        customers = CustomerRepository(session)
        await customers.ensure("c-1", "Sanne de Vries", "nl")
        await customers.ensure("c-2", "Emily Carter", "en")
