"""Who held which post, when: position mentions of a whole news archive in one database.

`build` runs the pipeline over a corpus (text files, JSON lines, `.gz`, globs,
folders) and stores every (official, title, unit) mention with its provenance
in SQLite (`store.py`), resumably, and scores each (official, title, unit) row
(`scores.py`); `cluster.build_on_dask` does the same on a Dask cluster;
`ftm.export_ftm` writes the result as FollowTheMoney entities.
"""
from .mentions import Mention, doc_mentions
from ..corpus import Article, read_corpus
from .run import build
from .store import PositionStore

__all__ = ["Article", "Mention", "PositionStore", "build", "doc_mentions", "read_corpus"]
