"""Climate: the air conditioners and floor heating the vBox runs (over its host interface).

Each unit is a device of its own, under the hub and in its room, with its climate entity as
the device's main feature. What a unit offers follows its type (``ClimateInfo.type``):

====  ==============================  ===================
Type  Modes                           Fan speeds
====  ==============================  ===================
1     off, cool, heat, fan only       low, medium, high
2     off, cool, heat, fan only       low, medium, high, auto
3     off, cool, heat, fan only, auto none
4     off, heat (floor heating)       none
====  ==============================  ===================

A mode or fan speed the unit reports beyond its type's (dry, the top speed) is shown, and
offered, as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.climate import (
    ATTR_HVAC_MODE,
    FAN_AUTO,
    FAN_HIGH,
    FAN_LOW,
    FAN_MEDIUM,
    FAN_TOP,
    ClimateEntity,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .compat import NATIVE_CLIMATE_TEMPERATURES
from .coordinator import VitreaCoordinator
from .devices import async_register_climate_devices, climate_identifier
from .entity import HOST_INTERFACE, device_link, vitrea_action
from .vbox import ACFan, ACMode, Interface, TemperatureUnit

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import VitreaConfigEntry
    from .vbox import Climate

PARALLEL_UPDATES = 1  # one host connection, one command in flight

MODES = {
    ACMode.COOL: HVACMode.COOL,
    ACMode.HEAT: HVACMode.HEAT,
    ACMode.FAN: HVACMode.FAN_ONLY,
    ACMode.DRY: HVACMode.DRY,
    ACMode.AUTO: HVACMode.AUTO,
}
FANS = {
    ACFan.LOW: FAN_LOW,
    ACFan.MEDIUM: FAN_MEDIUM,
    ACFan.HIGH: FAN_HIGH,
    ACFan.TOP: FAN_TOP,
    ACFan.AUTO: FAN_AUTO,
}
ACTIONS = {
    ACMode.COOL: HVACAction.COOLING,
    ACMode.HEAT: HVACAction.HEATING,
    ACMode.FAN: HVACAction.FAN,
    ACMode.DRY: HVACAction.DRYING,
}
"""What a unit that is on does while its relay runs (in auto, it could be either way)."""

_AC_MODES = [HVACMode.OFF, HVACMode.COOL, HVACMode.HEAT, HVACMode.FAN_ONLY]
_SPEEDS = [FAN_LOW, FAN_MEDIUM, FAN_HIGH]
TYPES: dict[int, tuple[list[HVACMode], list[str]]] = {
    1: (_AC_MODES, _SPEEDS),
    2: (_AC_MODES, [*_SPEEDS, FAN_AUTO]),
    3: ([*_AC_MODES, HVACMode.AUTO], []),
    4: ([HVACMode.OFF, HVACMode.HEAT], []),
}
"""Each unit type's modes and fan speeds (docs/host-interface.md §5.3)."""

