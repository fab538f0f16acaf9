"""A countersigned record whose file name holds a private name: the signature report names
the file by its redacted name, in every format, and the record still verifies."""

from __future__ import annotations

from forgery_kit import LEARNER, OBSERVATION, check, make_centre, make_learner, run

PRIVATE = LEARNER + "private_names:\n  Edith Clarke: Mrs C\n"


def test_a_countersigned_records_file_name_never_shows_a_private_name(tmp_path):
    centre = make_centre(tmp_path)
    learner = make_learner(tmp_path, extra={"observations/edith-clarke-visit.md": OBSERVATION},
                           learner_yaml=PRIVATE)
    signed = run("sign", str(learner), "observations/edith-clarke-visit.md",
                 "--assessor", "Sam Okoro", "--centre", str(centre))
    assert signed.exit_code == 0, signed.output
    for fmt in ("text", "json"):
        result = check(learner, centre, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "clarke" not in result.stdout.lower(), fmt
        assert "edith" not in result.stdout.lower(), fmt
    page = tmp_path / "report.html"
    assert check(learner, centre, "--format", "html", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8").lower()
    assert "observation" in html and "clarke" not in html and "edith" not in html
    assert "verified observation record" in check(learner, centre).stdout
