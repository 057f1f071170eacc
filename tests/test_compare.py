"""Tests for decompose.compare: MoJo, MoJoFM, ARI, moves and expected-domain files."""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from decompose.compare import (
    Comparison,
    ExpectedDomains,
    Move,
    adjusted_rand_index,
    compare_partitions,
    load_expected,
    mojo,
    mojofm,
    moves_needed,
)

Partition = frozenset[frozenset[str]]


def _clustering(**clusters: str) -> dict[str, str]:
    """Build object -> cluster from cluster="obj obj obj" keywords."""
    return {obj: name for name, objs in clusters.items() for obj in objs.split()}


# --- (1) identical partitions ------------------------------------------------------------


def test_identical_partitions() -> None:
    a = _clustering(x="m1 m2 m3", y="m4 m5", z="m6")
    assert mojo(a, a) == 0
    assert mojofm(a, a) == 1.0
    assert adjusted_rand_index(a, a) == 1.0
    assert moves_needed(a, a) == ()


def test_identical_up_to_renaming() -> None:
    a = _clustering(x="m1 m2 m3", y="m4 m5", z="m6")
    b = _clustering(orders="m1 m2 m3", books="m4 m5", users="m6")
    assert mojo(a, b) == mojo(b, a) == 0
    assert mojofm(a, b) == 1.0
    assert adjusted_rand_index(a, b) == 1.0
    assert moves_needed(a, b) == ()


# --- (2) two clusters against three, eight objects -----------------------------------------
#
# A: A1 = {1 2 3 4}, A2 = {5 6 7 8}          B: B1 = {1 2 3}, B2 = {4 5 6}, B3 = {7 8}
#
# Contingency (rows A, columns B):     B1 B2 B3
#                                  A1   3  1  0
#                                  A2   0  2  2
#
# mno(A, B): A1's largest overlap is B1 (3); A2's is B2 or B3 (2 each). Matching A1-B1, A2-B2
#   gives g = 2 groups. Moves = n - sum of the maxima = 8 - (3 + 2) = 3; joins = l_A - g = 0.
#   mno = 3 (move 4 to A2, then 7 to a new cluster and 8 after it).
# max mno(any, B): B's sizes ascending 2, 3, 3 -> g counts 1 (2 > 0), 2 (3 > 1), 3 (3 > 2);
#   max = n - g = 8 - 3 = 5. MoJoFM(A, B) = 1 - 3/5 = 0.4.
# mno(B, A): B1 -> A1 (3), B2 -> A2 (2), B3 -> A2 (2); matching B1-A1, B2-A2, B3 unmatched,
#   g = 2. Moves = 8 - (3 + 2 + 2) = 1 (object 4); joins = 3 - 2 = 1 (B2 with B3). mno = 2.
# max mno(any, A): A's sizes 4, 4 -> g = 2, max = 8 - 2 = 6. MoJoFM(B, A) = 1 - 2/6 = 2/3.
# ARI: sum C(n_ij, 2) = C(3,2) + C(2,2) + C(2,2) = 3 + 1 + 1 = 5;
#   rows: C(4,2) * 2 = 12; columns: C(3,2) + C(3,2) + C(2,2) = 7; C(8,2) = 28.
#   expected = 12 * 7 / 28 = 3; mean = (12 + 7) / 2 = 9.5; ARI = (5 - 3) / (9.5 - 3) = 4/13.

A_2V3 = _clustering(A1="o1 o2 o3 o4", A2="o5 o6 o7 o8")
B_2V3 = _clustering(B1="o1 o2 o3", B2="o4 o5 o6", B3="o7 o8")


def test_two_versus_three_clusters() -> None:
    assert mojo(A_2V3, B_2V3) == 3
    assert mojofm(A_2V3, B_2V3) == pytest.approx(0.4)
    assert mojo(B_2V3, A_2V3) == 2
    assert mojofm(B_2V3, A_2V3) == pytest.approx(2 / 3)
    assert adjusted_rand_index(A_2V3, B_2V3) == pytest.approx(4 / 13)
    assert adjusted_rand_index(B_2V3, A_2V3) == pytest.approx(4 / 13)


