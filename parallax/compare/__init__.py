"""Coverage comparison: what two (or more) sources share, paraphrase, or carry alone.

Public API (the team contract):
- `compare_articles(a, b) -> Comparison` (`.to_dict()` is the `parallax compare --json`
  document),
- `similarity(a, b) -> (score, same)` for two sentences,
- `parallax.compare.stories.update_stories(lib, new_ids)`,
- `parallax.compare.matrix.story_matrix(articles) -> StoryMatrix`.
"""

from __future__ import annotations

from parallax.compare.align import compare_articles
from parallax.compare.matcher import similarity
from parallax.compare.types import Comparison

__all__ = ["Comparison", "compare_articles", "similarity"]
