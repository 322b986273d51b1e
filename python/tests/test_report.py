"""The HTML report: self-contained, and its charts draw in a real browser."""

import re
import shutil
import subprocess

import pytest

import tilecast
from conftest import BUILD, REPO

GPT2 = REPO / "data" / "examples" / "gpt2-block.mlir"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (Debian package 'chromium'; "
                "scripts/dev installs it): the browser rendering test cannot run")


def render_dom(browser, page, tmp_path):
    """The DOM after the page's scripts ran, and a screenshot of it."""
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--window-size=1300,1800", "--virtual-time-budget=5000"]
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    shot = tmp_path / "report.png"
    subprocess.run(flags + ["--screenshot=%s" % shot, page.as_uri()], check=True,
                   capture_output=True, timeout=120)
    return dom, shot


def test_report_is_self_contained():
    page = tilecast.report.render(tilecast.predict(GPT2, target="h100-sxm"))
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", page)
    assert "/*TILECAST_DATA*/" not in page


def test_python_and_cli_reports_embed_the_same_template(tmp_path):
    cli = tmp_path / "cli.html"
    subprocess.run([str(BUILD / "bin" / "tilecast-predict"), str(GPT2),
                    "--target=h100-sxm", "--format=html", "-o", str(cli)], check=True)
    ours = tilecast.report.render(tilecast.predict(GPT2, target="h100-sxm"))
    strip = lambda text: re.sub(r"const PREDICTIONS = \[.*?\];\n", "", text, flags=re.S)
    assert strip(cli.read_text()) == strip(ours)


def test_charts_draw_in_chromium(tmp_path):
    browser = chromium()
    prediction = tilecast.predict(GPT2, target="h100-sxm")
    page = tmp_path / "report.html"
    tilecast.report.write(prediction, page)
    dom, shot = render_dom(browser, page, tmp_path)
    classes = {op.op for op in prediction.ops}
    with_arithmetic = [op for op in prediction.ops if op.flops > 0 and op.bytes > 0]
    bars = re.search(r'<svg[^>]*class="class-chart".*?</svg>', dom, re.S).group(0)
    roofline = re.search(r'<svg[^>]*class="roofline-chart".*?</svg>', dom, re.S).group(0)
    assert bars.count('class="bar"') == len(classes)
    assert roofline.count('class="point"') == len(with_arithmetic)
    distinct_peaks = set(prediction.target_info["peak_tflops"].values())
    assert roofline.count('class="roof"') == len(distinct_peaks)
    assert dom.count("<tr>") >= len(prediction.ops) + 1
    assert shot.stat().st_size > 20000  # a blank page is a few kB


def test_two_targets_side_by_side(tmp_path):
    browser = chromium()
    page = tmp_path / "compare.html"
    tilecast.report.write([tilecast.predict(GPT2, target="h100-sxm"),
                           tilecast.predict(GPT2, target="l4")], page)
    dom, _ = render_dom(browser, page, tmp_path)
    assert dom.count('class="roofline-chart"') == 2
    assert re.search(r'<table class="compare">.*h100-sxm.*l4', dom, re.S)


def test_report_command_reads_saved_json(tmp_path):
    saved = tmp_path / "h100.json"
    subprocess.run([str(BUILD / "bin" / "tilecast-predict"), str(GPT2),
                    "--target=h100-sxm", "--format=json", "-o", str(saved)], check=True)
    out = tmp_path / "report.html"
    import sys
    subprocess.run([sys.executable, "-m", "tilecast", "report", str(saved), "-o", str(out)],
                   cwd=REPO / "python", check=True)
    assert '"target": "h100-sxm"' in out.read_text()


def test_markup_in_names_cannot_break_the_page(tmp_path):
    browser = chromium()
    page = tmp_path / "odd.html"
    tilecast.report.write(
        tilecast.predict(REPO / "test" / "Tools" / "Inputs" / "odd-names.mlir", target="v100"), page)
    dom, _ = render_dom(browser, page, tmp_path)
    assert dom.count('class="report"') == 1
    assert "&lt;!--&lt;script&gt;&lt;/script&gt;" in dom  # shown as text in the table


def test_hand_built_prediction_renders():
    p = tilecast.Prediction(target="t", model="m", total_us=0.0, total_lower_us=0.0,
                            total_upper_us=0.0)
    page = tilecast.report.render(p)
    assert '"target": "t"' in page