def test_two_versus_three_moves() -> None:
    # A1 goes to B1, so o4 moves; A2 ties between B2 and B3 (2 each): whichever it keeps, the
    # two objects of the other move. The sorted-name matching keeps B2.
    assert moves_needed(A_2V3, B_2V3) == (
        Move("o4", "A1", "B2"),
        Move("o7", "A2", "B3"),
        Move("o8", "A2", "B3"),
    )
    # B -> A: B1 and B2 go to A1 and A2 and B3 joins B2, so only o4 moves.
    assert moves_needed(B_2V3, A_2V3) == (Move("o4", "B2", "A1"),)


# --- (3) all in one cluster against all singletons -----------------------------------------
#
# n = 5. One -> singletons: the one cluster overlaps each singleton by 1, g = 1, moves = 5 - 1
#   = 4, joins = 0; mno = 4. B's sizes are 1,1,1,1,1 -> g = 1, max = 5 - 1 = 4, MoJoFM = 0.
# Singletons -> one: each singleton overlaps the one cluster by 1, g = 1, moves = 5 - 5 = 0,
#   joins = 5 - 1 = 4; mno = 4. B's sizes are 5 -> g = 1, max = 4, MoJoFM = 0.
# ARI: every n_ij is 1 so the index is 0; columns (or rows) of singletons give 0 pairs, so the
#   expected index is 0 too, and mean = C(5,2) / 2 = 5: ARI = (0 - 0) / (5 - 0) = 0.

ONE = _clustering(all="s1 s2 s3 s4 s5")
SINGLETONS = {f"s{i}": f"c{i}" for i in range(1, 6)}


def test_one_cluster_to_singletons() -> None:
    assert mojo(ONE, SINGLETONS) == 4
    assert mojofm(ONE, SINGLETONS) == 0.0
    assert len(moves_needed(ONE, SINGLETONS)) == 4


def test_singletons_to_one_cluster() -> None:
    assert mojo(SINGLETONS, ONE) == 4
    assert mojofm(SINGLETONS, ONE) == 0.0
    assert moves_needed(SINGLETONS, ONE) == ()  # joins only


def test_one_cluster_and_singletons_ari() -> None:
    assert adjusted_rand_index(ONE, SINGLETONS) == 0.0
    assert adjusted_rand_index(SINGLETONS, ONE) == 0.0


def test_degenerate_identical_partitions_ari() -> None:
    assert adjusted_rand_index(ONE, ONE) == 1.0
    assert adjusted_rand_index(SINGLETONS, SINGLETONS) == 1.0
    assert adjusted_rand_index({"a": "x"}, {"a": "y"}) == 1.0
    assert adjusted_rand_index({}, {}) == 1.0


# --- (4) greedy tag assignment is wrong, the matching is right ----------------------------
#
# A: x = {a1 a2 a3 a4}, y = {a5 a6}            B: p = {a1 a2 a5 a6}, q = {a3 a4}
# x overlaps p by 2 and q by 2 (tie); y overlaps p by 2.
# Greedy (each cluster takes its best tag, ties by name): x -> p, y -> p, one group.
#   moves = 6 - (2 + 2) = 2, joins = 2 - 1 = 1: 3 operations.
# Matching: y can only take p, so x takes q: two groups. moves = 2 (a1, a2), joins = 0: 2.
#   Indeed moving a1 and a2 into y gives B; one operation cannot separate both from a3 a4.
# max mno(any, B): sizes 2, 4 -> g = 2, max = 6 - 2 = 4; MoJoFM = 1 - 2/4 = 0.5.
# ARI: sum C(n_ij,2) = C(2,2) * 3 = 3; rows C(4,2) + C(2,2) = 7; columns 7; C(6,2) = 15.
#   expected = 49/15, mean = 7: ARI = (3 - 49/15) / (7 - 49/15) = (-4/15) / (56/15) = -1/14.

A_GREEDY = _clustering(x="a1 a2 a3 a4", y="a5 a6")
B_GREEDY = _clustering(p="a1 a2 a5 a6", q="a3 a4")


