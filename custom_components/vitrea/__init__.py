"""The Vitrea integration for Home Assistant."""
