"""The house model: the demo house, JSON loading and validation, key semantics, generation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from vitrea_client import NodeType  # the client's table, as a cross-check

from vbox_simulator import House, HouseError, Key, Node, Room, generate_house, load_demo_house
from vbox_simulator.house import firmware_bytes, mac_bytes, model_key_count
from vbox_simulator.wire import NODE_MODELS, KeyCategory, KeyType, LEDBackgroundBrightness

HEBREW = range(0x0590, 0x0600)


def _hebrew(name: str) -> bool:
    return any(ord(c) in HEBREW for c in name)


def _minimal(**node: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 1,
        "type": "VT-MW3-SR1-10A",
        "mac": "00:0D:6F:00:00:00:00:01",
        "firmware": "7.93",
        "room": 0,
        "keys": [{"type": "toggle", "name": "a"}],
    }
    base.update(node)
    return {"rooms": [{"id": 0, "floor": 0, "name": "Room"}], "nodes": [base]}


def test_demo_house_is_a_realistic_israeli_house() -> None:
    house = load_demo_house()
    keys = [key for node in house.nodes for key in node.keys]
    assert len(house.rooms) >= 10
    assert len(house.nodes) >= 30
    assert len(keys) >= 100
    assert house.key_count == len(keys)
    assert (
        house.describe() == f"{len(house.rooms)} rooms, {len(house.nodes)} nodes, {len(keys)} keys"
    )
    room_names = {room.name for room in house.rooms}
    assert {"סלון", "מטבח", "חדר שינה הורים", "חדר ילדים", "חדר רחצה", "מרפסת"} <= room_names
    assert {"Garage", "Garden"} <= room_names
    types = {key.type for key in keys}
    assert {
        KeyType.DIMMER,
        KeyType.TOGGLE,
        KeyType.BOILER,
        KeyType.BLIND,
        KeyType.PUSH_BUTTON,
        KeyType.SATELLITE,
        KeyType.TOGGLE_SCENE,
        KeyType.DUAL_POLE,
    } <= types
    boilers = [key for key in keys if key.type is KeyType.BOILER]
    assert all(key.category is KeyCategory.BOILER for key in boilers)
    assert "דוד שמש" in {key.name for key in boilers}
    assert any("תריס" in key.name for key in keys if key.type is KeyType.BLIND)
    assert all(key.category is KeyCategory.LIGHT for key in keys if key.type is KeyType.DIMMER)
    assert sum(_hebrew(key.name) for key in keys) > len(keys) / 2
    assert any(key.on for key in keys)
    assert len({key.level for key in keys if key.is_dimmer and key.on}) >= 3
    firmwares = {node.firmware for node in house.nodes}
    assert "1.74" in firmwares
    assert any(f.startswith("7.") for f in firmwares)


def test_demo_house_models_have_their_number_of_keys() -> None:
    for node in load_demo_house().nodes:
        assert node.node_type in NODE_MODELS
        assert model_key_count(node.node_type) == len(node.keys), node.model
        assert [key.id for key in node.keys] == list(range(len(node.keys)))


def test_demo_house_file_round_trips() -> None:
    house = load_demo_house()
    assert House.from_dict(house.to_dict()) == house
    assert load_demo_house() is not load_demo_house()


def test_load_from_a_file(tmp_path) -> None:
    path = tmp_path / "house.json"
    path.write_text(json.dumps(_minimal(type=3, led=4, locked=True)), encoding="utf-8")
    house = House.load(path)
    node = house.node(1)
    assert node.model == "VT-MW3-SR3-10A"
    assert node.led is LEDBackgroundBrightness.MAX
    assert node.locked
    assert house.room(0).name == "Room"
    assert node.key(0) == Key(0, KeyType.TOGGLE, KeyCategory.UNDEFINED, "a")
    assert house.to_dict()["nodes"][0]["type"] == "VT-MW3-SR3-10A"


def test_unknown_node_type_is_kept_as_a_number() -> None:
    house = House.from_dict(_minimal(type=250))
    assert house.node(1).model == "Unknown-250"
    assert house.to_dict()["nodes"][0]["type"] == 250
    assert model_key_count(250) is None


def test_lookups_raise_key_error() -> None:
    house = load_demo_house()
    with pytest.raises(KeyError, match="no node 200"):
        house.node(200)
    with pytest.raises(KeyError, match="no room 99"):
        house.room(99)
    with pytest.raises(KeyError, match="node 1 has no key 8"):
        house.key(1, 8)
    with pytest.raises(KeyError):
        house.key(1, -1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rooms": []}, "list of rooms and a list of nodes"),
        ({"rooms": [{"id": i, "name": "r"} for i in range(256)], "nodes": []}, "at most 255"),
        (_minimal(id=256), "node id"),
        (_minimal(id=True), "node id"),
        (_minimal(type="VT-NOPE"), "unknown node model"),
        (_minimal(mac="00:0D:6F"), "mac"),
        (_minimal(firmware="7.9"), "firmware"),
        (_minimal(firmware="7.903"), "three version bytes"),
        (_minimal(firmware="300.12"), "three version bytes"),
        (_minimal(room=5), "unknown room 5"),
        (_minimal(locked="yes"), "locked"),
        (_minimal(led="dim"), "unknown LEDBackgroundBrightness"),
        (_minimal(keys=[]), "keys must be a list"),
        (_minimal(keys={"type": "toggle"}), "keys must be a list"),
        (_minimal(keys=[{"type": "toggle", "name": "a", "id": 3}]), "id must be its position"),
        (_minimal(keys=[{"type": "fan", "name": "a"}]), "unknown KeyType"),
        (_minimal(keys=[{"type": 99, "name": "a"}]), "unknown KeyType"),
        (_minimal(keys=[{"type": None, "name": "a"}]), "unknown KeyType"),
        (_minimal(keys=[{"type": "toggle", "category": "x", "name": "a"}]), "KeyCategory"),
        (_minimal(keys=[{"type": "toggle", "name": 5}]), "name"),
        (_minimal(keys=[{"type": "toggle", "name": "א" * 128}]), "at most 127"),
        (_minimal(keys=[{"type": "toggle", "name": "a", "on": 1}]), "on must be"),
        (_minimal(keys=[{"type": "dimmer", "name": "a", "level": 101}]), "level"),
        (
            {
                "rooms": [{"id": 0, "name": "a"}, {"id": 0, "name": "b"}],
                "nodes": [],
            },
            "duplicate room ids",
        ),
    ],
)
def test_invalid_houses_are_rejected(data: dict[str, Any], message: str) -> None:
    with pytest.raises(HouseError, match=message):
        House.from_dict(data)


def test_duplicate_nodes_are_rejected() -> None:
    data = _minimal()
    data["nodes"].append(dict(data["nodes"][0]))
    with pytest.raises(HouseError, match="duplicate node ids"):
        House.from_dict(data)


def test_types_by_number_and_name() -> None:
    data = _minimal(keys=[{"type": 5, "category": 1, "name": "d", "on": True, "level": 30}])
    key = House.from_dict(data).key(1, 0)
    assert key.type is KeyType.DIMMER
    assert key.category is KeyCategory.LIGHT
    assert (key.on, key.level) == (True, 30)


def test_firmware_and_mac_bytes() -> None:
    assert firmware_bytes("7.93") == (7, 9, 3)
    assert firmware_bytes("1.74") == (1, 7, 4)
    assert firmware_bytes("1.710") == (1, 7, 10)
    assert mac_bytes("00:0d:6f:00:0e:fb:96:21") == bytes.fromhex("000d6f000efb9621")


@pytest.mark.parametrize(
    ("node_type", "count"),
    [
        (NodeType.VT_MW4_SR4_ST4_10A, 8),
        (NodeType.VT_MW3_DM1_400W, 1),
        (NodeType.VT_MW3_DPS_16A, 1),
        (NodeType.VT_MW3_DM3_ST3_0_10V, 6),
        (NodeType.TemperatureSensor, None),
        (NodeType.VT_AW1_11003_T1B0S0_01, None),
    ],
)
def test_model_key_count(node_type: NodeType, count: int | None) -> None:
    assert model_key_count(node_type) == count


def _key(key_type: KeyType, **kwargs: Any) -> Key:
    return Key(0, key_type, KeyCategory.LIGHT, "k", **kwargs)


def test_dimmer_remembers_its_level() -> None:
    key = _key(KeyType.DIMMER)
    assert (key.on, key.level) == (False, 0)
    key.command(on=True)
    assert (key.on, key.level) == (True, 100)
    key.command(on=True, level=40)
    key.command(on=False, level=99)
    assert (key.on, key.level) == (False, 0)
    assert key.to_dict()["level"] == 40
    key.command(on=True)
    assert (key.on, key.level) == (True, 40)
    off = _key(KeyType.DIMMER_MW, level=55)
    assert (off.on, off.level, off.last_level) == (False, 0, 55)
    on = _key(KeyType.DIMMER, on=True)
    assert (on.on, on.level) == (True, 100)


def test_blind_position() -> None:
    key = _key(KeyType.BLIND, level=30)
    assert key.on
    key.command(on=False, level=50)
    assert (key.on, key.level) == (False, 0)
    key.command(on=True)
    assert (key.on, key.level) == (True, 100)
    key.command(on=True, level=25)
    assert (key.on, key.level) == (True, 25)
    assert _key(KeyType.BLIND_MW, on=True).level == 100


def test_switches_report_full_or_nothing() -> None:
    key = _key(KeyType.BOILER, level=70)
    assert (key.on, key.level) == (False, 0)
    key.command(on=True, level=30)
    assert (key.on, key.level) == (True, 100)
    with pytest.raises(HouseError):
        key.command(on=True, level=101)


def test_node_model_and_defaults() -> None:
    node = Node(
        id=3,
        node_type=NodeType.VT_MW3_SR3_10A,
        mac="00:00:00:00:00:00:00:03",
        firmware="7.93",
        room_id=0,
    )
    assert node.model == "VT-MW3-SR3-10A"
    assert node.led is LEDBackgroundBrightness.NORMAL
    assert not node.locked
    assert Room(1, 0, "r").to_dict() == {"id": 1, "floor": 0, "name": "r"}


def test_generate_house_is_deterministic_and_valid() -> None:
    house = generate_house(40, 8)
    assert house == generate_house(40, 8)
    assert len(house.nodes) == 40
    assert house.key_count == 320
    assert len(house.rooms) == 10
    assert House.from_dict(house.to_dict()) == house
    assert {node.model for node in house.nodes} == {"VT-MW4-SR4-ST4-10A"}
    assert generate_house(3, 3).node(1).model == "VT-MW3-SR3-10A"
    assert generate_house(1, 5).node(1).node_type == NodeType.VT_MW4_SR4_ST4_10A
    biggest = generate_house(255, 16)
    assert len(biggest.nodes) == 255


@pytest.mark.parametrize(("nodes", "keys"), [(0, 1), (256, 1), (1, 0), (1, 256)])
def test_generate_house_limits(nodes: int, keys: int) -> None:
    with pytest.raises(HouseError):
        generate_house(nodes, keys)