def _greedy_mno(a: Mapping[str, str], b: Mapping[str, str]) -> int:
    """The original heuristic: each A cluster joins its best B tag, ties by name."""
    tags: dict[str, str] = {}
    moves = 0
    for cluster in sorted(set(a.values())):
        members = [o for o in a if a[o] == cluster]
        counts = {t: sum(1 for o in members if b[o] == t) for t in sorted(set(b.values()))}
        best = max(counts.values())
        tags[cluster] = min(t for t, c in counts.items() if c == best)
        moves += len(members) - best
    return moves + len(tags) - len(set(tags.values()))


def test_greedy_tagging_is_not_optimal() -> None:
    assert _greedy_mno(A_GREEDY, B_GREEDY) == 3
    assert mojo(A_GREEDY, B_GREEDY) == 2
    assert mojofm(A_GREEDY, B_GREEDY) == pytest.approx(0.5)
    assert moves_needed(A_GREEDY, B_GREEDY) == (Move("a1", "x", "p"), Move("a2", "x", "p"))
    assert adjusted_rand_index(A_GREEDY, B_GREEDY) == pytest.approx(-1 / 14)


# --- (5) objects on one side only are ignored ---------------------------------------------


def test_objects_missing_on_one_side_are_ignored() -> None:
    candidate = {"s.a": "x", "s.b": "x", "s.c": "y", "s.only_candidate": "x"}
    expected = {"s.a": "P", "s.b": "P", "s.c": "Q", "s.only_expected": "Q", "s.zz": "R"}
    assert mojo(candidate, expected) == 0
    assert mojofm(candidate, expected) == 1.0
    assert adjusted_rand_index(candidate, expected) == 1.0
    assert compare_partitions(candidate, expected) == Comparison(
        mojofm=1.0,
        ari=1.0,
        moves=(),
        common=3,
        only_in_candidate=("s.only_candidate",),
        only_in_expected=("s.only_expected", "s.zz"),
    )


def test_compare_partitions_uses_candidate_to_expected() -> None:
    result = compare_partitions(A_2V3, B_2V3)
    assert result.mojofm == pytest.approx(0.4)
    assert result.ari == pytest.approx(4 / 13)
    assert result.moves == moves_needed(A_2V3, B_2V3)
    assert result.common == 8
    assert result.only_in_candidate == result.only_in_expected == ()


def test_tiny_and_empty_inputs() -> None:
    assert mojo({}, {}) == 0
    assert mojofm({}, {}) == 1.0
    assert mojofm({"a": "x"}, {"a": "y"}) == 1.0
    assert mojofm({"a": "x"}, {"b": "y"}) == 1.0
    assert compare_partitions({}, {}).common == 0


# --- exhaustive check against the definition ------------------------------------------------
#
# mno is defined as the length of a shortest sequence of Move (one object to another or a new
# cluster) and Join (two clusters) operations; breadth-first search over every partition of a
# few objects gives it exactly, and with it max over A' of mno(A', B) for the MoJoFM check.


