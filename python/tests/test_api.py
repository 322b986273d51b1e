"""The Python API against values the C++ tests derive by hand
(test/unit/AnalyticalModelTest.cpp)."""

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

import tilecast
from conftest import BUILD, REPO

GPT2 = REPO / "data" / "examples" / "gpt2-block.mlir"
TWO_CALLS = REPO / "test" / "Tools" / "Inputs" / "two-calls.mlir"


def test_targets_lists_the_database():
    names = tilecast.targets()
    assert "h100-sxm" in names and "l4" in names and "host" in names
    assert names == sorted(names)


def test_target_info_comes_from_the_spec():
    t = tilecast.target("v100")
    assert (t.compute_units, t.lanes_per_unit, t.memory_bandwidth_gbps) == (80, 64, 900)
    assert t.peak_tflops["f32"] == pytest.approx(14.029)
    assert t.is_gpu


def test_unknown_target_raises_with_the_known_ones():
    with pytest.raises(tilecast.TilecastError, match="unknown target 'b200'"):
        tilecast.Target("b200")


# 1024^3 f32 matmul on the V100: 214.317 us of 128x128 tiles with K split 16
# ways + 46.5 us (AnalyticalModelTest.GemmPicksTheFastestBlockTileAndSplit).
def test_matmul_cost_matches_the_hand_derivation():
    w = tilecast.Workload.matmul(1, 1024, 1024, 1024)
    c = tilecast.cost(w, target="v100")
    assert c.latency_us == pytest.approx(260.817, abs=1e-2)
    assert c.bound == "compute"
    assert c.flops == 2 * 1024 ** 3


def test_tile_queries_single_and_batched_agree():
    w = tilecast.Workload.matmul(1, 1024, 1024, 1024)
    one = tilecast.cost_tile(w, [1, 128, 64, 0], target="v100")
    assert (one.num_tiles, one.waves) == (128, 2)
    assert one.tile_latency_us == pytest.approx(123.437, abs=1e-2)
    many = tilecast.cost_tile(w, [[1, 128, 64, 0], [1, 64, 64, 0]], target="v100")
    assert many[0] == one
    assert many[1].num_tiles == 256


def test_illegal_tiles_raise():
    w = tilecast.Workload.softmax(64, 1024)
    with pytest.raises(tilecast.TilecastError, match="normalised dimension of a softmax"):
        tilecast.cost_tile(w, [8, 128], target="v100")
    with pytest.raises(tilecast.TilecastError, match="expected 2 tile sizes"):
        tilecast.cost_tile(w, [8], target="v100")


def test_exponentials_are_priced_apart_on_the_host(monkeypatch):
    # CAPITest.ExponentialsArePricedApartOnTheHost: 4 x 1024 x 24 cycles on
    # the calling thread at 3700 MHz (faster than both cores after the 60 us
    # parallel-loop start), or 4 x 1024 x 5 when they are exponentials.
    # An empty TILECAST_HOST_SPEC keeps `host` the built-in spec.
    monkeypatch.setenv("TILECAST_HOST_SPEC", "")
    other = tilecast.Workload.elementwise(1, 1024, flops_per_element=0,
                                          transcendentals_per_element=4)
    exps = tilecast.Workload.elementwise(1, 1024, flops_per_element=0,
                                         transcendentals_per_element=4,
                                         exponentials_per_element=4)
    assert tilecast.cost(other, target="host", model="analytical").latency_us == \
        pytest.approx(26.569, abs=1e-3)
    assert tilecast.cost(exps, target="host", model="analytical").latency_us == \
        pytest.approx(5.535, abs=1e-3)
    with pytest.raises(tilecast.TilecastError, match="5 exponentials per element"):
        tilecast.Workload.elementwise(1, 1024, transcendentals_per_element=4,
                                      exponentials_per_element=5)
    with pytest.raises(tilecast.TilecastError, match="must be non-negative"):
        tilecast.Workload.elementwise(1, 1024, transcendentals_per_element=4,
                                      exponentials_per_element=-1)


def test_bad_workloads_raise():
    with pytest.raises(tilecast.TilecastError, match="sizes must be at least 1"):
        tilecast.Workload.matmul(1, 0, 16, 16)
    with pytest.raises(tilecast.TilecastError, match="unknown dtype"):
        tilecast.Workload.matmul(1, 16, 16, 16, dtype="f8")


