"""`flask tenants load`: idempotent, and a broken file names itself and loads nothing."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.tenancy import all_tenants
from portal.tenancy.models import Tenant

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


@pytest.fixture
def tenants_dir(tmp_path):
    folder = tmp_path / "tenants"
    shutil.copytree(TENANTS, folder)
    return folder


def count_tenants():
    with all_tenants():
        return db.session.scalar(select(func.count(Tenant.id)))


def test_second_run_changes_nothing(runner, ctx):
    first = runner.invoke(args=["tenants", "load"])
    assert first.exit_code == 0, first.output
    assert "unchanged: abasha, poti" in first.output  # loaded at session start already
    with all_tenants():
        before = {t.slug: t.updated_at for t in db.session.scalars(select(Tenant))}
    second = runner.invoke(args=["tenants", "load"])
    assert "unchanged: abasha, poti" in second.output
    with all_tenants():
        assert {t.slug: t.updated_at for t in db.session.scalars(select(Tenant))} == before


def test_adding_a_municipality_is_adding_a_folder(runner, ctx, tenants_dir):
    new = tenants_dir / "senaki"
    shutil.copytree(tenants_dir / "abasha", new)
    text = (new / "tenant.toml").read_text().replace('slug = "abasha"', 'slug = "senaki"')
    (new / "tenant.toml").write_text(text)
    result = runner.invoke(args=["tenants", "load", "--dir", str(tenants_dir)])
    assert result.exit_code == 0, result.output
    assert "created: senaki" in result.output
    assert count_tenants() == 3


def test_changed_file_updates_the_row(runner, ctx, tenants_dir):
    path = tenants_dir / "abasha" / "tenant.toml"
    path.write_text(path.read_text().replace("#1d5e36", "#14532d"))
    result = runner.invoke(args=["tenants", "load", "--dir", str(tenants_dir)])
    assert "updated: abasha" in result.output and "unchanged: poti" in result.output
    with all_tenants():
        row = db.session.scalars(select(Tenant).filter_by(slug="abasha")).one()
        assert row.profile["theme"]["primary"] == "#14532d"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace('primary = "#1d5e36"', 'primary = "#dddddd"'), "theme.primary"),
        (lambda t: t.replace('primary = "#1d5e36"', 'primary = "green"'), "theme.primary"),
        (lambda t: t.replace("[name]", "[nmae]"), "nmae"),
        (lambda t: t.replace('slug = "abasha"', 'slug = "other"'), "slug"),
        (lambda t: t.replace("domains = []", 'domains = ["https://x.ge"]'), "domains"),
        (lambda t: t + "\ntour_url = 'http://insecure.ge'\n", "tour_url"),
        (lambda t: t.replace("[name]", "[name"), "cannot read"),
        (lambda t: t.replace('logo = "static/emblem.svg"', 'logo = "static/none.svg"'), "theme.logo"),
    ],
)
def test_broken_file_names_file_and_field_and_loads_nothing(runner, ctx, tenants_dir, edit, expected):
    path = tenants_dir / "abasha" / "tenant.toml"
    path.write_text(edit(path.read_text()))
    new = tenants_dir / "zugdidi"
    shutil.copytree(tenants_dir / "poti", new)
    (new / "tenant.toml").write_text(
        (new / "tenant.toml").read_text().replace('slug = "poti"', 'slug = "zugdidi"')
        .replace('domains = ["poti.gov.ge", "www.poti.gov.ge"]', "domains = []")
    )
    result = runner.invoke(args=["tenants", "load", "--dir", str(tenants_dir)])
    assert result.exit_code != 0
    assert "nothing loaded" in result.output
    assert "abasha/tenant.toml" in result.output and expected in result.output
    assert count_tenants() == 2  # zugdidi was valid but is not loaded either


def test_a_domain_cannot_belong_to_two_municipalities(runner, ctx, tenants_dir):
    path = tenants_dir / "abasha" / "tenant.toml"
    path.write_text(path.read_text().replace("domains = []", 'domains = ["poti.gov.ge"]'))
    result = runner.invoke(args=["tenants", "load", "--dir", str(tenants_dir)])
    assert result.exit_code != 0 and "domains: 'poti.gov.ge' is already used by" in result.output


def test_list_command(runner, ctx):
    output = runner.invoke(args=["tenants", "list"]).output
    assert "poti" in output and "poti.gov.ge" in output and "abasha" in output
