"""``enrich-worker``: run | enrich [FILE] | topics | evaluate | prepare | demo.

Errors a user can fix (bad settings, missing files, unreachable broker) are one line on
stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from aiokafka.errors import KafkaError

from . import __version__
from .config import ConfigError, Settings, add_flags, flags_of
from .enrich.ner import DEFAULT_MODE, MODES

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="enrich-worker", description=__doc__.split("\n")[0])
    p.add_argument("--version", action="version", version=f"enrich-worker {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="consume, enrich and produce until SIGTERM")
    add_flags(run)
    enrich = sub.add_parser("enrich", help="enrich JSON lines offline (file or stdin) to stdout")
    enrich.add_argument("file", nargs="?", help="JSON lines file (default: stdin)")
    enrich.add_argument("--models", default=None, help="like ENRICH_MODELS")
    enrich.add_argument("--ner", default=None, choices=MODES,
                        help=f"like ENRICH_NER (default {DEFAULT_MODE})")
    enrich.add_argument("--max-body-bytes", type=int, default=None)
    topics = sub.add_parser("topics", help="create the input, output and DLQ topics")
    add_flags(topics)
    topics.add_argument("--partitions", type=int, default=3)
    topics.add_argument("--replication-factor", type=int, default=1)
    ev = sub.add_parser("evaluate", help="score the enrichment on real news, then on the "
                        "project's regression set (eval/)")
    ev.add_argument("--real-news", default=None, help="directories of real-news sets, "
                    "separated by the path separator [env ENRICH_EVAL_REAL_NEWS, default "
                    "../shared/eval/real-news and ../shared/eval/real-news-2]")
    ev.add_argument("--world-news", default=None, help="directory of the world-news set "
                    "[env ENRICH_EVAL_WORLD_NEWS, default ../shared/eval/world-news]")
    ev.add_argument("--data", default=None, help="directory of the regression set (eval/)")
    ev.add_argument("--geo", default=None, help="directory of GeoWebNews (gwn.jsonl) "
                    "[env ENRICH_EVAL_GEO, default ../shared/eval/geo]")
    ev.add_argument("--verbose", action="store_true", help="list the articles that differ")
    sub.add_parser("prepare", help="derive the data tables every enrichment process reads "
                   "(gazetteers, GeoNames index, sentiment tables, given names) into the "
                   "cache; run at install or image build")
    demo = sub.add_parser("demo", help="local broker + worker + sample articles, end to end")
    add_flags(demo)
    demo.add_argument("--once", action="store_true",
                      help="exit after the samples are enriched instead of waiting for Ctrl-C")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "enrich":
            from .offline import enrich_lines

            settings = Settings.load(flags={"models": args.models, "ner": args.ner,
                                            "max_body_bytes": args.max_body_bytes},
                                     need_kafka=False)
            return enrich_lines(args.file, settings)
        if args.command == "evaluate":
            from .evaluation import main as evaluate

            return evaluate(args.real_news, args.data, args.verbose, args.geo,
                            args.world_news)
        if args.command == "prepare":
            from .enrich import (
                currencies,
                demonyms,
                diskcache,
                geonames,
                lexicons,
                namedata,
                ordinary,
                places,
                quantities,
            )

            for name in lexicons.prepare():
                print(f"derived {name}")
            for lang in demonyms.LANGS:
                places.gazetteer(lang)
                namedata.calendar_words(lang)
                quantities.prepare(lang)
            if ordinary.prepare():
                print("derived the ordinary-words table")
            print(f"{len(currencies.table())} currency signs of one country's money")
            print(f"{len(geonames.index().town_names)} GeoNames towns")
            print(f"{len(namedata.given_names())} given names, "
                  f"{len(namedata.surnames())} family names; cache: {diskcache.dirs()[0]}")
            return 0
        if args.command == "demo":
            from .demo import run_demo

            return run_demo(flags_of(args), once=args.once)
        settings = Settings.load(flags=flags_of(args))
        from . import connections, logs

        logs.setup(settings.log_level)
        connections.watch_connect_failures()
        if args.command == "topics":
            from .topics import create_topics

            asyncio.run(create_topics(settings, args.partitions, args.replication_factor))
            return 0
        from .app import App

        return asyncio.run(App(settings).run())
    except ConfigError as exc:
        print(f"enrich-worker: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KafkaError as exc:
        from .connections import ConnectFailures

        cause = f" ({ConnectFailures.last})" if ConnectFailures.last else ""
        print(f"enrich-worker: cannot work with Kafka: {exc}{cause}", file=sys.stderr)
        return 1
    except (OSError, RuntimeError) as exc:
        print(f"enrich-worker: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
