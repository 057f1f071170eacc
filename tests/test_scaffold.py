"""Starter repositories: layout, template, handlers, workflows, names, regeneration."""

from __future__ import annotations

import ast
import dataclasses
import json
import keyword
import random
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from decompose import __version__
from decompose.cli import main
from decompose.errors import OutputError
from decompose.model.contracts import (
    Dependency,
    DependencyKind,
    Event,
    MigrationStep,
    Operation,
    Ownership,
    Saga,
    SagaStep,
    SchemaField,
    ServiceInterfaces,
    SourceRef,
)
from decompose.model.plan import Plan, Service, SharedReason, Split, Statistics, plan_to_json
from decompose.render.contracts import contract_files
from decompose.render.scaffold import (
    MANIFEST,
    ScaffoldResult,
    names,
    render_repositories,
    write_scaffold,
)
from decompose.render.scaffold import contracts as scaffold_contracts

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("notification", "order", "payment", "product", "review", "shipment", "stock")


def _service(name: str) -> Service:
    module = {"order": "orders", "stock": "inventory", "product": "catalog"}.get(name, name + "s")
    return Service(
        name=name,
        modules=(module, f"{module}.models", f"{module}.services"),
        lines=300,
        terms=(name, "status"),
        classes=(f"{module}.models.{name.title()}",),
        dependencies=(),
    )


def shop_plan(interfaces: ServiceInterfaces | None = None) -> Plan:
    """A plan of a marketplace with seven services and a shared kernel."""
    services = tuple(_service(n) for n in SERVICES)
    shared = Service("shared", ("core", "core.money"), 80, (), (), (), is_shared=True)
    return Plan(
        target="marketplace",
        tool_version="0.1.0",
        seed=42,
        weights=(("call", 1.0),),
        algorithm="test",
        services=(*services, shared),
        modules=tuple(sorted((m, s.name) for s in (*services, shared) for m in s.modules)),
        shared=(SharedReason("core", "used by every service"),),
        couplings=(),
        failures=(),
        statistics=Statistics(10, 10, 2000, 50, 100, 0, 0, 0, 0.5),
        splits=(Split("orders.services", "order", ("place_order",), (("stock", ("restock",)),)),),
        interfaces=marketplace_interfaces() if interfaces is None else interfaces,
    )


def _ref(module: str, function: str, line: int) -> SourceRef:
    return SourceRef(module, function, line)


