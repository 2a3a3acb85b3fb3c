"""manage.py load_postcodes (ONS postcode directory columns, all or nothing) and distances
from postcode centroids."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from selfdirect.directory import geo
from selfdirect.directory.models import Postcode
from selfdirect.directory.services import DirectoryRefused, postcodes_load

pytestmark = pytest.mark.django_db

ONSPD = """pcd,pcd2,pcds,dointr,doterm,oseast1m,osnrth1m,lat,long,oslaua
DM1 2AB,DM1  2AB,DM1 2AB,198001,,430000,270000,52.100000,-1.500000,E06000001
DM12 9ZZ,DM12 9ZZ,DM12 9ZZ,198001,,431000,271000,52.2,-1.4,E06000001
DM9 9NO,DM9  9NO,DM9 9NO,198001,,,,99.999999,0.000000,E06000001
"""


def test_the_ons_columns_load_and_rows_without_a_centroid_are_skipped() -> None:
    assert postcodes_load(actor=None, text=ONSPD) == 2
    dm1 = Postcode.objects.get(postcode="DM12AB")
    assert dm1.latitude == Decimal("52.100000") and dm1.longitude == Decimal("-1.500000")
    assert not Postcode.objects.filter(postcode="DM99NO").exists()


def test_loading_again_replaces_a_centroid() -> None:
    postcodes_load(actor=None, text=ONSPD)
    postcodes_load(actor=None, text="pcds,lat,long\nDM1 2AB,52.3,-1.2\n")
    assert Postcode.objects.get(postcode="DM12AB").latitude == Decimal("52.300000")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("NOT A CODE,52.1,-1.5", "Row 3, column pcds: NOT A CODE is not a postcode"),
        ("DM2 3CD,north,-1.5", "Row 3, column lat: must be a number of degrees"),
        ("DM2 3CD,52.1,west", "Row 3, column long: must be a number of degrees"),
        ("DM2 3CD,91,-1.5", "Row 3, column lat: must be from -90 to 90"),
    ],
)
def test_a_wrong_row_is_named_and_nothing_is_loaded(row: str, message: str) -> None:
    text = f"pcds,lat,long\nDM1 2AB,52.1,-1.5\n{row}\n"
    with pytest.raises(DirectoryRefused) as refused:
        postcodes_load(actor=None, text=text)
    assert str(refused.value) == message
    assert not Postcode.objects.exists()


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "postcodes.csv"
    path.write_text("postcode,latitude,longitude\nDM1 2AB,52.1,-1.5\n")
    with pytest.raises(CommandError, match="pcds, lat and long"):
        call_command("load_postcodes", str(path))
    assert not Postcode.objects.exists()


def test_the_command_loads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ONSPD.csv"
    path.write_text(ONSPD)
    call_command("load_postcodes", str(path))
    assert Postcode.objects.count() == 2


def test_distances_match_known_figures() -> None:
    # London (51.5074, -0.1278) to Manchester (53.4808, -2.2426): about 262 km.
    metres = geo.distance_m(
        Decimal("51.5074"), Decimal("-0.1278"), Decimal("53.4808"), Decimal("-2.2426")
    )
    assert 261_000 < metres < 263_000
    # One degree of latitude is about 111.2 km; the same place is 0.
    assert geo.distance_m(Decimal(52), Decimal(-1), Decimal(53), Decimal(-1)) == 111_195
    assert geo.distance_m(Decimal(52), Decimal(-1), Decimal(52), Decimal(-1)) == 0


def test_postcodes_are_read_as_people_type_them() -> None:
    assert geo.postcode_key(" dm1 2ab ") == "DM12AB"
    assert geo.postcode_key("DM12AB") == "DM12AB"
    assert geo.postcode_key("12345") is None
    assert geo.outward("DM12AB") == "DM1"
    assert geo.postcode_display("DM129ZZ") == "DM12 9ZZ"
    assert geo.miles_text(1609) == "1.0 mile"
    assert geo.miles_text(40_000) == "25 miles"
