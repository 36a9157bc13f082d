"""Bluetooth LE heart-rate straps and watches: discovery, connection, parsing, recording."""
