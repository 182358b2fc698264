"""Repository checks: what hassfest and the HACS action would find (neither can run here).

Plain tests, no Home Assistant instance: they read the manifest, ``hacs.json``, the translation
files, ``services.yaml`` and ``icons.json``, and compare them with the code.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.entity import Entity

from custom_components.vitrea.compat import vol

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = ROOT / "custom_components"
INTEGRATION = COMPONENTS / "vitrea"
PACKAGE = "custom_components.vitrea"

MANIFEST_REQUIRED = {
    "domain",
    "name",
    "codeowners",
    "config_flow",
    "documentation",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "loggers",
    "requirements",
    "version",
}
HACS_KEYS = {
    "name",
    "homeassistant",
    "hacs",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "persistent_directory",
    "render_readme",
}
"""Every key HACS's ``hacs.json`` schema accepts; it rejects any other."""
VERSION_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]
"""The strategies Home Assistant's loader accepts for a custom integration's version."""

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
URL = re.compile(r"https?://|www\.", re.IGNORECASE)
HTML = re.compile(r"<\s*/?\s*[a-z!][^>]*>", re.IGNORECASE)
TRANSLATION_KEY = re.compile(r"^[a-z0-9_-]+$")


# -- helpers -----------------------------------------------------------------------------


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = _json(INTEGRATION / "manifest.json")
    return manifest


@cache
def _en() -> dict[str, Any]:
    english: dict[str, Any] = _json(INTEGRATION / "translations" / "en.json")
    return english


