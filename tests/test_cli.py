import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Engine, build_engine
from bot.settings import Settings
from tests.conftest import ROOT, SAMPLES, with_onnx
from tests.fakes import HashEmbedder, extractor


def fake(settings: Settings) -> Engine:
    return build_engine(
        settings.changed(**{"model": "fake/hash-embedder", "answer_threshold": 0.2}),
        embedder=HashEmbedder(),
        quotes=extractor(),
    )


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), make_engine=fake)
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_samples_then_list_ask_remove(capsys, isolated: Path):
    code, out, err = run(capsys, "ingest", "--samples")
    assert code == 0
    assert "added     sample-harbour-bridge" in out
    assert "4 stored, 0 unchanged, 0 refused" in err
    code, out, _ = run(capsys, "articles", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["id"] for r in rows} == {
        "sample-harbour-bridge",
        "sample-water-strike",
        "sample-school-meals",
        "sample-comet",
    }
    code, out, _ = run(capsys, "ask", "--json", "What did the union say about the strike vote?")
    [answer] = [json.loads(line) for line in out.splitlines()]
    assert answer["found"] and "Priya Desai" in answer["answer"][:60], "the union's general secretary speaks"
    code, out, _ = run(capsys, "remove", "sample-comet")
    assert (code, out.strip()) == (0, "removed sample-comet")
    code, _, err = run(capsys, "remove", "sample-comet")
    assert code == 1 and "no article with id 'sample-comet'" in err


def test_data_dir_option_beats_environment(capsys, isolated: Path, tmp_path: Path):
    other = tmp_path / "other"
    run(capsys, "ingest", "--data-dir", str(other), "--samples")
    assert (other / "store.sqlite").exists() and not isolated.exists()


def test_reingest_is_a_no_op(capsys):
    run(capsys, "ingest", "--samples")
    code, _out, err = run(capsys, "ingest", "--samples")
    assert code == 0 and "0 stored, 4 unchanged" in err


def test_reattribute_attributes_the_stored_quotes_again(capsys):
    run(capsys, "ingest", "--samples")
    code, _out, err = run(capsys, "reattribute")
    assert code == 0 and "0 articles attributed again" in err, "a new store has no quotes from before confidences"
    code, _out, err = run(capsys, "reattribute", "--all")
    assert code == 0 and "4 articles attributed again" in err
    code, out, _err = run(capsys, "quotes", "--speaker", "Desai")
    assert code == 0 and out.count("Priya Desai [") == 5


def test_bad_sources_each_get_one_line_and_exit_nonzero_when_nothing_went_in(capsys, tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\xff" * 100)
    code, _out, err = run(capsys, "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "bin.txt"), "/nope.txt")
    assert code == 1
    assert "empty.txt: the file is empty" in err
    assert "bin.txt: this is a binary file" in err
    assert "/nope.txt: no such file or folder" in err


def test_partial_success_exits_zero_and_keeps_good_lines(capsys, tmp_path: Path):
    good = json.dumps({"id": "g", "title": "Good", "text": "The council met on Monday."})
    (tmp_path / "mixed.jsonl").write_text(good + "\n{broken\n")
    code, out, err = run(capsys, "ingest", str(tmp_path / "mixed.jsonl"))
    assert code == 0
    assert "mixed.jsonl:2: not valid JSON" in err
    assert "added     g" in out


def test_existing_data_survives_bad_input(capsys, tmp_path: Path):
    run(capsys, "ingest", "--samples")
    (tmp_path / "bad.html").write_text("<html><body></body></html>")
    run(capsys, "ingest", str(tmp_path / "bad.html"))
    _, out, _ = run(capsys, "articles")
    assert len(out.splitlines()) == 4


def test_ask_on_empty_store_says_so(capsys):
    _, out, _ = run(capsys, "ask", "Who said anything?")
    assert "no articles yet" in out.lower()


def test_ask_reads_stdin_lines(capsys, monkeypatch):
    import io

    run(capsys, "ingest", "--samples")
    monkeypatch.setattr(sys, "stdin", io.StringIO("Who leads the repair crew?\n\nWhat did Vell say?\n"))
    _, out, _ = run(capsys, "ask", "--json")
    assert [json.loads(line)["question"] for line in out.splitlines()] == [
        "Who leads the repair crew?",
        "What did Vell say?",
    ]


def test_ingest_needs_a_source(capsys):
    code, _, err = run(capsys, "ingest")
    assert code == 2 and "name at least one" in err


@pytest.mark.model
def test_ask_answers_through_a_pipe_one_question_at_a_time(tmp_path: Path, onnx_model: Path):
    """The real process on the real model: each answer arrives before the next question is written."""
    data = with_onnx(tmp_path / "d", onnx_model, Settings().store.model)
    env = {**os.environ, "WHOSAID_DATA_DIR": str(data)}
    ingested = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(SAMPLES)],
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert "DEBUG" not in ingested.stderr + ingested.stdout, "libraries' debug logging is off unless --verbose"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json"],
        env=env,
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        answers = []
        for question in ["Who leads the repair crew?", "What share of members backed the strike?"]:
            proc.stdin.write(question + "\n")
            proc.stdin.flush()
            answers.append(json.loads(proc.stdout.readline()))
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    assert "Tomas Okafor" in answers[0]["answer"]
    assert "84 percent" in answers[1]["answer"]
    assert "Traceback" not in proc.stderr.read()


def test_ask_can_be_limited_by_article_source_and_date(capsys):
    run(capsys, "ingest", "--samples")
    _, out, _ = run(capsys, "ask", "--json", "--source", "science desk weekly", "What did the union say?")
    answer = json.loads(out)
    assert all(c["article_id"] == "sample-comet" for c in answer["citations"])
    _, out, _ = run(capsys, "ask", "--json", "--since", "2026-03-06", "Who said people have been patient?")
    assert all(c["published"] >= "2026-03-06" for c in json.loads(out)["citations"])
    code, _, err = run(capsys, "ask", "--article", "no-such-id", "Anything?")
    assert code == 1 and "no article matches" in err