def marketplace_interfaces() -> ServiceInterfaces:
    """Hand-built interfaces of the marketplace's services: every shape scaffold handles."""
    product_id = SchemaField("product_id", "integer", True, reference="catalog.models.Product")
    return ServiceInterfaces(
        operations=(
            Operation(
                service="product",
                operation_id="getProduct",
                kind=DependencyKind.QUERY,
                method="GET",
                path="/products/{product_id}",
                function="catalog.services.get_product",
                parameters=(product_id,),
                response=(
                    SchemaField("name", "string", True),
                    SchemaField("price", "number", True),
                ),
                response_known=True,
                callers=(_ref("orders.services", "orders.services.add_to_cart", 40),),
                consumers=("order", "review"),
                summary="The product with its price.",
            ),
            Operation(
                service="product",
                operation_id="listProducts",
                kind=DependencyKind.QUERY,
                method="GET",
                path="/products",
                function="catalog.services.list_products",
                parameters=(
                    SchemaField("category", "string", True),
                    SchemaField("limit", "integer", False),
                ),
                response=(),
                response_known=False,
                callers=(_ref("reviews.views", "reviews.views.ProductReviewsView.get", 12),),
                consumers=("review",),
            ),
            Operation(
                service="stock",
                operation_id="reserveStock",
                kind=DependencyKind.COMMAND,
                method="POST",
                path="/stock/reservations",
                function="inventory.services.reserve_stock",
                parameters=(product_id, SchemaField("quantity", "integer", True)),
                response=(),
                response_known=False,
                callers=(_ref("orders.services", "orders.services.place_order", 88),),
                consumers=("order",),
            ),
            Operation(
                service="payment",
                operation_id="chargePayment",
                kind=DependencyKind.COMMAND,
                method="POST",
                path="/payments",
                function="payments.services.charge",
                parameters=(
                    SchemaField("order_id", "string", True),
                    SchemaField("amount", "number", True),
                ),
                response=(),
                response_known=False,
                callers=(_ref("orders.services", "orders.services.place_order", 91),),
                consumers=("order",),
                result_used=False,
            ),
        ),
        events=(
            Event(
                service="order",
                name="OrderPlaced",
                entity="orders.models.Order",
                origin="command",
                payload=(
                    SchemaField("order_id", "string", True),
                    SchemaField("total", "number", True),
                    SchemaField("placed_at", "string", True, format="date-time"),
                    SchemaField("customer_id", "integer", False, reference="accounts.models.User"),
                ),
                triggers=(_ref("orders.services", "orders.services.place_order", 95),),
                consumers=("notification", "shipment", "stock"),
            ),
            Event(
                service="stock",
                name="StockReserved",
                entity="inventory.models.StockItem",
                origin="command",
                payload=(product_id, SchemaField("quantity", "integer", True)),
                triggers=(_ref("inventory.services", "inventory.services.reserve_stock", 30),),
                consumers=("order",),
            ),
            Event(
                service="payment",
                name="PaymentCaptured",
                entity="payments.models.Payment",
                origin="signal",
                payload=(SchemaField("payment_id", "string", True), SchemaField("note", "", False)),
                triggers=(_ref("payments.signals", "", 7),),
                consumers=("notification", "order"),
            ),
        ),
        dependencies=(
            Dependency(
                "order",
                "stock",
                DependencyKind.COMMAND,
                "reserveStock",
                "place_order asks inventory to change its stock.",
                (_ref("orders.services", "orders.services.place_order", 88),),
            ),
            Dependency(
                "stock",
                "order",
                DependencyKind.EVENT,
                "OrderPlaced",
                "inventory reacts to a new order.",
                (_ref("inventory.signals", "inventory.signals.on_order", 12),),
            ),
        ),
        ownership=(
            Ownership("orders.models.Order", "order", "orders_order", (), ("payment",)),
            Ownership("inventory.models.StockItem", "stock", "inventory_stockitem", ("order",), ()),
            Ownership("catalog.models.Product", "product", "catalog_product", (), ("order",)),
        ),
        sagas=(
            Saga(
                name="PlaceOrderSaga",
                coordinator="order",
                function="orders.services.place_order",
                steps=(
                    SagaStep("stock", "reserveStock", "releaseStock"),
                    SagaStep("payment", "chargePayment", "refundPayment"),
                    SagaStep("order", "confirmOrder", ""),
                ),
            ),
        ),
        migration=(
            MigrationStep(
                1, "product", ("catalog",), ("getProduct",), (), 12, "Leaf: nothing calls out."
            ),
            MigrationStep(
                2, "stock", ("inventory",), ("reserveStock",), ("OrderPlaced",), 8, "Next."
            ),
        ),
    )


# -- helpers shared with test_scaffold_examples -------------------------------------------------


def scaffold(plan: Plan, out: Path, force: bool = False) -> ScaffoldResult:
    """Write the repositories of `plan` as `decompose scaffold` does."""
    return write_scaffold(plan, plan_to_json(plan).encode("utf-8"), out, force=force)


class _TemplateLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags (!Ref, !Sub...) read as {tag: value}."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {suffix: value}


_TemplateLoader.add_multi_constructor("!", _tagged)


def load_template(repo: Path) -> dict[str, Any]:
    """A repository's template.yaml as data."""
    return yaml.load((repo / "template.yaml").read_text(encoding="utf-8"), _TemplateLoader)  # noqa: S506


def problems_of(repo: Path) -> list[str]:
    """What cfn-lint does not see: missing code or definitions, broken state machines."""
    template = load_template(repo)
    found = []
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if key in properties and not (repo / properties[key]).exists():
                found.append(f"{name}: {key} {properties[key]} does not exist")
        if "DefinitionUri" in properties and (repo / properties["DefinitionUri"]).exists():
            found.extend(
                f"{name}: {p}" for p in state_machine_problems(repo / properties["DefinitionUri"])
            )
    return found


def state_machine_problems(path: Path) -> list[str]:
    """A definition that does not parse, or a StartAt, Next or Catch naming no state."""
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"{path} does not parse: {exc}"]
    states = definition.get("States", {})
    found = [] if definition.get("StartAt") in states else [f"StartAt {definition.get('StartAt')}"]
    for name, state in states.items():
        targets = [state.get("Next"), *(c.get("Next") for c in state.get("Catch", []))]
        found.extend(f"{name}: Next {t} is no state" for t in targets if t and t not in states)
        if (
            state.get("Type") not in ("Succeed", "Fail")
            and "Next" not in state
            and not state.get("End")
        ):
            found.append(f"{name}: neither Next nor End")
    return found


