"""Language detection, the method and compression chosen by language, text that is not prose, and the warnings in
every output (Python, JSON, Markdown, text, CLI, service, batch row). Issue #20.

The paragraphs are written for these tests (a made-up council story told in each language)."""

from __future__ import annotations

import base64
import json
import pickle
import subprocess
import sys

import numpy as np
import pytest

from highlights import InputError, render, summarize, to_dict
from highlights.errors import NotProseError
from highlights.ingest import language
from highlights.ingest.language import MIN_CONFIDENCE, UNDETERMINED, detect_language
from highlights.ingest.prose import line_kind
from highlights.pipeline import DEFAULT_METHOD, FALLBACK_METHOD

ARTICLES = {
    "de": "Der Stadtrat von Freiburg hat am Dienstag den Bau einer neuen Brücke über die Dreisam beschlossen. "
    "Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern. Anwohner hatten seit Jahren einen "
    "sicheren Weg für Fußgänger und Radfahrer gefordert. Die Kosten liegen nach Angaben der Stadt bei rund "
    "zwölf Millionen Euro.",
    "ru": "Городской совет Казани во вторник одобрил строительство нового моста через реку. Работы начнутся "
    "весной и продлятся около двух лет. Жители давно просили безопасный переход для пешеходов и "
    "велосипедистов. По словам мэрии, проект обойдётся примерно в два миллиарда рублей.",
    "ko": "부산시의회는 화요일 강을 가로지르는 새 다리 건설 계획을 승인했다. 공사는 내년 봄에 시작돼 약 2년 동안 "
    "진행될 예정이다. 주민들은 오래전부터 보행자와 자전거를 위한 안전한 길을 요구해 왔다. 시는 사업비가 약 "
    "300억 원에 이를 것으로 예상했다.",
    "zh": "杭州市议会周二批准了在河上修建一座新桥的计划。工程将于明年春天开始，预计持续大约两年。"
    "附近居民多年来一直要求为行人和骑自行车的人提供一条安全的通道。市政府表示，项目总投资约为三亿元。",
    "es": "El ayuntamiento de Valencia aprobó el martes la construcción de un nuevo puente sobre el río. Las obras "
    "comenzarán en primavera y durarán unos dos años. Los vecinos llevaban años pidiendo un paso seguro para "
    "peatones y ciclistas. Según el consistorio, el proyecto costará unos doce millones de euros.",
    "en": "The city council of Leeds approved the construction of a new bridge over the river on Tuesday. Work "
    "will start in the spring and should take about two years. Residents had asked for years for a safe "
    "crossing for pedestrians and cyclists. The city says the project will cost about twelve million pounds.",
}
GERMAN = ARTICLES["de"]
# What a PDF file looks like when its bytes are read as text (an uncompressed one; a compressed one is refused as
# binary by decode).
FAKE_PDF = """%PDF-1.7
1 0 obj
<< /Type /Catalog /Pages 2 0 R >>
endobj
2 0 obj
<< /Type /Pages /Kids [3 0 R] /Count 1 >>
endobj
3 0 obj
<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>
endobj
4 0 obj
<< /Length 58 >>
stream
BT /F1 12 Tf 72 720 Td (The council approved the bridge.) Tj ET
endstream
endobj
trailer
<< /Size 5 /Root 1 0 R >>
%%EOF
"""
LINKS = "\n".join(f"https://news.example.org/2024/05/{n:02d}/council-story-{n}.html" for n in range(1, 16))
ENCODED = "\n".join(base64.b64encode(bytes(range(256)) * 3).decode()[i : i + 76] for i in range(0, 1024, 76))
CSV = "id,town,votes,date\n" + "\n".join(f"{n},Town {n},{n * 37},2024-05-{n:02d}" for n in range(1, 20))
CODE = """def approve(bridge):
    if bridge.cost > budget:
        raise ValueError("too expensive")
    council.vote(bridge)
    return {"approved": True, "cost": bridge.cost}

for town in towns:
    approve(town.bridge)
"""


def summary_of(code: str, **kwargs: object):
    return summarize(ARTICLES[code], **kwargs)