def _set_partitions(items: list[str]) -> Iterator[list[list[str]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in _set_partitions(rest):
        for i in range(len(partition)):
            yield partition[:i] + [[first, *partition[i]]] + partition[i + 1 :]
        yield [[first], *partition]


def _canonical(clusters: list[frozenset[str]]) -> Partition:
    return frozenset(c for c in clusters if c)


def _neighbours(state: Partition) -> Iterator[Partition]:
    clusters = list(state)
    for i, source in enumerate(clusters):
        others = clusters[:i] + clusters[i + 1 :]
        for obj in source:
            left = source - {obj}
            yield _canonical([*others, left, frozenset({obj})])
            for k, target in enumerate(others):
                rest = others[:k] + others[k + 1 :]
                yield _canonical([*rest, left, target | {obj}])
        for j in range(i + 1, len(clusters)):
            rest = [c for k, c in enumerate(clusters) if k not in (i, j)]
            yield _canonical([*rest, source | clusters[j]])


def _distances(start: Partition) -> dict[Partition, int]:
    seen = {start: 0}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        for nxt in _neighbours(state):
            if nxt not in seen:
                seen[nxt] = seen[state] + 1
                queue.append(nxt)
    return seen


def _as_mapping(partition: Partition) -> dict[str, str]:
    # Cluster names deliberately unrelated between partitions: only the grouping matters.
    names = sorted(sorted(c) for c in partition)
    return {obj: f"k{i}" for i, members in enumerate(names) for obj in members}


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_mojo_and_mojofm_match_breadth_first_search(n: int) -> None:
    objects = [f"m{i}" for i in range(n)]
    partitions = [_canonical([frozenset(c) for c in p]) for p in _set_partitions(objects)]
    distances = {a: _distances(a) for a in partitions}
    for b in partitions:
        worst = max(distances[a][b] for a in partitions)
        for a in partitions:
            expected = distances[a][b]
            assert mojo(_as_mapping(a), _as_mapping(b)) == expected
            fm = 1.0 if worst == 0 else 1.0 - expected / worst
            assert mojofm(_as_mapping(a), _as_mapping(b)) == pytest.approx(fm)


# --- ARI against scikit-learn --------------------------------------------------------------


def test_ari_matches_sklearn_on_random_partitions() -> None:
    rng = random.Random(20240607)
    for _ in range(300):
        n = rng.randint(1, 40)
        objects = [f"mod{i}" for i in range(n)]
        a = {o: f"a{rng.randrange(rng.randint(1, 8))}" for o in objects}
        b = {o: f"b{rng.randrange(rng.randint(1, 8))}" for o in objects}
        expected = adjusted_rand_score([a[o] for o in objects], [b[o] for o in objects])
        assert adjusted_rand_index(a, b) == pytest.approx(expected, abs=1e-12)


# --- properties ---------------------------------------------------------------------------

_OBJECTS = st.sampled_from([f"pkg.m{i}" for i in range(14)])
_CLUSTERINGS = st.dictionaries(_OBJECTS, st.sampled_from(["a", "b", "c", "d", "e"]))


@settings(max_examples=300, deadline=None)
@given(_CLUSTERINGS, _CLUSTERINGS)
def test_measure_properties(a: dict[str, str], b: dict[str, str]) -> None:
    assert 0.0 <= mojofm(a, b) <= 1.0
    assert mojofm(a, a) == 1.0
    assert mojo(a, a) == 0
    assert adjusted_rand_index(a, b) == adjusted_rand_index(b, a)
    assert -1.0 <= adjusted_rand_index(a, b) <= 1.0
    moves = moves_needed(a, b)
    assert list(moves) == sorted(moves)
    assert len(moves) <= mojo(a, b)


@settings(max_examples=300, deadline=None)
@given(_CLUSTERINGS, _CLUSTERINGS, st.permutations(["a", "b", "c", "d", "e"]))
def test_mojo_invariant_under_renaming(
    a: dict[str, str], b: dict[str, str], names: list[str]
) -> None:
    rename = dict(zip(["a", "b", "c", "d", "e"], names, strict=True))
    renamed_a = {o: "A_" + rename[c] for o, c in a.items()}
    renamed_b = {o: "B_" + rename[c] for o, c in b.items()}
    assert mojo(renamed_a, b) == mojo(a, b)
    assert mojo(a, renamed_b) == mojo(a, b)
    assert len(moves_needed(renamed_a, renamed_b)) == len(moves_needed(a, b))
    assert adjusted_rand_index(renamed_a, renamed_b) == adjusted_rand_index(a, b)


# --- load_expected ----------------------------------------------------------------------

_TOML = """\
[modules]
"shop" = "core"
"shop.*" = "misc"
"shop.orders.*" = "orders"
"shop.orders.api" = "gateway"
"shop.*.db" = "storage"
"shop.db.*" = "database"
"""


def test_load_toml_and_glob_precedence(tmp_path: Path) -> None:
    path = tmp_path / "expected.toml"
    path.write_text(_TOML, encoding="utf-8")
    domains = load_expected(path)
    assert domains.source == path
    modules = [
        "shop",  # exact
        "shop.orders.api",  # exact beats "shop.orders.*" and "shop.*"
        "shop.orders.models",  # "shop.orders.*" (13) beats "shop.*" (6)
        "shop.orders.deep.x",  # "*" crosses dots
        "shop.db.db",  # "shop.*.db" and "shop.db.*" are both 9 long: "shop.*.db" sorts first
        "shop.users",  # only "shop.*"
        "other.thing",  # nothing
        "Shop.users",  # globs are case-sensitive
    ]
    assert domains.assign(modules) == {
        "shop": "core",
        "shop.db.db": "storage",
        "shop.orders.api": "gateway",
        "shop.orders.deep.x": "orders",
        "shop.orders.models": "orders",
        "shop.users": "misc",
    }
    assert list(domains.assign(modules)) == sorted(domains.assign(modules))
    assert domains.unmatched(modules) == ("Shop.users", "other.thing")


def test_load_json_modules_object(tmp_path: Path) -> None:
    path = tmp_path / "expected.json"
    path.write_text(json.dumps({"modules": {"b.x": "two", "a.*": "one"}}), encoding="utf-8")
    domains = load_expected(path)
    assert domains == ExpectedDomains(source=path, patterns=(("a.*", "one"), ("b.x", "two")))
    assert domains.assign(["a.m", "b.x", "c"]) == {"a.m": "one", "b.x": "two"}


def test_load_saved_plan(tmp_path: Path) -> None:
    plan = {
        "format_version": 1,
        "target": "shop",
        "modules": {"shop.orders": "orders", "shop.books": "catalog", "shop": "shared"},
        "services": [{"name": "orders", "modules": ["shop.orders"]}],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    assert load_expected(path).assign(["shop", "shop.books", "shop.orders", "x"]) == {
        "shop": "shared",
        "shop.books": "catalog",
        "shop.orders": "orders",
    }


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    as_json = tmp_path / "expected.txt"
    as_json.write_text('{"modules": {"a": "x"}}', encoding="utf-8")
    as_toml = tmp_path / "expected.cfg"
    as_toml.write_text('[modules]\n"a" = "y"\n', encoding="utf-8")
    assert load_expected(as_json).assign(["a"]) == {"a": "x"}
    assert load_expected(as_toml).assign(["a"]) == {"a": "y"}


def test_example_expected_domains_file() -> None:
    path = Path(__file__).parent.parent / "examples" / "tiny_bookshop" / "expected_domains.toml"
    if not path.exists():
        pytest.skip("example not present")
    assert load_expected(path).assign(["bookshop.payments"]) == {"bookshop.payments": "orders"}


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bad.toml", "[modules\n", "invalid TOML"),
        ("bad.json", '{"modules": ', "invalid JSON"),
        ("none.toml", '[other]\n"a" = "b"\n', "no [modules] table"),
        ("none.json", '{"format_version": 1}', 'no "modules" object'),
        ("list.json", "[1, 2]", "expected a JSON object"),
        ("notable.json", '{"modules": ["a", "b"]}', "must map module names"),
        ("notable.toml", 'modules = "a"\n', "must map module names"),
        ("empty.toml", "[modules]\n", "is empty"),
        ("int.toml", '[modules]\n"shop.a" = 3\n', "must be a string, not int"),
        ("null.json", '{"modules": {"shop.a": null}}', "must be a string, not NoneType"),
        ("list.toml", '[modules]\n"shop.a" = ["x"]\n', "must be a string, not list"),
        ("nested.json", '{"modules": {"shop": {"a": "x"}}}', "must be a string, not dict"),
        ("dotted.toml", '[modules]\nshop.orders = "orders"\n', "quote dotted names"),
        ("blank.toml", '[modules]\n"shop.a" = ""\n', "empty module name or domain"),
    ],
)
def test_load_expected_errors(tmp_path: Path, name: str, content: str, problem: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_expected(path)
    message = str(caught.value)
    assert str(path) in message
    assert problem in message
    assert "\n" not in message


def test_load_expected_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00modules")
    cases = [(missing, "cannot read file"), (tmp_path, "cannot read file"), (binary, "UTF-8")]
    for path, problem in cases:
        with pytest.raises(ValueError) as caught:
            load_expected(path)
        assert str(path) in str(caught.value)
        assert problem in str(caught.value)
        assert "\n" not in str(caught.value)