def all_files(root: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file under `root`."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# -- layout and template ------------------------------------------------------------------------


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Path]:
    """The repositories of the shop plan, written once."""
    scaffold(shop_plan(), tmp_path / "out")
    yield tmp_path / "out"


def test_one_repository_per_service_and_none_for_the_shared_kernel(shop: Path) -> None:
    assert sorted(p.name for p in shop.iterdir()) == sorted(SERVICES)


def test_a_repository_is_laid_out_by_resource_type(shop: Path) -> None:
    files = set(all_files(shop / "stock"))
    expected = {
        ".decompose-manifest.json",
        ".github/workflows/ci.yml",
        ".gitignore",
        "README.md",
        "pyproject.toml",
        "requirements-dev.txt",
        "samconfig.toml",
        "template.yaml",
        "layers/shared/requirements.txt",
        "layers/shared/README.md",
        "contracts/asyncapi.yaml",
        "contracts/openapi.yaml",
        "contracts/events/StockReserved.v1.schema.json",
        "tests/conftest.py",
        "tests/test_repository.py",
        "events/published/stock_reserved.json",
    }
    for function in ("reserve_stock", "release_stock", "on_order_placed"):
        expected |= {
            f"functions/{function}/app.py",
            f"functions/{function}/requirements.txt",
            f"functions/{function}/schemas.json",
            f"tests/test_{function}.py",
            f"events/{function}.json",
        }
    assert expected <= files, sorted(expected - files)
    assert not any(f.startswith("workflows/") for f in files)  # the order service runs the saga


def test_contracts_are_the_contracts_renderers(shop: Path) -> None:
    expected = contract_files(shop_plan().interfaces, "product")
    for name, text in expected.items():
        assert (shop / "product" / "contracts" / name).read_text(encoding="utf-8") == text


def test_the_template_is_self_contained(shop: Path) -> None:
    for repo in sorted(shop.iterdir()):
        text = (repo / "template.yaml").read_text(encoding="utf-8")
        assert "ImportValue" not in text
        assert "AWS::CloudFormation::Stack" not in text
        assert "AWS::Serverless::Application" not in text
        resources = load_template(repo)["Resources"]
        [key] = [r for r in resources.values() if r["Type"] == "AWS::KMS::Key"]
        assert key["Properties"]["EnableKeyRotation"] is True
        [table] = [r for r in resources.values() if r["Type"] == "AWS::DynamoDB::Table"]
        encryption = table["Properties"]["SSESpecification"]
        assert encryption["KMSMasterKeyId"] == {"Ref": "ServiceKey"}
        assert problems_of(repo) == []


