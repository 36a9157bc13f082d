"""GPX reader: the corpus files against MANIFEST.tsv, extension variants, safety."""

from __future__ import annotations

import numpy as np
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.gpx import read_gpx
from tests.conftest import corpus_manifest, require_shared

GPX_ROWS = [row for row in corpus_manifest() if row["format"] == "GPX"]


def count(samples, column: str) -> int:
    return int(samples[column].notna().sum()) if column in samples else 0


@pytest.mark.parametrize("row", [r for r in GPX_ROWS if r["broken"] != "corrupt"],
                         ids=lambda r: r["name"])
def test_corpus_counts_match_manifest(row: dict[str, str]) -> None:
    activity = read(require_shared(f"fit-corpus/{row['name']}"))
    samples = activity.samples
    assert len(samples) == int(row["records"])
    assert count(samples, "heart_rate") == int(row["rec_hr"])
    assert count(samples, "power") == int(row["rec_power"])
    assert count(samples, "latitude") == int(row["rec_gps"])
    assert activity.meta.format == "gpx" and activity.meta.product == row["product"]
    assert activity.meta.start == samples.index[0]
    assert samples.index.is_monotonic_increasing and str(samples.index.tz) == "UTC"


def test_unbound_prefix_file_is_repaired() -> None:
    activity = read(require_shared("fit-corpus/sportslib__6037744996.gpx"))
    assert any("undeclared namespace prefixes gpxdata" in w for w in activity.warnings)
    samples = activity.samples
    assert len(samples) > 4000
    assert samples["cadence"].notna().all()
    assert samples["temperature"].notna().mean() > 0.99
    assert samples["temperature"].dropna().between(-10, 45).all()


def test_ns3_extension_gives_hr_cadence_temperature() -> None:
    activity = read(require_shared("fit-corpus/runalyze__garmin-ns3-extension.gpx"))
    assert activity.meta.sport == "running"
    assert {"heart_rate", "cadence", "temperature"} <= set(activity.samples.columns)
    assert activity.samples["heart_rate"].between(40, 220).all()


GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><type>cycling</type><trkseg>
<trkpt lat="45.5" lon="5.25"><ele>300</ele><time>2024-05-01T08:00:00+02:00</time>
 <extensions><power>210</power><gpxtpx:TrackPointExtension><gpxtpx:hr>130</gpxtpx:hr>
 <gpxtpx:cad>90</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>
<trkpt lat="45.6" lon="5.26"><time>2024-05-01T08:00:01+02:00</time></trkpt>
</trkseg></trk></gpx>"""


def test_offsets_extensions_and_missing_values() -> None:
    activity = read_gpx(GPX.encode(), "t.gpx")
    samples = activity.samples
    assert str(samples.index[0]) == "2024-05-01 06:00:00+00:00"
    assert activity.meta.utc_offset is not None and activity.meta.utc_offset.seconds == 7200
    assert samples["power"].iloc[0] == 210 and samples["cadence"].iloc[0] == 90
    assert np.isnan(samples["heart_rate"].iloc[1]) and samples["latitude"].iloc[1] == 45.6
    assert activity.meta.sport == "cycling" and len(activity.sessions) == 1


def test_route_without_points_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no track point"):
        read_gpx(b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><rte/></gpx>', "r.gpx")


def test_external_entity_is_refused(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("140")
    doc = (f'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<gpx><trk><trkseg><trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z</time>'
           '<extensions><hr>&x;</hr></extensions></trkpt></trkseg></trk></gpx>')
    with pytest.raises(InputError, match="forbidden XML"):
        read_gpx(doc.encode(), "xxe.gpx")


def test_gpx_1_0_speed_on_the_point() -> None:
    doc = (b'<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0"><trk><trkseg>'
           b'<trkpt lat="1" lon="2"><time>2024-01-01T00:00:00Z</time><speed>4.5</speed>'
           b"</trkpt></trkseg></trk></gpx>")
    assert read_gpx(doc, "v10.gpx").samples["speed"].iloc[0] == 4.5


@pytest.mark.parametrize(("code", "sport"), [("1", "cycling"), ("9", "running"),
                                             ("16", "swimming"), (" 4 ", "hiking"),
                                             ("99", "generic")])
def test_strava_numeric_types(code: str, sport: str) -> None:
    doc = GPX.replace("<type>cycling</type>", f"<type>{code}</type>").encode()
    activity = read_gpx(doc, "strava.gpx")
    assert activity.meta.sport == sport and activity.sessions["sport"].tolist() == [sport]
