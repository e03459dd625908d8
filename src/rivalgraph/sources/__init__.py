"""Readers that turn each kind of input into :mod:`rivalgraph.records`."""
