"""rivalgraph: a competitive-tracking knowledge graph of the AI industry.

Importing the package is instant; the heavy parts load when first used::

    import rivalgraph
    rg = rivalgraph.open()          # the built graph of the project you are in
    rg.frame("chip-orders")         # a named question, as a pandas DataFrame
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["open", "RivalGraph", "__version__"]


def open(project=None, **kwargs):  # noqa: A001 - mirrors the builtin on purpose
    """Open a rivalgraph graph (see :meth:`rivalgraph.api.RivalGraph.open`)."""
    from .api import RivalGraph

    return RivalGraph.open(project, **kwargs)


def __getattr__(name: str):
    if name == "RivalGraph":
        from .api import RivalGraph

        return RivalGraph
    raise AttributeError(name)