def test_predict_composes_calls():
    # Two calls of a 38.306 us kernel (docs/prediction-schema.md).
    p = tilecast.predict(TWO_CALLS, target="v100", model="analytical")
    assert p.total_us == pytest.approx(76.61, abs=1e-2)
    assert [f.name for f in p.functions] == ["scale", "main"]
    assert p.functions[0].calls == 2
    assert p.ops[0].executions == 2
    assert p.uncosted[0].op == "tensor.bitcast"


def test_predict_matches_the_command_line_tool():
    p = tilecast.predict(GPT2, target="h100-sxm")
    out = subprocess.run([str(BUILD / "bin" / "tilecast-predict"), str(GPT2),
                          "--target=h100-sxm", "--format=json"],
                         check=True, capture_output=True, text=True).stdout
    assert p.raw["total_us"] == json.loads(out)["total_us"]
    assert len(p.ops) == 22


def test_predict_reports_ir_errors_with_locations():
    bad = "func.func @f(%a: tensor<?x4xf32>, %c: tensor<?x4xf32>) -> tensor<?x4xf32> {\n" \
          "  %r = linalg.copy ins(%a : tensor<?x4xf32>) outs(%c : tensor<?x4xf32>) -> tensor<?x4xf32>\n" \
          "  return %r : tensor<?x4xf32>\n}\n"
    with pytest.raises(tilecast.TilecastError,
                       match=r"<string>:2:8: error: cannot cost an op with dynamic shapes"):
        tilecast.predict(bad, target="v100")
    # An op located by name only, as tilecast-import writes them, is named.
    named = bad.replace("tensor<?x4xf32>\n", "tensor<?x4xf32> loc(\"layer1.copy\")\n", 1)
    with pytest.raises(tilecast.TilecastError,
                       match=r"^<string>: layer1.copy: error: cannot cost an op with dynamic shapes"):
        tilecast.predict(named, target="v100")


def test_nothing_to_cost_raises_instead_of_a_zero_total():
    with pytest.raises(tilecast.TilecastError, match="nothing to cost"):
        tilecast.predict("func.func @f() { return }", target="v100")
    with pytest.raises(tilecast.TilecastError) as error:
        tilecast.predict(REPO / "test" / "Tools" / "Inputs" / "nothing-to-cost.mlir",
                         target="v100")
    # The verdict comes first; the skipped op is in its notes, once.
    message = str(error.value)
    assert re.match(r"\S*nothing-to-cost.mlir:1:1: error: nothing to cost", message), message
    assert message.count("tensor.bitcast: no cost model") == 1, message


def test_the_target_given_replaces_nested_ones():
    nested = REPO / "test" / "Tools" / "Inputs" / "nested-targets.mlir"
    # As tilecast-predict --target=v100: the nested op is costed for the V100.
    assert tilecast.predict(nested, target="v100", model="analytical").total_us == \
        pytest.approx(27.6157, abs=1e-3)


def test_command_line_predict_and_error_exit(tmp_path):
    run = lambda *args: subprocess.run([sys.executable, "-m", "tilecast", *args],
                                       cwd=REPO / "python", capture_output=True, text=True)
    ok = run("predict", str(TWO_CALLS), "--target", "v100", "--model", "analytical")
    assert ok.returncode == 0
    assert "total 76.61 us" in ok.stdout
    bad = run("predict", str(TWO_CALLS), "--target", "b200")
    assert bad.returncode == 1
    assert "unknown target 'b200'" in bad.stderr


def test_three_lines_to_a_prediction():
    # The README's promise: import, predict, print.
    code = ("import tilecast\n"
            "p = tilecast.predict('%s', target='h100-sxm')\n"
            "print(round(p.total_us, 2))\n" % GPT2)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO / "python",
                         check=True, capture_output=True, text=True).stdout
    assert float(out) > 0


def test_sizes_that_ctypes_would_wrap_are_refused():
    w = tilecast.Workload.matmul(1, 64, 64, 64)
    with pytest.raises(tilecast.TilecastError, match="64-bit integer"):
        tilecast.cost_tile(w, [1, 2 ** 70, 64, 0], target="v100")
    with pytest.raises(tilecast.TilecastError, match="64-bit integer"):
        tilecast.Workload.matmul(2 ** 64 + 8, 16, 16, 16)