def _strings(tree: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """Every string of a translation tree by its key path."""
    if isinstance(tree, dict):
        found: dict[tuple[str, ...], str] = {}
        for key, value in tree.items():
            found.update(_strings(value, (*path, key)))
        return found
    assert isinstance(tree, str), f"{'.'.join(path)} is neither an object nor a string"
    return {path: tree}


def _keys(tree: Any, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every key path of a translation tree, objects included."""
    if not isinstance(tree, dict):
        return set()
    found: set[tuple[str, ...]] = set()
    for key, value in tree.items():
        found.add((*path, key))
        found |= _keys(value, (*path, key))
    return found


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _modules() -> list[Path]:
    """The integration's own modules (the protocol core has no translations)."""
    return sorted(INTEGRATION.glob("*.py"))


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _platforms() -> list[str]:
    integration = importlib.import_module(PACKAGE)
    return [str(platform) for platform in integration.PLATFORMS]


def _value_strings(node: ast.expr) -> set[str]:
    """The string literals an expression can evaluate to (not those it merely passes on)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.BoolOp):
        return set().union(*(_value_strings(value) for value in node.values))
    if isinstance(node, ast.IfExp):
        return _value_strings(node.body) | _value_strings(node.orelse)
    return set()


def _assigned_to(target: ast.expr, name: str) -> bool:
    return (isinstance(target, ast.Name) and target.id == name) or (
        isinstance(target, ast.Attribute) and target.attr == name
    )


def _assignments(path: Path, name: str) -> dict[str | None, list[ast.expr]]:
    """Values assigned to ``name`` (or ``self.name``) in a module, by enclosing class."""
    found: dict[str | None, list[ast.expr]] = {}

    def visit(node: ast.AST, cls: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            targets: list[ast.expr] = []
            if isinstance(child, ast.Assign):
                targets = child.targets
            elif isinstance(child, ast.AnnAssign) and child.value is not None:
                targets = [child.target]
            value = getattr(child, "value", None)
            if value is not None and any(_assigned_to(t, name) for t in targets):
                found.setdefault(cls, []).append(value)
            visit(child, cls)

    visit(_tree(path), None)
    return found


def _entity_classes(platform: str) -> list[type[Entity]]:
    module = importlib.import_module(f"{PACKAGE}.{platform}")
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Entity) and obj.__module__ == module.__name__
    ]


def _own_classes(cls: type) -> list[type]:
    """``cls`` and its ancestors that belong to the integration."""
    return [base for base in cls.__mro__ if base.__module__.startswith(PACKAGE)]


def _instance_values(cls: type, name: str) -> list[ast.expr]:
    """What the integration's classes in ``cls``'s ancestry assign to ``self.<name>``."""
    values: list[ast.expr] = []
    for base in _own_classes(cls):
        path = Path(importlib.import_module(base.__module__).__file__ or "")
        values.extend(_assignments(path, name).get(base.__qualname__, []))
    return values


def _class_value(cls: type[Entity], name: str) -> Any:
    """A class attribute as an instance sees it, before ``__init__`` has run.

    Home Assistant turns ``_attr_*`` class attributes into properties, so ``vars()`` does not
    show their values.
    """
    return getattr(cls.__new__(cls), name, None)


def _entity_translation_keys(cls: type[Entity]) -> set[str]:
    """The translation keys an entity class can use.

    The class attribute if one is set in its ancestry; otherwise the keys an ancestor's
    ``__init__`` assigns (such as the fallback of key entities without a name).
    """
    value = _class_value(cls, "_attr_translation_key")
    if isinstance(value, str):
        return {value}
    keys: set[str] = set()
    for value in _instance_values(cls, "_attr_translation_key"):
        keys |= _value_strings(value)
    return keys


def _entity_placeholders(cls: type[Entity]) -> set[str]:
    """The names of the placeholders an entity class fills in."""
    names: set[str] = set()
    for value in _instance_values(cls, "_attr_translation_placeholders"):
        if isinstance(value, ast.Dict):
            names |= {k.value for k in value.keys if isinstance(k, ast.Constant)}
    return names


def _descriptions(platform: str) -> list[Any]:
    """The entity descriptions a platform module holds in tuples (``NODE_SWITCHES``...)."""
    entity = importlib.import_module("homeassistant.helpers.entity")
    module = importlib.import_module(f"{PACKAGE}.{platform}")
    return [
        item
        for value in vars(module).values()
        if isinstance(value, tuple)
        for item in value
        if isinstance(item, entity.EntityDescription)
    ]


def _used_entity_translations() -> dict[tuple[str, str], set[str]]:
    """(platform, translation key) -> the placeholders its entities fill in."""
    used: dict[tuple[str, str], set[str]] = {}
    for platform in _platforms():
        for cls in _entity_classes(platform):
            for key in _entity_translation_keys(cls):
                used.setdefault((platform, key), set()).update(_entity_placeholders(cls))
        # So do the entity descriptions the module holds, and literal keys assigned anywhere
        # in the platform module.
        for description in _descriptions(platform):
            if isinstance(description.translation_key, str):
                used.setdefault((platform, description.translation_key), set())
        for values in _assignments(
            INTEGRATION / f"{platform}.py", "_attr_translation_key"
        ).values():
            for value in values:
                for key in _value_strings(value):
                    used.setdefault((platform, key), set())
    return used


def _calls(name: str) -> list[tuple[Path, ast.Call]]:
    """Every call of a function or method called ``name`` in the integration's modules."""
    return [
        (path, node)
        for path in _modules()
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    ]


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _used_exceptions() -> dict[str, set[str]]:
    """Exception translation key -> the placeholders given where it is raised."""
    used: dict[str, set[str]] = {}
    for path in _modules():
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.Call) or _keyword(node, "translation_domain") is None:
                continue
            key = _keyword(node, "translation_key")
            assert isinstance(key, ast.Constant), f"{path.name}: translation_key is not a literal"
            placeholders = _keyword(node, "translation_placeholders")
            names: set[str] = set()
            if isinstance(placeholders, ast.Dict):
                names = {k.value for k in placeholders.keys if isinstance(k, ast.Constant)}
            used.setdefault(key.value, set()).update(names)
    return used


def _resolve(module: Any, node: ast.expr) -> Any:
    """A literal, or a module-level name of ``module``."""
    if isinstance(node, ast.Constant):
        return node.value
    assert isinstance(node, ast.Name), ast.dump(node)
    return getattr(module, node.id)


def _field_name(call: ast.Call, module: Any) -> str:
    """The field of a ``vol.Required(...)`` or ``vol.Optional(...)`` marker."""
    assert call.args, ast.dump(call)
    return str(_resolve(module, call.args[0]))


# -- the repository ----------------------------------------------------------------------


def test_one_integration() -> None:
    """HACS manages exactly one integration per repository."""
    folders = [p.name for p in COMPONENTS.iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert folders == ["vitrea"]


def test_readme_and_licence_exist() -> None:
    """HACS shows the README and wants an OSI licence."""
    assert (ROOT / "README.md").is_file()
    assert (ROOT / "LICENSE").is_file()


def test_brand_images() -> None:
    """HACS wants ``brand/icon.png``; sizes follow the home-assistant/brands rules."""
    from PIL import Image  # noqa: PLC0415 - only this test needs Pillow

    brand = INTEGRATION / "brand"
    if not brand.is_dir():
        pytest.skip("no brand images yet")
    assert (brand / "icon.png").is_file()
    for path in sorted(brand.glob("*.png")):
        with Image.open(path) as image:
            width, height = image.size
        double = path.stem.endswith("@2x")
        if "icon" in path.stem:
            assert width == height == (512 if double else 256), path.name
        else:
            low, high = (256, 512) if double else (128, 256)
            assert low <= min(width, height) <= high, path.name


# -- manifest.json -----------------------------------------------------------------------


def test_manifest_keys_sorted() -> None:
    """hassfest: ``domain``, ``name``, then the other keys alphabetically."""
    keys = list(_manifest())
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_complete() -> None:
    manifest = _manifest()
    assert set(manifest) >= MANIFEST_REQUIRED
    assert "quality_scale" not in manifest, "custom integrations carry no quality_scale"
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "hub"
    assert manifest["iot_class"] == "local_push"
    assert manifest["codeowners"]
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    for key in ("documentation", "issue_tracker"):
        assert manifest[key].startswith("https://"), key
    assert manifest["loggers"]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==\S+", r) for r in manifest["requirements"])


def test_manifest_version() -> None:
    """Home Assistant refuses to load a custom integration without a valid version."""
    AwesomeVersion(_manifest()["version"], ensure_strategy=VERSION_STRATEGIES)


def test_manifest_domain() -> None:
    const = importlib.import_module(f"{PACKAGE}.const")
    assert _manifest()["domain"] == INTEGRATION.name == const.DOMAIN


def test_manifest_loggers_exist() -> None:
    """Each logger named in the manifest is a package of the integration."""
    for logger in _manifest()["loggers"]:
        importlib.import_module(logger)


# -- hacs.json ---------------------------------------------------------------------------


def test_hacs_json() -> None:
    hacs = _json(ROOT / "hacs.json")
    assert set(hacs) <= HACS_KEYS, set(hacs) - HACS_KEYS
    assert isinstance(hacs["name"], str)
    assert hacs["name"]
    if hacs.get("zip_release"):
        assert hacs.get("filename")
    AwesomeVersion(hacs["homeassistant"], ensure_strategy=VERSION_STRATEGIES)


def test_hacs_minimum_is_the_oldest_tested_release() -> None:
    """The minimum Home Assistant version is the oldest one the tests run against."""
    releases = (ROOT / "requirements" / "releases").read_text(encoding="utf-8")
    oldest = re.search(r"^oldest\s+\S+\s+(\S+)", releases, re.MULTILINE)
    assert oldest is not None
    assert _json(ROOT / "hacs.json")["homeassistant"] == oldest.group(1)


# -- translations ------------------------------------------------------------------------


def test_strings_equal_english() -> None:
    """Custom integrations load ``translations/en.json``; ``strings.json`` is its source."""
    assert _json(INTEGRATION / "strings.json") == _en()


def test_hebrew_has_the_english_keys() -> None:
    hebrew = _json(INTEGRATION / "translations" / "he.json")
    assert _keys(hebrew) == _keys(_en())


def test_hebrew_has_the_english_placeholders() -> None:
    english = _strings(_en())
    hebrew = _strings(_json(INTEGRATION / "translations" / "he.json"))
    for path, text in english.items():
        assert _placeholders(hebrew[path]) == _placeholders(text), ".".join(path)


NUMBER_FIELDS = frozenset(
    {"port", "host_port", "request_gap", "request_timeout", "heartbeat_interval"}
)
"""The config and options flows' fields with a number box."""


def test_hebrew_in_the_frontends_left_to_right_boxes_is_isolated() -> None:
    """The frontend lays out some boxes left to right whatever the language: the form errors
    (2026) and the help under a number field (2025.4). Their Hebrew is one right-to-left
    isolate (U+2067 ... U+2069), which reads right there and changes nothing where the box
    is right to left; no other text has one, nor has the English."""
    for path, text in _strings(_json(INTEGRATION / "translations" / "he.json")).items():
        boxed = path[1] == "error" or (path[-2] == "data_description" and path[-1] in NUMBER_FIELDS)
        isolated = text.startswith("\u2067") and text.endswith("\u2069")
        assert isolated == boxed, ".".join(path)
        assert text.count("\u2067") == text.count("\u2069") == int(boxed), ".".join(path)
    assert not any("\u2067" in text for text in _strings(_en()).values())


@pytest.mark.parametrize("name", ["strings.json", "translations/en.json", "translations/he.json"])
def test_translation_strings_are_clean(name: str) -> None:
    """hassfest: no surrounding spaces, no URLs, no HTML, valid placeholders and keys."""
    tree = _json(INTEGRATION / name)
    for path, text in _strings(tree).items():
        where = f"{name}: {'.'.join(path)}"
        assert text, where
        assert text == text.strip(), where
        assert not URL.search(text), where
        assert not HTML.search(text), where
        for placeholder in _placeholders(text):
            assert placeholder.isidentifier(), where
            assert f"'{{{placeholder}}}'" not in text, where
    for path in _keys(tree):
        assert TRANSLATION_KEY.match(path[-1]), f"{name}: {'.'.join(path)}"


def test_config_flow_fields_are_described() -> None:
    """Each step has a label and a description for every field, and nothing else."""
    for section in ("config", "options"):
        for step_id, step in _en()[section]["step"].items():
            where = f"{section}.step.{step_id}"
            assert set(step.get("data_description", {})) == set(step.get("data", {})), where


def test_config_flow_fields_are_translated() -> None:
    """Every schema field of the config and options flows has a label, and vice versa."""
    module = importlib.import_module(f"{PACKAGE}.config_flow")
    path = INTEGRATION / "config_flow.py"
    fields = {
        _field_name(call, module)
        for name in ("Required", "Optional")
        for p, call in _calls(name)
        if p == path
    }
    labelled = {
        field
        for section in ("config", "options")
        for step in _en()[section]["step"].values()
        for field in step.get("data", {})
    }
    assert fields == labelled


def test_config_flow_errors_and_aborts_are_translated() -> None:
    module = importlib.import_module(f"{PACKAGE}.config_flow")
    errors = {
        value
        for name, value in vars(module).items()
        if name.startswith("ERROR_") and isinstance(value, str)
    }
    assert errors == set(_en()["config"]["error"]) | set(_en()["options"]["error"])
    path = INTEGRATION / "config_flow.py"
    reasons = {
        _resolve(module, reason)
        for p, call in _calls("async_abort") + _calls("_abort_if_unique_id_mismatch")
        if p == path and (reason := _keyword(call, "reason")) is not None
    }
    # Reasons of Home Assistant's own helpers that the flow uses.
    reasons |= {"already_configured", "already_in_progress"}
    reasons |= {"reauth_successful", "reconfigure_successful"}
    assert reasons == set(_en()["config"]["abort"])


def test_selector_translations() -> None:
    """The protocol-version selector's options are translated."""
    vbox = importlib.import_module(f"{PACKAGE}.vbox")
    const = importlib.import_module(f"{PACKAGE}.const")
    selector = _en()["selector"]
    assert set(selector) == {const.CONF_PROTOCOL_VERSION}
    options = selector[const.CONF_PROTOCOL_VERSION]["options"]
    assert set(options) == {vbox.AUTO_VERSION, *(version.value for version in vbox.ProtocolVersion)}


def test_entity_translation_keys() -> None:
    """Every translation key of an entity exists under its platform, and every one is used."""
    used = _used_entity_translations()
    entity = _en()["entity"]
    translated = {(platform, key) for platform, keys in entity.items() for key in keys}
    assert set(entity) <= set(_platforms())
    assert set(used) - translated == set(), "used in the code, missing in en.json"
    assert translated - set(used) == set(), "in en.json, used by no entity"


def test_entity_name_placeholders() -> None:
    """An entity name uses only placeholders its entities fill in."""
    entity = _en()["entity"]
    for (platform, key), given in _used_entity_translations().items():
        name = entity[platform][key].get("name")
        if name is not None:
            assert _placeholders(name) <= given, f"entity.{platform}.{key}.name"


def test_event_types_are_translated() -> None:
    event = importlib.import_module(f"{PACKAGE}.event")
    states = _en()["entity"]["event"]["key_press"]["state_attributes"]["event_type"]["state"]
    assert set(states) == set(_class_value(event.VitreaKeyPressEvent, "_attr_event_types"))


def test_select_options_are_translated() -> None:
    select = importlib.import_module(f"{PACKAGE}.select")
    states = _en()["entity"]["select"]["backlight"]["state"]
    (backlight,) = (d for d in select.NODE_SELECTS if d.key == "backlight")
    assert set(states) == set(backlight.options)


def test_exception_translation_keys() -> None:
    """Raised exceptions use existing keys with their placeholders; every key is raised."""
    used = _used_exceptions()
    exceptions = _en()["exceptions"]
    assert set(used) == set(exceptions)
    for key, given in used.items():
        assert _placeholders(exceptions[key]["message"]) == given, f"exceptions.{key}"


# -- services.yaml -----------------------------------------------------------------------


def _services_yaml() -> dict[str, Any]:
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    assert isinstance(services, dict)
    return services


def test_services_are_translated() -> None:
    services = _services_yaml()
    translated = _en()["services"]
    assert set(services) == set(translated)
    for service, spec in services.items():
        assert set(spec.get("fields", {})) == set(translated[service].get("fields", {})), service
        assert translated[service]["name"]
        assert translated[service]["description"]


def _schema_markers(schema: Any) -> Any:
    """The markers of a schema: a dict's, a ``vol.Schema``'s, an entity service schema's."""
    while not isinstance(schema, dict):  # an entity service's schema wraps its fields
        schema = schema.validators[0] if isinstance(schema, vol.All) else schema.schema
    return schema


def test_services_are_registered() -> None:
    """Each service in services.yaml is registered in the code, with the same fields."""
    registered: dict[str, set[str]] = {}
    for path, call in _calls("async_register_entity_service") + _calls("async_register"):
        module = importlib.import_module(f"{PACKAGE}.{path.stem}")
        args = list(call.args)
        if isinstance(call.func, ast.Attribute) and call.func.attr == "async_register":
            args = args[1:2] + args[3:]  # the service and the schema, not domain or handler
        name = _resolve(module, args[0])
        schema = args[1] if len(args) > 1 else _keyword(call, "schema")
        fields: set[str] = set()
        if isinstance(schema, ast.Dict):
            for key in schema.keys:
                assert isinstance(key, ast.Call), ast.dump(schema)
                fields.add(_field_name(key, module))
        elif isinstance(schema, ast.Name):  # a schema defined in the module: its markers
            value = getattr(module, schema.id)
            markers = _schema_markers(value)
            targets = {
                str(marker.schema) for marker in _schema_markers(cv.make_entity_service_schema({}))
            }
            fields = {str(marker.schema) for marker in markers} - targets
        registered[name] = fields
    services = _services_yaml()
    assert set(registered) == set(services)
    for service, spec in services.items():
        assert registered[service] == set(spec.get("fields", {})), service


# -- icons.json --------------------------------------------------------------------------


def test_icons() -> None:
    icons = _json(INTEGRATION / "icons.json")
    assert set(icons) <= {"entity", "services"}
    entity = _en()["entity"]
    for platform, keys in icons.get("entity", {}).items():
        for key, spec in keys.items():
            assert key in entity.get(platform, {}), f"icons.json: entity.{platform}.{key}"
            assert spec["default"].startswith("mdi:")
            assert all(icon.startswith("mdi:") for icon in spec.get("state", {}).values())
    services = _services_yaml()
    for service, spec in icons.get("services", {}).items():
        assert service in services, f"icons.json: services.{service}"
        assert spec["service"].startswith("mdi:")


# -- protocol references -----------------------------------------------------------------

DOCS = ROOT / "docs"
SECTION_REFERENCE = re.compile(r"§(\d+(?:\.\d+)*)")
DOC_PATH = re.compile(r"docs/([\w.-]+\.md)")
MODULE_DOCSTRING = re.compile(r'\A\s*"""(.*?)"""', re.DOTALL)
SECTION_HEADING = re.compile(r"^#{2,6} (\d+(?:\.\d+)*)\.? ", re.MULTILINE)
REFERENCE_ROOTS = (COMPONENTS, ROOT / "vbox_simulator")


def _doc_sections(name: str) -> set[str] | None:
    """The section numbers of ``docs/<name>`` (``None`` if it does not exist)."""
    path = DOCS / name
    if not path.is_file():
        return None
    return set(SECTION_HEADING.findall(path.read_text(encoding="utf-8")))


def _module_document(text: str) -> list[str]:
    """The ``docs/`` file a module's docstring names first: where its ``§`` numbers are from."""
    docstring = MODULE_DOCSTRING.match(text)
    return DOC_PATH.findall(docstring.group(0))[:1] if docstring else []


def _broken_references(text: str) -> list[str]:
    """The ``§`` references of ``text`` that name no existing section of a ``docs/`` file.

    A reference belongs to the last ``docs/<name>.md`` before it on its line, or else on the
    nearest line above it in the same paragraph (no blank line between), or else to the first
    one its module docstring names.
    """
    broken = []
    lines = text.splitlines()
    module_document = _module_document(text)
    for number, line in enumerate(lines):
        for match in SECTION_REFERENCE.finditer(line):
            docs = DOC_PATH.findall(line[: match.start()])
            above = number - 1
            while not docs and above >= 0 and lines[above].strip():
                docs = DOC_PATH.findall(lines[above])
                above -= 1
            docs = docs or module_document
            sections = _doc_sections(docs[-1]) if docs else None
            if sections is None or match.group(1) not in sections:
                where = f"docs/{docs[-1]}" if docs else "no docs/ file"
                broken.append(f"line {number + 1}: §{match.group(1)} ({where})")
    return broken


def _referencing_files() -> list[Path]:
    return sorted(
        path
        for root in REFERENCE_ROOTS
        for path in root.rglob("*")
        if path.suffix in {".py", ".md"} and "__pycache__" not in path.parts
    )


def test_protocol_documents_number_their_sections() -> None:
    for name in ("vtu-protocol.md", "host-interface.md"):
        sections = _doc_sections(name)
        assert sections, name
        assert {str(n) for n in range(1, 9)} <= sections, name


def test_section_references_name_an_existing_section() -> None:
    broken = {
        str(path.relative_to(ROOT)): problems
        for path in _referencing_files()
        if (problems := _broken_references(path.read_text(encoding="utf-8")))
    }
    assert not broken


def test_section_reference_check_catches_a_bad_reference() -> None:
    assert _broken_references("(docs/vtu-protocol.md §3.1)") == []
    assert _broken_references("(docs/vtu-protocol.md\n§3.1, §4)") == []
    assert _broken_references("(docs/vtu-protocol.md §99)") == [
        "line 1: §99 (docs/vtu-protocol.md)"
    ]
    module = '"""A codec (docs/host-interface.md).\n\nLines (§3)."""\n\n\nX = 1  # §3.1, §99\n'
    assert _broken_references(module) == ["line 6: §99 (docs/host-interface.md)"]
    assert _broken_references("X = 1  # §3.1\n") == ["line 1: §3.1 (no docs/ file)"]
    assert _broken_references("(docs/nowhere.md §1)") == ["line 1: §1 (docs/nowhere.md)"]
    assert _broken_references("(the reference §2)") == ["line 1: §2 (no docs/ file)"]
    assert _broken_references("docs/vtu-protocol.md\n\n§3") == ["line 3: §3 (no docs/ file)"]
