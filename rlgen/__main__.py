"""`python -m rlgen {serve,train NAME,checkpoints,bench NAME,export-space TAB DIR}`."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rlgen", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the app (all tabs, or one with --tab)")
    serve.add_argument("--tab", action="append", help="a tab key; repeat for several")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    train = sub.add_parser("train", help="train shipped checkpoints (python -m rlgen checkpoints lists them)")
    train.add_argument("name")
    train.add_argument("rest", nargs=argparse.REMAINDER)
    sub.add_parser("checkpoints", help="list the shipped checkpoints: size, sha256, trainer, headline figures")
    bench = sub.add_parser("bench", help="run a benchmark (python -m rlgen.bench NAME)")
    bench.add_argument("name")
    bench.add_argument("rest", nargs=argparse.REMAINDER)
    export = sub.add_parser("export-space", help="write a self-contained Space folder for one tab")
    export.add_argument("tab")
    export.add_argument("directory")
    args = parser.parse_args(argv)

    if args.command == "serve":
        from rlgen.ui import serve as serve_app

        serve_app(tabs=args.tab, host=args.host, port=args.port)
    elif args.command == "train":
        from rlgen import registry

        if args.name not in registry.trainers():
            parser.error(f"unknown trainer {args.name!r}; choose from: {', '.join(registry.trainers())}")
        registry.train(args.name, args.rest)
    elif args.command == "checkpoints":
        from rlgen import registry

        print(registry.listing())
    elif args.command == "bench":
        from rlgen.bench.__main__ import main as bench_main

        return bench_main([args.name, *args.rest])
    elif args.command == "export-space":
        from rlgen.spaces_export import export_space

        print(export_space(args.tab, args.directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