def test_malformed_prediction_documents_raise_tilecast_errors(tmp_path):
    with pytest.raises(tilecast.TilecastError, match="not a tilecast.prediction.v1"):
        tilecast.Prediction.from_json("[1]")
    with pytest.raises(tilecast.TilecastError, match="malformed"):
        tilecast.Prediction.from_json('{"schema": "tilecast.prediction.v1"}')


def test_malformed_prediction_files_are_named(tmp_path):
    missing_field = tmp_path / "missing-field.json"
    missing_field.write_text('{"schema": "tilecast.prediction.v1"}')
    with pytest.raises(tilecast.TilecastError,
                       match=re.escape("document in %s: KeyError" % missing_field)):
        tilecast.Prediction.from_json(str(missing_field))
    other = tmp_path / "other.json"
    other.write_text('{"schema": "x"}')
    with pytest.raises(tilecast.TilecastError,
                       match=re.escape("document in %s (found 'x')" % other)):
        tilecast.Prediction.from_json(other)


def test_arguments_of_the_wrong_type_raise_tilecast_errors():
    matmul = tilecast.Workload.matmul(1, 64, 64, 64)
    for size in (float("nan"), float("inf"), None, "64"):
        with pytest.raises(tilecast.TilecastError, match="64-bit integer"):
            tilecast.Workload.matmul(1, size, 64, 64)
    with pytest.raises(tilecast.TilecastError, match="unknown dtype"):
        tilecast.Workload.matmul(1, 64, 64, 64, dtype=["f32"])
    for workload in (None, "matmul"):
        with pytest.raises(tilecast.TilecastError, match="expected a tilecast.Workload"):
            tilecast.cost(workload, target="v100")
        with pytest.raises(tilecast.TilecastError, match="expected a tilecast.Workload"):
            tilecast.cost_tile(workload, [0, 0, 0, 0], target="v100")
    with pytest.raises(tilecast.TilecastError, match="expected a target id"):
        tilecast.cost(matmul, target=["v100"])
    with pytest.raises(tilecast.TilecastError, match="expected a model name"):
        tilecast.cost(matmul, target="v100", model=["hybrid"])
    with pytest.raises(tilecast.TilecastError, match="coverage must be a number"):
        tilecast.cost(matmul, target="v100", coverage=[0.9])
    with pytest.raises(tilecast.TilecastError, match="model must be a string"):
        tilecast.predict(str(TWO_CALLS), target="v100", model=["analytical"])
    with pytest.raises(tilecast.TilecastError, match="model file must be a string"):
        tilecast.cost(matmul, target="v100", model_file=7)
    # predict() and cost_tile() check theirs alike (they raised AttributeError
    # and TypeError).
    for mlir in (None, 123):
        with pytest.raises(tilecast.TilecastError, match="expected MLIR text"):
            tilecast.predict(mlir, target="v100")
    for coverage in ("0.5", None, True):
        with pytest.raises(tilecast.TilecastError, match="coverage must be a number"):
            tilecast.predict(TWO_CALLS, target="v100", coverage=coverage)
    for tiles in (None, (s for s in [0, 0, 0, 0]), [[1, 64, 64, 0], 5]):
        with pytest.raises(tilecast.TilecastError, match="expected"):
            tilecast.cost_tile(matmul, tiles, target="v100")


def test_predict_accepts_bytes_and_paths():
    text = TWO_CALLS.read_text()
    assert tilecast.predict(text.encode(), target="v100", model="analytical").total_us == pytest.approx(76.61, abs=1e-2)
    assert tilecast.predict(str(TWO_CALLS), target="v100", model="analytical").total_us == pytest.approx(76.61, abs=1e-2)


