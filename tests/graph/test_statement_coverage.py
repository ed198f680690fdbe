"""Every Cypher statement of `symbiosis.graph.queries` ran on every engine during this session.

The statements are those the repository actually sent (recorded from `symbiosis.graph.session`'s
DEBUG trace by tests/graph_engines.py), matched by text against `queries.catalogue()`. This test is
moved to the end of the session (conftest) and needs the whole graph suite to have run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graph_engines import GRAPH_ENGINES, RECORDER, skip_unless_engine_available

from symbiosis.graph import GraphRepository
from symbiosis.graph import queries as q

pytestmark = pytest.mark.graph

GRAPH_TESTS = Path(__file__).parent


def _whole_graph_suite_ran(request: pytest.FixtureRequest) -> bool:
    opt = request.config.option
    if opt.keyword or opt.markexpr or getattr(opt, "deselect", None):
        return False
    ran = {Path(str(item.path)).name for item in request.session.items}
    return {p.name for p in GRAPH_TESTS.glob("test_*.py")} <= ran


@pytest.mark.parametrize("engine", GRAPH_ENGINES)
def test_every_statement_ran_on_the_engine(engine: str, request: pytest.FixtureRequest) -> None:
    skip_unless_engine_available(engine)
    if not _whole_graph_suite_ran(request):
        pytest.skip("statement coverage needs the whole graph suite in the session (pytest tests/graph)")
    sent = {text for eng, text in RECORDER.seen if eng == engine}
    missing = sorted(name for name, text in q.catalogue().items() if text not in sent)
    assert missing == [], f"never executed on {engine}: {missing}"


def test_the_recorder_sees_what_is_sent_and_where(
    graph: GraphRepository, request: pytest.FixtureRequest
) -> None:
    """The check above is only as good as the recording: a statement sent now is recorded under
    this store's engine, and one never sent is not recorded at all."""
    engine = request.node.callspec.params["store"]
    marker = f"RETURN 'recorder probe on {request.node.name}' AS probe"
    assert all(text != marker for _, text in RECORDER.seen)
    graph.read(marker)
    if engine in GRAPH_ENGINES:
        assert (engine, marker) in RECORDER.seen