def test_functions_routes_rules_and_queues(shop: Path) -> None:
    template = load_template(shop / "stock")
    resources = template["Resources"]
    functions = {
        r["Properties"]["CodeUri"]: r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert sorted(functions) == [
        "functions/on_order_placed/",
        "functions/release_stock/",
        "functions/reserve_stock/",
    ]
    route = functions["functions/reserve_stock/"]["Events"]["Route"]["Properties"]
    assert (route["Method"], route["Path"]) == ("POST", "/stock/reservations")
    consumer = functions["functions/on_order_placed/"]
    [rule] = consumer["Events"].values()
    assert rule["Type"] == "EventBridgeRule"
    assert rule["Properties"]["Pattern"] == {"source": ["order"], "detail-type": ["OrderPlaced"]}
    queue = rule["Properties"]["DeadLetterConfig"]["Arn"]["GetAtt"].split(".")[0]
    assert resources[queue]["Type"] == "AWS::SQS::Queue"
    policies = json.dumps(functions["functions/reserve_stock/"]["Policies"])
    assert "EventBridgePutEventsPolicy" in policies
    assert resources["HttpApi"]["Properties"]["Auth"]["DefaultAuthorizer"] == "AWS_IAM"


def test_other_services_are_parameters(shop: Path) -> None:
    template = load_template(shop / "order")
    assert set(template["Parameters"]) == {
        "EventBusName",
        "PaymentApiUrl",
        "ProductApiUrl",
        "StockApiUrl",
    }
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["STOCK_API_URL"] == {"Ref": "StockApiUrl"}


def test_the_saga_compensates_what_was_done_in_reverse(shop: Path) -> None:
    path = shop / "order" / "workflows" / "place_order_saga" / "definition.asl.json"
    states = json.loads(path.read_text(encoding="utf-8"))["States"]
    assert state_machine_problems(path) == []
    assert states["Step1ReserveStock"]["Catch"][0]["Next"] == "SagaFailed"
    assert states["Step2ChargePayment"]["Catch"][0]["Next"] == "Undo1ReleaseStock"
    assert states["Step3ConfirmOrder"]["Catch"][0]["Next"] == "Undo2RefundPayment"
    assert states["Undo2RefundPayment"]["Next"] == "Undo1ReleaseStock"
    assert states["Undo1ReleaseStock"]["Next"] == "SagaFailed"
    assert states["Undo1ReleaseStock"]["Catch"][0]["Next"] == "CompensationFailed"
    assert states["Step3ConfirmOrder"]["Next"] == "Succeeded"
    assert "Undo3ConfirmOrder" not in states  # the pivot has no compensation
    # Each step calls a route its service serves: the compensation is proposed there.
    release = states["Undo1ReleaseStock"]["Parameters"]
    assert (release["Method"], release["Path"]) == ("POST", "/release-stock")
    assert "functions/release_stock/" in (shop / "stock" / "template.yaml").read_text("utf-8")
    assert "/release-stock" in (shop / "stock" / "contracts" / "openapi.yaml").read_text("utf-8")


def test_readme_tells_the_migration(shop: Path) -> None:
    readme = (shop / "stock" / "README.md").read_text(encoding="utf-8")
    assert "The stock service is responsible for" in readme
    assert "`inventory.models.StockItem`" in readme
    assert "Step 2 of the extraction" in readme
    assert "`orders.services:restock`" in readme  # a split symbol moving here
    assert "| OrderPlaced v1 | order |" in readme
    assert "reserveStock" in readme


def test_handlers_have_the_plumbing_and_a_marked_stub(shop: Path) -> None:
    command = (shop / "stock" / "functions" / "reserve_stock" / "app.py").read_text("utf-8")
    assert "APIGatewayHttpResolver" in command and "MOVE HERE" in command
    assert "inventory.services.reserve_stock" in command
    assert "put_events" in command and "put_item" in command
    consumer = (shop / "stock" / "functions" / "on_order_placed" / "app.py").read_text("utf-8")
    assert "EventBridgeEvent" in consumer and "idempotent" in consumer
    schemas = json.loads(
        (shop / "stock" / "functions" / "on_order_placed" / "schemas.json").read_text()
    )
    contract = json.loads(
        (shop / "order" / "contracts" / "events" / "OrderPlaced.v1.schema.json").read_text()
    )
    assert schemas["consumes"]["OrderPlaced"] == contract
    for path in shop.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_an_operation_no_caller_reads_answers_204(shop: Path) -> None:
    handler = (shop / "payment" / "functions" / "charge_payment" / "app.py").read_text("utf-8")
    assert "Response(status_code=204)" in handler


# -- manifest and regeneration ------------------------------------------------------------------


def test_the_manifest_records_version_plan_and_every_file(tmp_path: Path) -> None:
    plan = shop_plan()
    scaffold(plan, tmp_path)
    manifest = json.loads((tmp_path / "stock" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tool_version"] == __version__
    assert manifest["plan_sha256"] == hashlib_sha256(plan_to_json(plan).encode("utf-8"))
    files = {k: v for k, v in all_files(tmp_path / "stock").items() if k != MANIFEST}
    assert manifest["files"] == {k: hashlib_sha256(v) for k, v in files.items()}


def hashlib_sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_generating_twice_gives_identical_bytes(tmp_path: Path) -> None:
    scaffold(shop_plan(), tmp_path / "one")
    scaffold(shop_plan(), tmp_path / "two")
    assert all_files(tmp_path / "one") == all_files(tmp_path / "two")
    again = scaffold(shop_plan(), tmp_path / "one")
    assert again.written == ()
    assert len(again.unchanged) == len(all_files(tmp_path / "one"))
    assert again.conflicts == again.removed == again.orphans == ()
    assert all_files(tmp_path / "one") == all_files(tmp_path / "two")


def test_the_order_of_the_plan_changes_nothing() -> None:
    plan = shop_plan()
    shuffled = plan.interfaces
    rng = random.Random(3)
    for field in ("operations", "events", "dependencies", "ownership", "sagas", "migration"):
        items = list(getattr(shuffled, field))
        rng.shuffle(items)
        shuffled = dataclasses.replace(shuffled, **{field: tuple(items)})
    assert render_repositories(plan, shuffled) == render_repositories(plan, plan.interfaces)


def test_an_edited_file_is_kept_and_the_new_version_set_beside_it(tmp_path: Path) -> None:
    scaffold(shop_plan(), tmp_path)
    handler = tmp_path / "stock" / "functions" / "reserve_stock" / "app.py"
    readme = tmp_path / "stock" / "README.md"
    generated = handler.read_text(encoding="utf-8")
    handler.write_text(generated.replace("return Outcome(", "return Outcome(  # mine\n"), "utf-8")
    edited = handler.read_bytes()
    readme.unlink()
    changed = _with_summary(shop_plan(), "reserveStock", "Reserves stock, now with a summary.")
    result = scaffold(changed, tmp_path)
    assert result.conflicts == (handler,)
    assert handler.read_bytes() == edited
    new = handler.with_name("app.py.new")
    assert "Reserves stock, now with a summary." in new.read_text(encoding="utf-8")
    assert readme.exists()  # a deleted file comes back
    # Once the user takes the new version, the suggestion goes and the file is ours again.
    new.replace(handler)
    again = scaffold(changed, tmp_path)
    assert again.conflicts == ()
    assert not new.exists()
    forced = tmp_path / "stock" / "template.yaml"
    forced.write_text("edited", encoding="utf-8")
    scaffold(changed, tmp_path, force=True)
    assert forced.read_text(encoding="utf-8") != "edited"


def _with_summary(plan: Plan, operation_id: str, summary: str) -> Plan:
    operations = tuple(
        dataclasses.replace(o, summary=summary) if o.operation_id == operation_id else o
        for o in plan.interfaces.operations
    )
    return dataclasses.replace(
        plan, interfaces=dataclasses.replace(plan.interfaces, operations=operations)
    )


def test_files_no_longer_generated_go_unless_edited(tmp_path: Path) -> None:
    scaffold(shop_plan(), tmp_path)
    product = tmp_path / "product" / "functions"
    (product / "list_products" / "app.py").write_text("# mine\n", encoding="utf-8")
    fewer = dataclasses.replace(
        shop_plan().interfaces,
        operations=tuple(
            o for o in shop_plan().interfaces.operations if o.operation_id != "listProducts"
        ),
    )
    result = scaffold(shop_plan(fewer), tmp_path)
    assert product / "list_products" / "app.py" in result.orphans
    assert (product / "list_products" / "app.py").exists()
    assert not (product / "list_products" / "schemas.json").exists()
    assert product / "list_products" / "schemas.json" in result.removed
    assert not (tmp_path / "product" / "tests" / "test_list_products.py").exists()


def test_a_file_there_before_the_first_run_is_the_users(tmp_path: Path) -> None:
    (tmp_path / "stock").mkdir()
    (tmp_path / "stock" / "README.md").write_text("my notes\n", encoding="utf-8")
    result = scaffold(shop_plan(), tmp_path)
    assert result.conflicts == (tmp_path / "stock" / "README.md",)
    assert (tmp_path / "stock" / "README.md").read_text(encoding="utf-8") == "my notes\n"
    assert (tmp_path / "stock" / "README.md.new").exists()


# -- hostile names ------------------------------------------------------------------------------

HOSTILE = ("../../etc", "a/b", "..", ".", "Zahlungsverkehr-ä€😀", "x" * 300, "con", "", "\\evil\\x")


def hostile_plan(
    names: tuple[str, ...] = ("../../etc", "a/b", "..", "Ünïcödé😀", "y" * 300),
    parameter: str = "../x",
    path: str = "/{name}/{{../x}}",
) -> Plan:
    """Every name a service, entity, event, operation or saga can have, at its worst."""
    field = SchemaField(parameter, "string", True)
    operations = tuple(
        Operation(
            service=name,
            operation_id=f"{name}/op",
            kind=DependencyKind.QUERY,
            method="GET",
            path=path.format(name=name),
            function=f"{name}.f",
            parameters=(field,),
            response=(),
            response_known=False,
            callers=(),
            consumers=(names[(i + 1) % len(names)],),
            summary='""" \\ import os; os.system("x") """',
        )
        for i, name in enumerate(names)
    )
    events = tuple(
        Event(
            service=name,
            name=f"{name}Changed",
            entity=f"{name}.models.E",
            origin="command",
            payload=(field,),
            triggers=(SourceRef(name, f"{name}.f", 1),),
            consumers=(names[(i + 2) % len(names)],),
        )
        for i, name in enumerate(names)
    )
    saga = Saga("../Saga", names[0], "x.f", (SagaStep(names[1], "../do", "../undo"),))
    interfaces = ServiceInterfaces(
        operations=operations,
        events=events,
        ownership=tuple(Ownership(f"{n}.models.E", n, "../t", (), ()) for n in names),
        sagas=(saga,),
    )
    services = tuple(
        Service(name, (f"{name}.models",), 10, (name,), (f"{name}.models.E",), ()) for name in names
    )
    return dataclasses.replace(
        shop_plan(interfaces), services=services, splits=(), modules=(), target="../../target"
    )


@pytest.fixture
def hostile_contracts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Contracts named after the hostile names, as a careless renderer could name them.

    (The real renderer refuses names with "/": its JSON pointers do not escape them.)
    """

    def files(interfaces: ServiceInterfaces, service: str) -> dict[str, str]:
        names = [e.name for e in interfaces.events if e.service == service]
        return {f"events/{n}.v1.schema.json": "{}\n" for n in names} | {"asyncapi.yaml": "{}\n"}

    monkeypatch.setattr(scaffold_contracts.renderer, "contract_files", files)


@pytest.mark.usefixtures("hostile_contracts")
def test_hostile_names_never_leave_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    result = scaffold(hostile_plan(), out)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(p.resolve().is_relative_to(out.resolve()) for p in written)
    assert len(result.repositories) == 5
    assert len({p.name.lower() for p in result.repositories}) == 5
    for path in written:
        assert len(path.name) < 120, path
        if path.suffix == ".py":
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    for repo in result.repositories:
        assert problems_of(repo) == []


@pytest.mark.usefixtures("hostile_contracts")
@pytest.mark.parametrize("name", HOSTILE)
def test_each_hostile_service_name_gets_a_safe_folder(tmp_path: Path, name: str) -> None:
    service = Service(name, ("m",), 1, (), (), ())
    plan = dataclasses.replace(shop_plan(ServiceInterfaces()), services=(service,), modules=())
    [repo] = scaffold(plan, tmp_path).repositories
    assert repo.parent == tmp_path.resolve()
    assert repo.name not in ("", ".", "..") and "/" not in repo.name and "\\" not in repo.name


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    (out / "stock").mkdir(parents=True)
    (out / "stock" / "functions").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputError):
        scaffold(shop_plan(), out)
    assert list(outside.iterdir()) == []


# -- command line -------------------------------------------------------------------------------


def test_the_scaffold_command(tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(plan_to_json(shop_plan()), encoding="utf-8")
    result = CliRunner().invoke(main, ["scaffold", str(plan_path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "Scaffolded 7 repositories" in result.output
    (tmp_path / "r" / "stock" / "README.md").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scaffold", str(plan_path), "-o", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "you edited it; the new version is in" in result.output
    forced = CliRunner().invoke(
        main, ["scaffold", str(plan_path), "-o", str(tmp_path / "r"), "--force", "-q"]
    )
    assert forced.exit_code == 0 and forced.output == ""
    assert (tmp_path / "r" / "stock" / "README.md").read_text(encoding="utf-8") != "mine\n"


def test_the_scaffold_command_defaults_beside_the_plan(tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(plan_to_json(shop_plan()), encoding="utf-8")
    result = CliRunner().invoke(main, ["scaffold", str(plan_path), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "services" / "order" / "template.yaml").is_file()


def test_the_scaffold_command_names_a_bad_plan(tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.json"
    plan_path.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["scaffold", str(plan_path), "-o", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert str(plan_path) in result.output
    assert not (tmp_path / "r").exists()


# -- names --------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_quoted_string_reads_back_in_python_yaml_and_toml(text: str) -> None:
    literal = names.quoted(text)
    assert ast.literal_eval(literal) == text
    assert yaml.safe_load(f"x: {literal}")["x"] == text
    assert tomllib.loads(f"x = {literal}")["x"] == text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_name_is_safe_for_paths_and_identifiers(text: str) -> None:
    folder, identifier, logical = names.slug(text), names.snake(text), names.pascal(text)
    assert folder not in ("", ".", "..") and len(folder) <= names.MAX_SEGMENT + 8
    assert set(folder) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert identifier.isidentifier() and not keyword.iskeyword(identifier)
    assert logical.isalnum() and logical.isascii() and logical[0].isalpha()
    assert "\n" not in names.prose(text) and '"' not in names.prose(text)


def test_distinct_names_keep_distinct_folders() -> None:
    folders = names.unique([names.slug(n) for n in ("a/b", "a-b", "A B", "x" * 300, "x" * 301)])
    assert len({f.lower() for f in folders}) == 5