def test_predict_with_model_options_and_overlapped_launches():
    # The scale kernel is 38.31 us alone, 27.6 us of it dispatch; overlapped,
    # each of its two calls counts 27.6 us (test/Tools/tilecast-predict.test).
    p = tilecast.predict(TWO_CALLS, target="v100", model="analytical",
                         overlap_launches=True)
    assert p.total_us == pytest.approx(55.2, abs=1e-2)
    # Each op says what it adds to the totals (counted_us), its class and
    # kernel group, as the schema does; the shares of the total add up.
    assert [o.counted_us for o in p.ops] == pytest.approx([27.6])
    assert [o.latency_us for o in p.ops] == pytest.approx([38.31], abs=1e-2)
    assert [(o.op_class, o.kernel_group) for o in p.ops] == [("elementwise", "")]
    assert sum(o.counted_us * o.executions for o in p.ops) == pytest.approx(p.total_us)
    assert p.document()["ops"][0]["class"] == "elementwise"
    rebuilt = tilecast.Prediction.from_json(json.dumps(
        {**p.document(), "ops": [dict(o, counted_us=None) for o in p.document()["ops"]]}))
    assert rebuilt.ops[0].counted_us == rebuilt.ops[0].latency_us
    # A CPU has no launch queue: its launch overhead starts a parallel loop.
    # (No C parameter name in it: until 2026-12-06 it began "overlapLaunches:".)
    with pytest.raises(tilecast.TilecastError, match="two-calls.mlir: error: overlapped launches "
                       "model a GPU's launch queue; 'host' is a CPU"):
        tilecast.predict(TWO_CALLS, target="host", overlap_launches=True)
    half = tilecast.predict(TWO_CALLS, target="v100", coverage=0.5)
    ninety = tilecast.predict(TWO_CALLS, target="v100")
    assert half.total_us == pytest.approx(ninety.total_us)
    assert ninety.total_lower_us < half.total_lower_us <= half.total_us
    with pytest.raises(tilecast.TilecastError, match="no 0.77 coverage interval"):
        tilecast.predict(TWO_CALLS, target="v100", coverage=0.77)
    with pytest.raises(tilecast.TilecastError, match="cannot read model file"):
        tilecast.predict(TWO_CALLS, target="v100", model_file="/nonexistent.json")


def test_cost_with_a_calibrated_model_file(tmp_path):
    calibrated = tmp_path / "l4.json"
    subprocess.run([str(BUILD / "bin" / "tilecast-calibrate"), "--target=l4",
                    "--measurements=" + str(REPO / "test/Tools/Inputs/l4-linear.csv"),
                    "-o", str(calibrated)], check=True, capture_output=True)
    linear = tilecast.Workload.matmul(1, 1024, 1024, 1024)
    base = tilecast.cost(linear, target="l4")
    adapted = tilecast.cost(linear, target="l4", model_file=calibrated)
    # The calibration's linear bias: exp(-0.1231) = 0.884 (tilecast-calibrate.test).
    assert adapted.latency_us / base.latency_us == pytest.approx(0.884, abs=1e-3)


def test_command_line_predict_with_model_options():
    run = lambda *args: subprocess.run([sys.executable, "-m", "tilecast", *args],
                                       cwd=REPO / "python", capture_output=True, text=True)
    ok = run("predict", str(TWO_CALLS), "--target", "v100", "--model", "analytical",
             "--overlap-launches")
    assert ok.returncode == 0, ok.stderr
    assert "total 55.20 us" in ok.stdout
    # The share column is of the total as counted: 100% for the one kernel.
    assert "100.0%" in ok.stdout
    bad = run("predict", str(TWO_CALLS), "--target", "v100", "--coverage", "0.77")
    assert bad.returncode != 0
    assert "no 0.77 coverage interval" in bad.stderr


def test_files_past_the_size_limit_are_refused(tmp_path):
    # Sparse files: refused by their size, nothing is read.
    big_ir = tmp_path / "big.mlir"
    with open(big_ir, "wb") as f:
        f.truncate((1 << 30) + 1)
    with pytest.raises(tilecast.TilecastError, match="larger than the 1024 MiB"):
        tilecast.predict(big_ir, target="v100")
    big_json = tmp_path / "big.json"
    with open(big_json, "wb") as f:
        f.truncate((256 << 20) + 1)
    with pytest.raises(tilecast.TilecastError, match="larger than the 256 MiB"):
        tilecast.Prediction.from_json(big_json)


