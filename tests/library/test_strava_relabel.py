"""Strava ``activities.csv`` names and sports reach activities already in the library: a
re-import of the export (or of its unpacked folder) updates their catalog rows."""

from __future__ import annotations

from pathlib import Path

from myokinetics import Library

GPX = """<?xml version="1.0"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk>{kind}<trkseg>
<trkpt lat="45.5" lon="5.25"><time>2024-05-0{day}T08:00:00Z</time></trkpt>
<trkpt lat="45.6" lon="5.26"><time>2024-05-0{day}T08:00:01Z</time></trkpt>
</trkseg></trk></gpx>"""
HEADER = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Filename\n"


def write_index(folder: Path, first_name: str) -> None:
    (folder / "activities.csv").write_text(
        HEADER + f'1,"May 1, 2024","{first_name}",Ride,1,activities/1.gpx\n'
        '2,"May 2, 2024",Tempo,Ride,1,activities/2.gpx\n')


def rows(library: Library) -> dict[str, tuple[str | None, str]]:
    frame = library.activities()
    return {source.rsplit("/", 1)[-1]: (name, sport)
            for source, name, sport in zip(frame["source"], frame["name"], frame["sport"],
                                           strict=True)}


def test_reimport_of_the_export_names_and_sports_existing_rows(tmp_path: Path) -> None:
    export = tmp_path / "export_1"
    (export / "activities").mkdir(parents=True)
    (export / "activities" / "1.gpx").write_text(GPX.format(kind="", day=1))
    (export / "activities" / "2.gpx").write_text(GPX.format(kind="<type>9</type>", day=2))
    with Library(tmp_path / "lib") as library:
        library.import_paths([export], workers=1, progress=False)
        assert rows(library) == {"1.gpx": (None, "generic"), "2.gpx": (None, "running")}
        write_index(export, "Evening Ride")
        report = library.import_paths([export], workers=1, progress=False)
        assert report.present == 2 and report.imported == 0
        # the index names both; its sport fills only the one the file left generic
        assert rows(library) == {"1.gpx": ("Evening Ride", "cycling"),
                                 "2.gpx": ("Tempo", "running")}
        write_index(export, "Evening Ride, renamed")
        library.import_paths([export], workers=1, progress=False)
        assert rows(library)["1.gpx"] == ("Evening Ride, renamed", "cycling")
