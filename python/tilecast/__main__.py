"""python -m tilecast predict|report|targets ..."""

import argparse
import json
import pathlib
import signal
import sys

from . import TilecastError, predict, report, target, targets


def _print_table(p, out):
    out.write("TileCast prediction: target %s, model %s\n" % (p.target, p.model))
    width = max([4] + [len(o.name) for o in p.ops])
    out.write("%-*s  %-22s %12s  %-8s %6s\n" % (width, "name", "op", "latency_us", "bound", "share"))
    for o in p.ops:
        share = 100.0 * o.counted_us * o.executions / p.total_us if p.total_us else 0.0
        out.write("%-*s  %-22s %12.2f  %-8s %5.1f%%\n" % (width, o.name, o.op, o.latency_us, o.bound, share))
    out.write("total %.2f us [%.2f, %.2f] (%d ops costed, %d not fully costed)\n"
              % (p.total_us, p.total_lower_us, p.total_upper_us, len(p.ops), len(p.uncosted)))


def main(argv=None):
    # Behave like a Unix tool when the reader of our output goes away.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(prog="python -m tilecast",
                                     description="TileCast from Python")
    commands = parser.add_subparsers(dest="command", required=True)
    p_predict = commands.add_parser("predict", help="predict a .mlir module")
    p_predict.add_argument("input")
    p_predict.add_argument("--target", default="h100-sxm")
    p_predict.add_argument("--model", default="hybrid")
    p_predict.add_argument("--model-file", help="hybrid model file (tilecast-train, "
                           "tilecast-calibrate); default: the built-in one")
    p_predict.add_argument("--coverage", type=float, default=0.9,
                           help="coverage of the hybrid model's intervals")
    p_predict.add_argument("--overlap-launches", action="store_true",
                           help="count each kernel as max(execution, dispatch)")
    p_predict.add_argument("--format", choices=("table", "json", "html"), default="table")
    p_predict.add_argument("-o", "--output")
    p_report = commands.add_parser(
        "report", help="an HTML report from saved prediction JSON (several: side by side)")
    p_report.add_argument("predictions", nargs="+")
    p_report.add_argument("-o", "--output", required=True)
    commands.add_parser("targets", help="list the built-in targets")
    args = parser.parse_args(argv)

    try:
        if args.command == "targets":
            for name in targets():
                t = target(name)
                print("%-16s %-4s %s" % (t.id, "gpu" if t.is_gpu else "cpu", t.name))
            return 0
        if args.command == "report":
            report.write(args.predictions, args.output)
            return 0
        prediction = predict(pathlib.Path(args.input), target=args.target, model=args.model,
                             model_file=args.model_file, coverage=args.coverage,
                             overlap_launches=args.overlap_launches)
        out = open(args.output, "w") if args.output else sys.stdout
        try:
            if args.format == "json":
                json.dump(prediction.raw, out, indent=2)
                out.write("\n")
            elif args.format == "html":
                out.write(report.render(prediction))
            else:
                _print_table(prediction, out)
        finally:
            if out is not sys.stdout:
                out.close()
        return 0
    except (TilecastError, OSError, ValueError) as error:
        # Library errors already read "file:line:col: error: ...".
        text = str(error)
        prefix = "" if isinstance(error, TilecastError) else "error: "
        print("tilecast: %s%s" % (prefix, text), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
