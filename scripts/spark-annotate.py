#!/usr/bin/env python3
"""Past one machine, path (b): annotate a JSONL archive on Apache Spark by piping each partition
through the command-line tool (`RDD.pipe`): `copydesk classify --format jsonl` or
`copydesk summarize --format jsonl`. The tool keeps no state between articles, so any split of the
archive gives the same lines (in partition order; compare them as a set).

usage: scripts/spark-annotate.py INPUT.jsonl OUTPUT_DIR [--task classify|summarize] [--model M]
           [--master local[2]] [--partitions N] [--copydesk PATH] [--threads 1]

On a cluster, give --master spark://HOST:7077 and a --copydesk (and --model) path that exists on
every worker (install them there, or ship them with --files and refer to ./copydesk).
"""
import argparse
import os
import shlex
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--task", choices=("classify", "summarize"), default="classify")
    parser.add_argument("--model", default=os.path.join(ROOT, "models", "sections.cdm"))
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--copydesk", default=os.path.join(ROOT, ".build", "release", "copydesk"))
    parser.add_argument("--threads", type=int, default=1, help="threads of each copydesk process (Spark runs one per core)")
    args = parser.parse_args()
    if not os.access(args.copydesk, os.X_OK):
        sys.exit(f"spark-annotate: {args.copydesk} is not an executable (make release)")
    if os.path.exists(args.output):
        sys.exit(f"spark-annotate: {args.output} exists; give a new folder (nothing is overwritten)")

    from pyspark import SparkConf, SparkContext

    conf = (SparkConf().setMaster(args.master).setAppName("copydesk-annotate")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1"))
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        command = [args.copydesk, args.task, "--format", "jsonl", "--threads", str(args.threads)]
        if args.task == "classify":
            command += ["--model", args.model]
        command.append("-")
        lines = sc.textFile(os.path.abspath(args.input), minPartitions=args.partitions).filter(lambda l: l.strip())
        # Each partition's lines go to one copydesk process's stdin; its stdout lines are the result.
        out = lines.pipe(" ".join(shlex.quote(c) for c in command))
        out.saveAsTextFile(args.output)
        print(f"spark-annotate: {lines.getNumPartitions()} partitions -> {args.output}", file=sys.stderr)
    finally:
        sc.stop()


if __name__ == "__main__":
    main()