SETPOINTS = {TemperatureUnit.CELSIUS: (15, 30), TemperatureUnit.FAHRENHEIT: (60, 90)}
AC_MODES = {mode: ac_mode for ac_mode, mode in MODES.items()}
AC_FANS = {fan: ac_fan for ac_fan, fan in FANS.items()}
UNITS = {
    TemperatureUnit.CELSIUS: UnitOfTemperature.CELSIUS,
    TemperatureUnit.FAHRENHEIT: UnitOfTemperature.FAHRENHEIT,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: VitreaConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a climate entity, on a device of its own, for every unit of the vBox."""
    coordinator = entry.runtime_data
    # A topology kept from an entry's host-interface days may still list units.
    house = coordinator.house
    climates = house.climates.values() if Interface.HOST in house.interfaces else ()
    async_register_climate_devices(hass, coordinator.config_entry, coordinator.hub_id, climates)
    async_add_entities(VitreaClimate(coordinator, climate) for climate in climates)


class VitreaClimate(CoordinatorEntity[VitreaCoordinator], ClimateEntity):
    """An air conditioner or floor heating, the main feature of its device.

    Unavailable until the unit has reported its state, and while the host interface is down.
    """

    _attr_has_entity_name = True
    _attr_name = None
    _attr_target_temperature_step = 1

    def __init__(self, coordinator: VitreaCoordinator, climate: Climate) -> None:
        """Offer what the unit's type has."""
        super().__init__(coordinator)
        self.climate = climate
        identifier = climate_identifier(coordinator.hub_id, climate.climate_id)
        self._attr_unique_id = identifier
        self._attr_device_info = device_link(identifier)
        self._modes, self._fans = TYPES.get(climate.info.type, TYPES[1])
        self._attr_supported_features = (
            ClimateEntityFeature.TARGET_TEMPERATURE
            | ClimateEntityFeature.TURN_ON
            | ClimateEntityFeature.TURN_OFF
        )
        if self._fans:
            self._attr_supported_features |= ClimateEntityFeature.FAN_MODE

    async def async_added_to_hass(self) -> None:
        """Follow the unit's state."""
        await super().async_added_to_hass()
        self.async_on_remove(self.climate.on_change(self.async_write_ha_state))

    @property
    def available(self) -> bool:
        """The host interface is up and the unit has reported its state."""
        return (
            super().available
            and self.coordinator.serves(HOST_INTERFACE)
            and self.climate.state is not None
        )

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Off, or the mode the unit is in; unknown while it does not say."""
        state = self.climate.state
        if state is None:
            return None
        if not state.is_on:
            return HVACMode.OFF
        return None if state.mode is None else MODES.get(state.mode)

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """The type's modes, and the one the unit is in if the type has no such mode."""
        mode = self.hvac_mode
        return self._modes if mode is None or mode in self._modes else [*self._modes, mode]

    @property
    def hvac_action(self) -> HVACAction | None:
        """What the unit does: its relay runs (heating, cooling...) or not (idle)."""
        state = self.climate.state
        if state is None or (state.is_on and state.relay_on is None):
            return None
        if not state.is_on:
            return HVACAction.OFF
        if not state.relay_on:
            return HVACAction.IDLE
        return None if state.mode is None else ACTIONS.get(state.mode)

    @property
    def fan_mode(self) -> str | None:
        """The fan speed, for types that have fan speeds."""
        state = self.climate.state
        if not self._fans or state is None or state.fan is None:
            return None
        return FANS.get(state.fan)

    @property
    def fan_modes(self) -> list[str] | None:
        """The type's fan speeds, and the one the unit runs at if the type has no such one."""
        if not self._fans:
            return None
        fan = self.fan_mode
        return self._fans if fan is None or fan in self._fans else [*self._fans, fan]

    @property
    def _unit(self) -> TemperatureUnit:
        return self.climate.unit or TemperatureUnit.CELSIUS

    @property
    def native_temperature_unit(self) -> str:
        """The unit's own, Celsius until it reports one."""
        return UNITS[self._unit]

    @property
    def min_temp(self) -> float:
        """The lowest set-point, in the unit's unit."""
        return SETPOINTS[self._unit][0]

    @property
    def max_temp(self) -> float:
        """The highest set-point, in the unit's unit."""
        return SETPOINTS[self._unit][1]

    @property
    def native_current_temperature(self) -> float | None:
        """The temperature the unit measures."""
        state = self.climate.state
        return None if state is None else state.temperature

    @property
    def native_target_temperature(self) -> float | None:
        """The set-point."""
        state = self.climate.state
        return None if state is None else state.setpoint

    if not NATIVE_CLIMATE_TEMPERATURES:  # before 2026.11: the same values, by their old names
        temperature_unit = native_temperature_unit
        current_temperature = native_current_temperature
        target_temperature = native_target_temperature

    @vitrea_action
    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Switch off, or into a mode (switching on)."""
        if hvac_mode == HVACMode.OFF:
            await self.climate.turn_off()
        else:
            await self.climate.set_mode(AC_MODES[hvac_mode])

    @vitrea_action
    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the set-point (whole degrees), and the mode if one is given."""
        if (hvac_mode := kwargs.get(ATTR_HVAC_MODE)) is not None:
            await self.async_set_hvac_mode(hvac_mode)
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is not None:
            await self.climate.set_setpoint(round(temperature))

    @vitrea_action
    async def async_set_fan_mode(self, fan_mode: str) -> None:
        """Set the fan speed."""
        await self.climate.set_fan(AC_FANS[fan_mode])

    @vitrea_action
    async def async_turn_on(self) -> None:
        """Switch on, as the unit was set."""
        await self.climate.turn_on()

    @vitrea_action
    async def async_turn_off(self) -> None:
        """Switch off."""
        await self.climate.turn_off()
