"""Factor catalogue use cases: keep the store in step with the packaged data, search, resolve."""

from __future__ import annotations

from collections.abc import Callable

from carbontrack.datasets import PACKAGED_DATASETS, Catalogue, load_catalogue
from carbontrack.datasets.countries import load_country_regions
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.electricity import GRID_LOCAL_FACTOR_ID, resolve_grid_factor
from carbontrack.domain.errors import InvalidInput, NotFound
from carbontrack.domain.models import Factor, User
from carbontrack.store.base import Store


def sync_catalogue(*, store: Store, load: Callable[[], Catalogue] = load_catalogue) -> list[str]:
    """Load every packaged dataset whose checksum the store does not have yet; return their ids.

    The check is one read of the packaged datasets' checksums by key. The data files are read
    (and verified) only when a dataset needs loading, so a start on an up-to-date store, such
    as every Lambda cold start after the first, reads none of them.
    """
    loaded = store.factors.checksums([d.dataset_id for d in PACKAGED_DATASETS])
    changed = [d.dataset_id for d in PACKAGED_DATASETS if loaded.get(d.dataset_id) != d.sha256]
    if changed:
        catalogue = load()
        for dataset in catalogue.datasets:
            if dataset.dataset_id in changed:
                factors = catalogue.factors_of(dataset.dataset_id)
                store.factors.replace_dataset(dataset, factors)
    return changed


def check_category(category: str | None) -> None:
    """`InvalidInput` unless the category is one we know."""
    if category is not None and category not in CATEGORIES:
        raise InvalidInput(
            f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}",
            field="category",
        )


def search(
    *,
    store: Store,
    q: str = "",
    category: str | None = None,
    region: str | None = None,
    limit: int = 20,
) -> list[Factor]:
    """Factors whose id or activity contain every word of `q`, best matches first."""
    check_category(category)
    words = q.lower().split()
    categories = [category] if category else list(CATEGORIES)
    hits: list[tuple[int, Factor]] = []
    region = region.lower() if region else None
    # Runs for each of the ~1,200 factors per search: plain loops, no generators (issue 18).
    for cat in categories:
        for factor in store.factors.list_by_category(cat):
            if region and factor.region.lower() != region:
                continue
            haystack = f"{factor.activity} {factor.factor_id} {factor.category}".lower()
            if _contains_all(haystack, words):
                hits.append((_rank(factor, words), factor))
    hits.sort(key=lambda hit: (hit[0], hit[1].activity))
    return [factor for _, factor in hits[:limit]]


def _contains_all(text: str, words: list[str]) -> bool:
    # Not all() over a generator: creating the generator is most of the cost here.
    for word in words:  # noqa: SIM110
        if word not in text:
            return False
    return True


def _rank(factor: Factor, words: list[str]) -> int:
    """Lower is better: activity starts with the query, then activity mentions it, then id only."""
    activity = factor.activity.lower()
    if words and activity.startswith(words[0]):
        return 0
    return 1 if _contains_all(activity, words) else 2


def get(*, store: Store, factor_id: str) -> Factor:
    """One factor; `NotFound` if the id is unknown."""
    factor = store.factors.get(factor_id)
    if factor is None:
        raise NotFound(f"unknown factor {factor_id!r}")
    return factor


def resolve_for_user(*, store: Store, factor_id: str, user: User) -> tuple[Factor, tuple[str, ...]]:
    """The concrete factor for a user: 'grid electricity in my country' follows the profile."""
    if factor_id == GRID_LOCAL_FACTOR_ID:
        return resolve_grid_factor(
            user.country, store.factors.get, countries=load_country_regions()
        )
    factor = store.factors.get(factor_id)
    if factor is None:
        raise InvalidInput(f"unknown factor {factor_id!r}", field="factorId")
    return factor, ()