# --- detection -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(ARTICLES))
def test_news_paragraphs_are_identified_with_confidence(code: str) -> None:
    found = detect_language(ARTICLES[code])
    assert found.code == code
    assert found.confidence >= 0.99


@pytest.mark.parametrize("text", ["", "OK", "2:1", "Hello there.", "Buhari led Nigeria from", "asdf jkl"])
def test_short_or_unclear_text_is_undetermined(text: str) -> None:
    found = detect_language(text)
    assert found.code == UNDETERMINED and not found.is_other_than_english
    assert found.confidence < MIN_CONFIDENCE


@pytest.mark.parametrize(
    "headline",
    [
        "Storm closes schools across the county",
        "Police arrest two after bank robbery",
        "Senate passes budget bill",
        "Fire destroys warehouse near the harbor",
    ],
)
def test_short_english_is_never_taken_for_another_language(headline: str) -> None:
    assert detect_language(headline).code in ("en", UNDETERMINED)


def test_english_is_told_by_its_commonest_words_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model():
        raise AssertionError("the model must not be needed for this sample")

    monkeypatch.setattr(language, "_identifier", no_model)
    assert detect_language(ARTICLES["en"] * 2) == language.Language("en", 1.0)


@pytest.mark.parametrize("code", sorted(set(ARTICLES) - {"en"}))
def test_other_languages_and_english_quoted_in_them_still_go_to_the_model(code: str) -> None:
    quoted = ARTICLES[code] + ' "The Bridge of the Year" and "The Art of the Deal".'
    assert detect_language(ARTICLES[code]).code == detect_language(quoted).code == code


def test_language_names_for_messages() -> None:
    assert detect_language(GERMAN).describe() == "German (de)"
    assert language.language_name(UNDETERMINED) == "undetermined"


