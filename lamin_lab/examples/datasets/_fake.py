"""Made-up study titles with a biology vocabulary, to try search and lookup on.

Examples
--------
>>> from lamin_lab.examples.datasets import fake_bio_notebook_titles
>>> len(fake_bio_notebook_titles(n=3))
3
"""

from __future__ import annotations

import random

from ...errors import InvalidArgument

_VERBS = (
    "study",
    "investigate",
    "research",
    "result",
    "cluster",
    "rank",
    "candidate",
    "visualize",
    "efficiency",
    "classify",
)
_ORGANS = (
    "liver",
    "kidney",
    "heart",
    "lung",
    "spleen",
    "pancreas",
    "brain",
    "intestine",
    "intestinal",
)
_CELL_TYPES = (
    "T cell",
    "B cell",
    "hepatocyte",
    "macrophage",
    "monocyte",
    "neutrophil",
    "fibroblast",
    "erythrocyte",
    "keratinocyte",
    "natural killer cell",
    "dendritic cell",
    "platelet",
)
_ANTIBODY_ISOTYPES = (
    "IgA",
    "IgD",
    "IgE",
    "IgG",
    "IgM",
    "IgG1",
    "IgG2",
    "IgG3",
    "IgG4",
    "IgA1",
    "IgA2",
)
_WORDS = _VERBS + _ORGANS + _CELL_TYPES + _ANTIBODY_ISOTYPES


def fake_bio_notebook_titles(n: int = 100, seed: int | None = None) -> list[str]:
    """Return ``n`` made-up notebook titles: sentences of 4 to 8 biology words ending in a period.

    LaminDB builds these with the ``faker`` and ``faker-biology`` packages; lamin_lab draws from
    a built-in vocabulary (study verbs, organs, cell types, antibody isotypes) and needs neither.

    Parameters
    ----------
    n
        How many titles.
    seed
        Seed for the random choices, for the same titles on every call.

    Examples
    --------
    >>> from lamin_lab.examples.datasets import fake_bio_notebook_titles
    >>> titles = fake_bio_notebook_titles(n=2, seed=0)
    >>> titles == fake_bio_notebook_titles(n=2, seed=0), all(t.endswith(".") for t in titles)
    (True, True)
    """
    if not isinstance(n, int) or n < 0:
        raise InvalidArgument(
            f"n={n!r} is not a count of titles: pass a whole number >= 0, e.g. n=10."
        )
    rng = random.Random(seed)
    titles = []
    for _ in range(n):
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 8)))
        titles.append(sentence[0].upper() + sentence[1:] + ".")
    return titles


__all__ = ["fake_bio_notebook_titles"]