def test_unbounded_streams_bad_text_and_bad_paths_are_refused(tmp_path):
    # A device has no size: it is read in chunks up to the limit, then refused.
    with pytest.raises(tilecast.TilecastError, match="/dev/zero: larger than the 256 MiB"):
        tilecast.Prediction.from_json(pathlib.Path("/dev/zero"))
    # Text that is not UTF-8, with the offending byte's offset in the file
    # (a byte-order mark counted), from a file or from bytes.
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"schema": "caf\xe9"}')
    with pytest.raises(tilecast.TilecastError, match=r"latin1.json: not UTF-8 text \(byte 15"):
        tilecast.Prediction.from_json(latin1)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b'\xef\xbb\xbf{"schema": "caf\xe9"}')
    with pytest.raises(tilecast.TilecastError, match=r"bom.json: not UTF-8 text \(byte 18"):
        tilecast.Prediction.from_json(bom)
    with pytest.raises(tilecast.TilecastError, match=r"JSON bytes: not UTF-8 text \(byte 15"):
        tilecast.Prediction.from_json(latin1.read_bytes())
    with pytest.raises(tilecast.TilecastError, match="cannot read 'bad\\\\x00name.mlir'"):
        tilecast.predict("bad\x00name.mlir", target="v100")
    # A folder is a path too, not MLIR text to parse.
    with pytest.raises(tilecast.TilecastError, match="Is a directory"):
        tilecast.predict(str(tmp_path), target="v100")


def test_bytecode_that_crashes_the_reader_is_an_error():
    # MLIR 22's bytecode reader frees a buffer twice on this file
    # (test/Tools/bytecode-corrupt.test); read in a child process first, it
    # is an error instead of the end of this interpreter.
    corrupt = TWO_CALLS.parent / "corrupt-double-free.mlirbc"
    with pytest.raises(tilecast.TilecastError,
                       match="corrupt MLIR bytecode: MLIR's reader crashed on it"):
        tilecast.predict(corrupt, target="v100")


def test_ir_nested_past_the_parsers_stack_is_refused():
    with pytest.raises(tilecast.TilecastError, match=r"<string>:1:8008: error: brackets nested "
                                                     r"deeper than 1000 levels"):
        tilecast.predict(b"module {" * 20000 + b"}" * 20000, target="v100")


def test_odd_json_documents_and_c_strings_are_refused_with_tilecast_errors(tmp_path):
    malformed = "malformed tilecast.prediction.v1 document"
    # Bytes are JSON text, never a path; an empty document is malformed JSON.
    for document in (str(tmp_path).encode(), b"", ""):
        with pytest.raises(tilecast.TilecastError, match=malformed):
            tilecast.Prediction.from_json(document)
    with pytest.raises(tilecast.TilecastError, match="RecursionError"):
        tilecast.Prediction.from_json("[" * 100000 + "]" * 100000)
    with pytest.raises(tilecast.TilecastError, match="NaN is not a JSON number"):
        tilecast.Prediction.from_json('{"schema": "tilecast.prediction.v1", "total_us": NaN}')
    with pytest.raises(tilecast.TilecastError, match="1e999 is out of the range of a double"):
        tilecast.Prediction.from_json('{"schema": "tilecast.prediction.v1", "total_us": 1e999}')
    with pytest.raises(tilecast.TilecastError, match=r"\(400 digits\) is out of the range of a double"):
        tilecast.Prediction.from_json('{"schema": "tilecast.prediction.v1", "total_us": 1%s}' % ("0" * 399))
    # A NUL byte would cut a C string short: refused, not truncated.
    two_calls = REPO / "test" / "Tools" / "Inputs" / "two-calls.mlir"
    with pytest.raises(tilecast.TilecastError, match="target 'v100\\\\x00junk' holds a NUL byte"):
        tilecast.predict(two_calls, target="v100\0junk")
    with pytest.raises(tilecast.TilecastError, match="holds a NUL byte"):
        tilecast.predict(two_calls, target="v100", model_file=str(tmp_path / "a\0b"))
    # A file whose name is not UTF-8 is read and named as the system spells it.
    odd = pathlib.Path(os.fsdecode(bytes(tmp_path / "two-calls") + b"-\xff.mlir"))
    odd.write_bytes(two_calls.read_bytes())
    assert tilecast.predict(odd, target="v100", model="analytical").total_us == \
        pytest.approx(76.612, abs=1e-3)
