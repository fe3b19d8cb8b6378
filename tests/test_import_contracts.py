"""The import contract: the foundation knows no capability, and ``domain/`` knows no Django.

A capability (care, and the ones to come) is added by its own folder and one line in ``INSTALLED_APPS``;
that holds only while no foundation module reaches into a capability, not by a direct import, not through a
chain of imports, not by an import inside a function, and no foundation template names a capability's URLs
or templates.  The foundation finds capabilities through their declarations (``apps/core/capabilities.py``,
each app's ``rules.py``).  The capabilities are computed (every package under ``apps/`` that is not
foundation), so a new one is covered without touching this file.  ``cityofpeople/`` is the project: it
may import any app.  No database: the graph is read from the source by grimp.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
FOUNDATION = ("core", "access", "people", "places", "organisations")
URL_TAG = re.compile(r"""\{%-?\s*url\s+["'](?P<name>[\w-]+):""")
TEMPLATE_TAG = re.compile(r"""\{%-?\s*(?:include|extends)\s+["'](?P<name>[\w-]+)/""")
APP_NAME = re.compile(r"""^app_name\s*=\s*["'](?P<name>[\w-]+)["']""", re.MULTILINE)


def capability_apps(apps_dir: Path, foundation: Iterable[str] = FOUNDATION) -> list[str]:
    """Every package under ``apps/`` that is not foundation."""
    return sorted(
        path.name for path in apps_dir.iterdir() if (path / "__init__.py").is_file() and path.name not in foundation
    )


def foundation_arrows(
    graph: grimp.ImportGraph, root: str, foundation: Iterable[str], capabilities: list[str]
) -> list[str]:
    """Each import chain from a foundation module to a capability module, as ``a -> b -> c``."""
    arrows = []
    for base in foundation:
        for capability in capabilities:
            chains = graph.find_shortest_chains(
                importer=f"{root}.{base}", imported=f"{root}.{capability}", as_packages=True
            )
            arrows += [" -> ".join(chain) for chain in chains]
    return sorted(arrows)


def capability_names(apps_dir: Path, capability: str) -> tuple[set[str], set[str]]:
    """A capability's URL namespaces (its ``app_name``, else its folder) and its template folders."""
    folder = apps_dir / capability
    urls = folder / "urls.py"
    found = APP_NAME.search(urls.read_text(encoding="utf-8")) if urls.is_file() else None
    namespaces = {found["name"] if found else capability}
    templates = folder / "templates"
    template_folders = {path.name for path in templates.iterdir() if path.is_dir()} if templates.is_dir() else set()
    return namespaces, template_folders


def template_arrows(apps_dir: Path, foundation: Iterable[str], capabilities: list[str]) -> list[str]:
    """Each place in a foundation template that names a capability's URL or template, as ``file:line: tag``."""
    namespaces: dict[str, str] = {}
    folders: dict[str, str] = {}
    for capability in capabilities:
        own_namespaces, own_folders = capability_names(apps_dir, capability)
        namespaces.update(dict.fromkeys(own_namespaces, capability))
        folders.update(dict.fromkeys(own_folders, capability))
    arrows = []
    for base in foundation:
        for path in sorted((apps_dir / base / "templates").rglob("*")):
            if not path.is_file():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                named = [(m, namespaces) for m in URL_TAG.finditer(line)] + [
                    (m, folders) for m in TEMPLATE_TAG.finditer(line)
                ]
                for match, names in named:
                    if match["name"] in names:
                        where = path.relative_to(apps_dir.parent)
                        arrows.append(f"{where}:{number}: {match.group(0)}… ({names[match['name']]})")
    return arrows


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("apps", "domain", "cityofpeople", include_external_packages=True, cache_dir=None)


def test_the_foundation_imports_no_capability(graph: grimp.ImportGraph) -> None:
    capabilities = capability_apps(ROOT / "apps")
    assert f"apps.{FOUNDATION[0]}.capabilities" in graph.modules, "the graph holds the foundation"
    assert "care" in capabilities, "the contract is not vacuous: care is a capability"
    assert all(f"apps.{app}" in graph.modules for app in capabilities), "the graph holds every capability"
    arrows = foundation_arrows(graph, "apps", FOUNDATION, capabilities)
    assert not arrows, "the foundation reaches into a capability (declare it in the capability instead):\n" + "\n".join(
        arrows
    )


def test_domain_imports_neither_django_nor_the_apps(graph: grimp.ImportGraph) -> None:
    arrows = sorted(
        " -> ".join(chain)
        for imported in ("django", "apps", "cityofpeople")
        for chain in graph.find_shortest_chains(importer="domain", imported=imported, as_packages=True)
    )
    assert not arrows, "domain/ is plain Python:\n" + "\n".join(arrows)


def test_no_foundation_template_names_a_capability() -> None:
    arrows = template_arrows(ROOT / "apps", FOUNDATION, capability_apps(ROOT / "apps"))
    assert not arrows, "a foundation template names a capability's URL or template:\n" + "\n".join(arrows)


def test_the_contract_sees_lazy_imports_chains_and_template_tags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks above would pass on a graph that sees nothing: here they must catch a made-up project's arrows."""
    apps = tmp_path / "contract_apps"
    files = {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/menu.py": "def entries():\n    from contract_apps.shop import urls\n    return urls\n",
        "people/__init__.py": "",
        "people/views.py": "from contract_apps.places import where\n",
        "places/__init__.py": "",
        "places/where.py": "import contract_apps.shop.models\n",
        "shop/__init__.py": "",
        "shop/models.py": "",
        "shop/urls.py": 'app_name = "basket"\n',
        "shop/templates/shop/panel.html": "",
        "core/templates/base.html": '<a href="{% url \'places:list\' %}">\n{% url "basket:checkout" %}\n',
        "people/templates/people/me.html": "{% include 'shop/panel.html' %}\n",
    }
    for name, text in files.items():
        (apps / name).parent.mkdir(parents=True, exist_ok=True)
        (apps / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    foundation = ("core", "people", "places")
    capabilities = capability_apps(apps, foundation)
    assert capabilities == ["shop"]
    made_up = grimp.build_graph("contract_apps", cache_dir=None)
    assert foundation_arrows(made_up, "contract_apps", foundation, capabilities) == [
        "contract_apps.core.menu -> contract_apps.shop.urls",
        "contract_apps.people.views -> contract_apps.places.where -> contract_apps.shop.models",
        "contract_apps.places.where -> contract_apps.shop.models",
    ]
    assert template_arrows(apps, foundation, capabilities) == [
        """contract_apps/core/templates/base.html:2: {% url "basket:… (shop)""",
        """contract_apps/people/templates/people/me.html:1: {% include 'shop/… (shop)""",
    ]
