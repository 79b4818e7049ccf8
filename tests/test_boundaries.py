"""One gate for bank data (DESIGN.md, principle 1), checked on the source itself.

Every module under src/kluis is parsed with `ast`. Only the bank layer, the wiring, the
consent package (the gate, linking, the lifecycle), the operator commands that run a sync
and the sandbox bank may import the bank connectors. The parts that answer customers
(dialogue, web, nlu, insights, channels) may not reach stored accounts, balances or
transactions except through the gate, nor reach the bank through the runtime.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import kluis

SOURCE = Path(kluis.__file__).parent

BANK_CONNECTORS = ("kluis.banks.berlingroup", "kluis.banks.connector", "kluis.banks.sync")
ALLOWED_TO_REACH_THE_BANK = (
    "kluis.banks",
    "kluis.runtime",
    "kluis.consent",
    "kluis.cli.sync",
    "kluis.cli.demo",
    "kluis.sandbox",
    "kluis.alerts.rounds",  # the gateway's own periodic sync, as `kluis sync` does it
)
BANK_DATA_REPOSITORIES = ("kluis.store.accounts", "kluis.store.transactions")
ANSWERING_CUSTOMERS = (
    "kluis.dialogue",
    "kluis.web",
    "kluis.nlu",
    "kluis.insights",
    "kluis.channels",
)
# Attributes of the runtime that lead to the bank without the gate.
BANK_HANDLES = frozenset({"syncer", "bank"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (_module_name(path), ast.parse(path.read_text(), filename=str(path)))
        for path in sorted(SOURCE.rglob("*.py"))
    ]


MODULES = _modules()


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an import-from names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module.split(".")
    is_package = (SOURCE.parent / Path(*package) / "__init__.py").exists()
    base = package if is_package else package[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported(module: str, tree: ast.Module) -> Iterator[str]:
    """Every module `tree` imports, or names in a string (importlib, lazy imports)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            yield source
            yield from (f"{source}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("kluis.")
        ):
            yield node.value


def test_the_source_tree_is_what_the_checks_read() -> None:
    names = {name for name, _ in MODULES}
    assert {"kluis.consent.gate", "kluis.dialogue.engine", "kluis.banks.sync"} <= names
    assert len(names) > 50


@pytest.mark.parametrize(
    ("module", "tree"),
    [(m, t) for m, t in MODULES if not _within(m, ALLOWED_TO_REACH_THE_BANK)],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_only_the_gate_and_the_bank_layer_import_bank_connectors(
    module: str, tree: ast.Module
) -> None:
    reached = sorted({name for name in imported(module, tree) if _within(name, BANK_CONNECTORS)})
    assert not reached, f"{module} imports {reached}: bank data goes through the gate"


@pytest.mark.parametrize(
    ("module", "tree"),
    [(m, t) for m, t in MODULES if _within(m, ANSWERING_CUSTOMERS)],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_what_answers_customers_reads_bank_data_only_through_the_gate(
    module: str, tree: ast.Module
) -> None:
    reached = sorted(
        {name for name in imported(module, tree) if _within(name, BANK_DATA_REPOSITORIES)}
    )
    assert not reached, f"{module} reads {reached} itself instead of asking the gate"
    handles = sorted(
        {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in BANK_HANDLES
        }
    )
    assert not handles, f"{module} reaches the bank through runtime.{handles}"


def test_the_checks_catch_every_way_of_importing() -> None:
    samples = {
        "from kluis.banks.sync import Syncer": "kluis.banks.sync",
        "import kluis.banks.berlingroup.client": "kluis.banks.berlingroup",
        "from kluis.banks import connector": "kluis.banks.connector",
        "from ..banks.sync import Syncer": "kluis.banks.sync",
        "importlib.import_module('kluis.banks.connector')": "kluis.banks.connector",
    }
    for source, target in samples.items():
        found = list(imported("kluis.dialogue.engine", ast.parse(source)))
        assert any(_within(name, (target,)) for name in found), source
    allowed = "from kluis.consent.gate import DataRequest, Presence"
    through_the_gate = imported("kluis.dialogue.engine", ast.parse(allowed))
    assert not any(_within(name, BANK_CONNECTORS) for name in through_the_gate)