def test_the_model_loads_without_unpickling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the language model must not be unpickled")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    loads = []
    real_load = np.load

    def spy(*args: object, **kwargs: object):
        loads.append(kwargs.get("allow_pickle"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", spy)
    monkeypatch.setattr(language, "_loaded", [])  # a fresh load; the cached model comes back after the test
    language.load()
    assert loads and all(allow is False for allow in loads)
    assert detect_language(GERMAN).code == "de"


# --- method and compression by language --------------------------------------------------------------


@pytest.mark.parametrize("code", ["de", "ru", "ko", "zh", "es"])
def test_other_languages_get_the_fallback_method_and_whole_sentences(code: str) -> None:
    summary = summary_of(code)
    assert summary.language == code
    assert summary.method == FALLBACK_METHOD
    assert summary.highlights
    name = language.language_name(code)
    assert any(f"{name} ({code})" in w and f"`{FALLBACK_METHOD}`" in w for w in summary.warnings), summary.warnings
    assert any("compression" in w for w in summary.warnings)
    for highlight in summary.highlights:
        assert not highlight.fixups and not highlight.deleted  # not compressed
        # A whole sentence of the article, as its script ends sentences.
        assert highlight.text in ARTICLES[code]
        assert highlight.text.endswith("。" if code == "zh" else ".")


def test_english_keeps_the_default_without_warnings(example_text: str) -> None:
    summary = summarize(example_text)
    assert summary.language == "en" and summary.method == DEFAULT_METHOD and summary.warnings == []


def test_an_explicit_learned_method_is_honoured_with_a_warning() -> None:
    summary = summarize(GERMAN, method="learned", compress=True)
    assert summary.method == "learned"
    assert any("learned method was used" in w and "German (de)" in w for w in summary.warnings)
    assert any("compression was applied" in w for w in summary.warnings)


def test_an_explicit_language_free_method_needs_no_method_warning() -> None:
    summary = summarize(GERMAN, method="centrality", compress=False)
    assert summary.method == "centrality" and summary.language == "de" and summary.warnings == []


def test_too_little_text_to_tell_keeps_the_default() -> None:
    summary = summarize("Straße gesperrt")
    assert summary.language == UNDETERMINED and summary.method == DEFAULT_METHOD and summary.warnings == []


# --- text that is not prose ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, looks_like",
    [
        ("asdf", "random keystrokes"),
        ("asdf jkl; qwer asdfgh sdfsdf", "random keystrokes"),
        (FAKE_PDF, "PDF file"),
        (LINKS, "list of links"),
        (ENCODED, "encoded data"),
        (CSV, "table"),
        (CODE, "program code"),
        ("12 345 678\n90 12 34", "numbers and symbols"),
    ],
)
def test_text_that_is_not_prose_is_refused_with_what_it_looks_like(text: str, looks_like: str) -> None:
    with pytest.raises(NotProseError, match=f"looks like .*{looks_like}.*give") as caught:
        summarize(text)
    assert isinstance(caught.value, InputError)


def test_mostly_links_with_some_prose_warns_and_keeps_the_links_out() -> None:
    text = ARTICLES["en"] + "\n\n" + LINKS
    summary = summarize(text)
    assert any("list of links" in w and "not prose" in w for w in summary.warnings), summary.warnings
    assert summary.highlights and all("https://" not in h.text for h in summary.highlights)
    # Every link line is kept out: as not prose, or (the page cleaner's model runs on text of 8 lines or more) as
    # page furniture first.
    links = [r for r in summary.removed if r.span.of(text).startswith("https://")]
    assert len(links) == 15 and sum(r.reason == "not-prose-links" for r in links) >= 10


def test_a_few_lines_of_non_prose_are_kept_out_without_a_warning() -> None:
    text = ARTICLES["en"] + "\n\nhttps://news.example.org/2024/05/01/council-story.html\n"
    summary = summarize(text)
    assert summary.warnings == [] and [r.reason for r in summary.removed] == ["not-prose-links"]


def test_past_enough_prose_the_rest_of_a_long_body_is_not_judged() -> None:
    from highlights.article import Span
    from highlights.ingest.prose import check_prose

    text = ARTICLES["en"] + "\n\n" + LINKS
    blocks = [Span(0, len(ARTICLES["en"])), Span(len(ARTICLES["en"]) + 2, len(text))]
    assert len(check_prose(text, blocks).removed) == 15
    bounded = check_prose(text, blocks, enough=100)
    assert bounded.removed == [] and bounded.body == blocks


@pytest.mark.parametrize(
    "text",
    [
        "Storm closes schools across the county",
        "The council approved the new bridge on Tuesday.",
        "Schools closed as the storm hit. Buses will run again on Monday.",
        "one line without any punctuation at all",
        "Прокуратура начала проверку.",
    ],
)
def test_real_short_news_still_gets_bullets(text: str) -> None:
    summary = summarize(text)
    assert summary.highlights and not any("prose" in w for w in summary.warnings)


@pytest.mark.parametrize(
    "line, kind",
    [
        ("He said the plan, which costs $5,000, was approved; others disagreed.", None),
        ("Die Inflation lag bei 2,5 Prozent, nach 3,1 Prozent im Vormonat.", None),
        ("Sales rose 3.5% to $1,200,000 in the quarter (up from $980,000).", None),
        ("MSNBC", None),
        ("TL;DR", None),
        ("[ The Guardian ]", None),
        ("https://example.com/a and https://example.com/b", "links"),
        ("x = compute(a, b);", "code"),
        ("var total = compute(a, b);", "code"),
        ("1,Town 1,37,2024-05-01", "table"),
        ("sdfsdf", "keystrokes"),
    ],
)
def test_line_kinds(line: str, kind: str | None) -> None:
    assert line_kind(line) == kind


@pytest.mark.data
def test_cnn_stories_are_prose_in_english() -> None:
    """Every CNN/DailyMail validation story: English, no warning, nothing kept out as not prose."""
    import gzip

    from conftest import CNNDM, shared_file

    path = shared_file(CNNDM / "validation-raw.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as rows:
        for row in map(json.loads, rows):
            from highlights.ingest import ingest
            from highlights.ingest.prose import check_prose

            article = ingest(row["article"])
            prose = check_prose(article.text, article.body)
            assert not prose.removed and prose.warning() is None, row["id"]
            assert detect_language(article.body_text()).code == "en", row["id"]


# --- the warnings in every output -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def german_summary():
    return summarize(GERMAN)


def test_warnings_in_to_dict_and_json(german_summary) -> None:
    data = to_dict(german_summary)
    assert data["language"] == "de" and data["method"] == FALLBACK_METHOD
    assert data["warnings"] == german_summary.warnings and len(data["warnings"]) == 2
    assert json.loads(render(german_summary, "json"))["warnings"] == german_summary.warnings


def test_warnings_in_markdown_and_text(german_summary) -> None:
    markdown = render(german_summary, "markdown")
    assert markdown.count("> **Warning:** The article looks like German (de)") == 2
    assert markdown.index("Warning") < markdown.index("- Der Stadtrat")
    text = render(german_summary, "text")
    assert text.splitlines()[0].startswith("warning: The article looks like German (de)")
    assert "warning:" not in render(german_summary, "text", warnings=False)


def test_english_outputs_have_no_warning_lines(example_text: str) -> None:
    summary = summarize(example_text)
    assert "warning:" not in render(summary, "text") and "Warning:" not in render(summary, "markdown")
    assert to_dict(summary)["warnings"] == [] and to_dict(summary)["language"] == "en"


def cli(*args: str, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "highlights", *args], input=stdin, capture_output=True, timeout=120, check=False
    )


def test_cli_prints_warnings_on_stderr_and_json_keeps_them_inside() -> None:
    result = cli("-", stdin=GERMAN.encode())
    assert result.returncode == 0, result.stderr
    out, err = result.stdout.decode(), result.stderr.decode()
    assert "warning:" in err and "German (de)" in err
    assert "warning" not in out and "• Der Stadtrat" in out

    result = cli("-", "--format", "json", stdin=GERMAN.encode())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "de" and data["warnings"] and "warning" not in result.stderr.decode()


def test_cli_refuses_text_that_is_not_prose_with_a_message() -> None:
    result = cli("-", stdin=LINKS.encode())
    assert result.returncode == 2
    err = " ".join(result.stderr.decode().split())  # rich wraps long lines at 80 columns
    assert err.startswith("error: -: the input looks like a list of links") and "Traceback" not in err


def test_batch_rows_carry_language_and_warnings() -> None:
    from highlights.batch.inputs import Item
    from highlights.batch.work import Settings, summarize_item

    item = Item(file=0, record=0, path="in.jsonl", line=1, id="de-1", article=GERMAN, error=None)
    outcome = summarize_item(item, Settings())
    row = json.loads(outcome.json)
    assert outcome.ok and row["id"] == "de-1" and row["language"] == "de" and len(row["warnings"]) == 2
    bad = summarize_item(
        Item(file=0, record=1, path="in.jsonl", line=2, id="links", article=LINKS, error=None), Settings()
    )
    assert not bad.ok and "list of links" in json.loads(bad.json)["reason"]


# --- the service ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi", reason="the service needs the `serve` extra (fastapi, uvicorn)")
    import warnings

    from fastapi.testclient import TestClient

    from highlights.service.app import create_app
    from highlights.service.settings import Settings

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    return TestClient(create_app(Settings(warm_up=False, workers=0)), raise_server_exceptions=False)


def test_service_chooses_by_language_and_returns_the_warnings(client) -> None:
    from highlights.service.schemas import HighlightsResult

    response = client.post("/v1/highlights", json={"text": GERMAN})
    assert response.status_code == 200, response.text
    data = response.json()
    HighlightsResult.model_validate(data)
    assert data["language"] == "de" and data["method"] == FALLBACK_METHOD and len(data["warnings"]) == 2

    response = client.post("/v1/highlights", json={"text": GERMAN, "method": "learned", "compress": False})
    data = response.json()
    assert data["method"] == "learned" and [w for w in data["warnings"] if "learned method was used" in w]

    english = client.post("/v1/highlights", json={"text": ARTICLES["en"]}).json()
    assert english["language"] == "en" and english["method"] == DEFAULT_METHOD and english["warnings"] == []


def test_service_refuses_text_that_is_not_prose(client) -> None:
    response = client.post("/v1/highlights", json={"text": FAKE_PDF})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "not_prose" and "PDF" in error["message"] and "pdftotext" in error["message"]


def test_the_page_shows_warnings_above_the_bullets(client) -> None:
    page = client.get("/").text
    assert page.index('id="warnings"') < page.index('id="bullets-list"')
    script = client.get("/static/app.js").text
    assert "textItems(warnings)" in script and "item.textContent = text" in script  # as text, never as HTML
