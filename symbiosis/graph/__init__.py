"""The graph store: the only part of symbiosis that speaks Cypher.

`open_graph()` yields a `GraphRepository` over the embedded ArcadeDB server (default) or a Neo4j 5
server (``SYMBIOSIS_NEO4J_URI``). See docs/GRAPH_MODEL.md for the model.
"""

from symbiosis.graph.connection import open_graph
from symbiosis.graph.reads import Declarations, SiteDistance
from symbiosis.graph.repository import GraphRepository

__all__ = ["Declarations", "GraphRepository", "SiteDistance", "open_graph"]
