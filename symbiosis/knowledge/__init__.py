"""The resource knowledge base: resources, families, substitution rules, transport and pipeline
parameters, emission factors, EWC and NACE codes — read from datasets/knowledge/ (every row sourced)."""

from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.knowledge.loader import load_knowledge_base

__all__ = ["KnowledgeBase", "load_knowledge_base"]
