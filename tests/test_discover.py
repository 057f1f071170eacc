"""discover: which files are analysed and what their modules are called."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from decompose.discover import DEFAULT_EXCLUDES, default_source_roots, discover
from decompose.errors import InputError
from tests.conftest import Tree


def modules(root: Path, **kwargs: object) -> list[str]:
    return sorted(f.module for f in discover(root, **kwargs).files)  # type: ignore[arg-type]


def test_names_modules_relative_to_the_target(make_tree: Tree) -> None:
    root = make_tree({"app/__init__.py": "", "app/models.py": "X = 1\n", "run.py": ""})
    assert modules(root) == ["app", "app.models", "run"]
    found = discover(root).files
    assert [f.is_package for f in found] == [True, False, False]


def test_src_layout_is_the_default_source_root(make_tree: Tree) -> None:
    root = make_tree({"src/shop/__init__.py": "", "src/shop/cart.py": "A = 1\n"})
    assert default_source_roots(root) == (root / "src",)
    assert modules(root) == ["shop", "shop.cart"]


def test_a_package_given_as_the_target_keeps_its_name(make_tree: Tree) -> None:
    """`decompose analyze site-packages/oscar`: modules are `oscar.*`, as its imports name them."""
    root = make_tree(
        {
            "shop/__init__.py": "",
            "shop/cart.py": "from shop.orders import place\n",
            "shop/orders/__init__.py": "",
            "shop/orders/place.py": "X = 1\n",
            "other.py": "",  # beside the package: not analysed
        }
    )
    assert modules(root / "shop") == ["shop", "shop.cart", "shop.orders", "shop.orders.place"]
    assert modules(root / "shop" / "orders") == ["shop.orders", "shop.orders.place"]
    assert default_source_roots(root / "shop" / "orders") == (root,)


def test_several_source_roots_take_the_deepest(make_tree: Tree) -> None:
    root = make_tree({"lib/core/a.py": "", "apps/web/views.py": "", "tools/x.py": ""})
    names = modules(root, source_roots=[root / "lib", root / "apps"])
    assert names == ["core.a", "tools.x", "web.views"]


def test_namespace_packages_without_init(make_tree: Tree) -> None:
    root = make_tree({"ns/part/mod.py": "x = 1\n"})
    assert modules(root) == ["ns.part.mod"]


def test_tests_and_migrations_are_excluded_by_default(make_tree: Tree) -> None:
    root = make_tree(
        {
            "app/models.py": "",
            "app/migrations/0001_initial.py": "",
            "app/tests/test_models.py": "",
            "app/tests.py": "",
            "tests/test_x.py": "",
            "conftest.py": "",
            "app/model_test.py": "",
            "app/vendor/django_mail/message.py": "",
            "app/_vendor/six.py": "",
            "third_party/lib.py": "",
        }
    )
    assert modules(root) == ["app.models"]
    assert "migrations" in DEFAULT_EXCLUDES


def test_custom_excludes_match_components_or_paths(make_tree: Tree) -> None:
    root = make_tree({"a/gen/x.py": "", "a/b.py": "", "a/c_pb2.py": ""})
    assert modules(root, excludes=["gen", "*_pb2.py"]) == ["a.b"]
    assert modules(root, excludes=["a/gen/*"]) == ["a.b", "a.c_pb2"]


def test_virtualenvs_and_build_output_are_skipped(make_tree: Tree) -> None:
    root = make_tree(
        {".venv/lib/x.py": "", "build/lib/y.py": "", "node_modules/z.py": "", "a.py": ""}
    )
    assert modules(root) == ["a"]


def test_symlink_loop_is_recorded_and_skipped(make_tree: Tree) -> None:
    root = make_tree({"pkg/a.py": "x = 1\n"})
    os.symlink(root / "pkg", root / "pkg" / "loop")
    found = discover(root)
    assert [f.module for f in found.files] == ["pkg.a"]
    assert [(f.path, f.line) for f in found.failures] == [("pkg/loop", 0)]
    assert "loop" in found.failures[0].reason


def test_symlinked_file_outside_target_is_not_read(make_tree: Tree, tmp_path: Path) -> None:
    outside = tmp_path / "secret.py"
    outside.write_text("password = 1\n")
    root = make_tree({"a.py": ""})
    os.symlink(outside, root / "b.py")
    found = discover(root)
    assert [f.module for f in found.files] == ["a"]
    assert "outside the target" in found.failures[0].reason


def test_duplicate_module_names_are_reported(make_tree: Tree) -> None:
    root = make_tree({"one/m.py": "", "two/m.py": ""})
    found = discover(root, source_roots=[root / "one", root / "two"])
    assert [f.module for f in found.files] == ["m"]
    assert "duplicate module name m" in found.failures[0].reason


def test_hash_and_lines(make_tree: Tree) -> None:
    root = make_tree({"a.py": "x = 1\n\n\ny = 2\n"})
    (source,) = discover(root).files
    assert source.lines == 2
    assert len(source.sha256) == 64


@pytest.mark.parametrize("problem", ["missing", "file", "empty"])
def test_unusable_targets_are_input_errors(tmp_path: Path, problem: str) -> None:
    target = tmp_path / "t"
    if problem == "file":
        target.write_text("x = 1\n")
    elif problem == "empty":
        (target / "docs").mkdir(parents=True)
        (target / "docs" / "readme.txt").write_text("hi")
    with pytest.raises(InputError, match=str(target)):
        discover(target)


def test_git_work_tree_lists_tracked_and_untracked_files(make_tree: Tree) -> None:
    import subprocess

    root = make_tree({"a.py": "", "b.py": "", "ignored/c.py": "", ".gitignore": "ignored/\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "a.py"], check=True)
    assert modules(root) == ["a", "b"]
